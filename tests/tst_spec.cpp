#include "workload_spec.h"

#include <QTest>

using namespace conlab;

class TestSpec : public QObject {
    Q_OBJECT
  private slots:
    void defaultsAreValid() { QVERIFY(validate(WorkloadSpec{}).empty()); }

    void rejectsOutOfRange_data() {
        QTest::addColumn<QString>("field");
        QTest::addColumn<int>("which");
        QTest::addColumn<double>("value");
        // which: index into the setter table below
        QTest::addRow("tasks 0") << "tasks" << 0 << 0.0;
        QTest::addRow("tasks too many") << "tasks" << 0 << 10'000'001.0;
        QTest::addRow("workers negative") << "workers" << 1 << -1.0;
        QTest::addRow("workers too many") << "workers" << 1 << 1025.0;
        QTest::addRow("task-us negative") << "task-us" << 2 << -1.0;
        QTest::addRow("task-us > 10 s") << "task-us" << 2 << 10'000'001.0;
        QTest::addRow("task-us NaN") << "task-us" << 2 << std::nan("");
        QTest::addRow("working-set tiny") << "working-set" << 3 << 8.0;
        QTest::addRow("input negative") << "input" << 4 << -1.0;
        QTest::addRow("input > 1G") << "input" << 4 << 2e9;
        QTest::addRow("result negative") << "result" << 5 << -5.0;
        QTest::addRow("messages negative") << "messages" << 6 << -1.0;
        QTest::addRow("messages too many") << "messages" << 6 << 2e6;
        QTest::addRow("payload negative") << "payload" << 7 << -1.0;
        QTest::addRow("chunksize 0") << "chunksize" << 8 << 0.0;
        QTest::addRow("repeat 0") << "repeat" << 9 << 0.0;
        QTest::addRow("warmup negative") << "warmup" << 10 << -1.0;
        QTest::addRow("task-timeout 0") << "task-timeout" << 11 << 0.0;
        QTest::addRow("cpus beyond machine") << "cpus" << 12 << 100000.0;
        QTest::addRow("parent-memory negative") << "parent-memory" << 13 << -1.0;
        QTest::addRow("parent-memory > 16G") << "parent-memory" << 13 << 17.0 * (1 << 30);
        QTest::addRow("child-touch > 1") << "child-touch" << 14 << 1.5;
        QTest::addRow("child-touch NaN") << "child-touch" << 14 << std::nan("");
    }
    void rejectsOutOfRange() {
        QFETCH(QString, field);
        QFETCH(int, which);
        QFETCH(double, value);
        WorkloadSpec s;
        switch (which) {
        case 0:
            s.tasks = int64_t(value);
            break;
        case 1:
            s.workers = int(value);
            break;
        case 2:
            s.taskUs = value;
            break;
        case 3:
            s.workingSet = int64_t(value);
            break;
        case 4:
            s.inputBytes = int64_t(value);
            break;
        case 5:
            s.resultBytes = int64_t(value);
            break;
        case 6:
            s.messages = int64_t(value);
            break;
        case 7:
            s.payload = int64_t(value);
            break;
        case 8:
            s.chunksize = int(value);
            break;
        case 9:
            s.repeat = int(value);
            break;
        case 10:
            s.warmup = int(value);
            break;
        case 11:
            s.taskTimeoutS = value;
            break;
        case 12:
            s.cpus = {int(value)};
            break;
        case 13:
            s.parentMemory = int64_t(value);
            break;
        case 14:
            s.childTouch = value;
            break;
        }
        auto errors = validate(s);
        QCOMPARE(int(errors.size()), 1);
        QCOMPARE(QString::fromStdString(errors[0].field), field);
        QVERIFY(!errors[0].allowed.empty());
        const QString msg = QString::fromStdString(errors[0].message());
        QVERIFY2(msg.contains("--" + field) && msg.contains("allowed"), qPrintable(msg));
    }

    void reportsEveryProblemAtOnce() {
        WorkloadSpec s;
        s.tasks = 0;
        s.taskUs = -1;
        s.payload = -1;
        QCOMPARE(int(validate(s).size()), 3);
    }

    void sizes_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("bytes"); // -1 = rejected
        QTest::addRow("plain") << "4096" << qint64(4096);
        QTest::addRow("K") << "4K" << qint64(4096);
        QTest::addRow("k lower") << "4k" << qint64(4096);
        QTest::addRow("M") << "1M" << qint64(1 << 20);
        QTest::addRow("G") << "1G" << (qint64(1) << 30);
        QTest::addRow("fraction M") << "1.5M" << qint64(1572864);
        QTest::addRow("KiB") << "2KiB" << qint64(2048);
        QTest::addRow("KB") << "2KB" << qint64(2048);
        QTest::addRow("empty") << "" << qint64(-1);
        QTest::addRow("letters") << "abc" << qint64(-1);
        QTest::addRow("negative") << "-4K" << qint64(-1);
        QTest::addRow("suffix only") << "K" << qint64(-1);
        QTest::addRow("fractional bytes") << "1.5" << qint64(-1);
        QTest::addRow("two dots") << "1.2.3K" << qint64(-1);
        QTest::addRow("unknown suffix") << "4X" << qint64(-1);
    }
    void sizes() {
        QFETCH(QString, text);
        QFETCH(qint64, bytes);
        auto v = parseSize(text.toStdString());
        if (bytes < 0)
            QVERIFY(!v.has_value());
        else {
            QVERIFY(v.has_value());
            QCOMPARE(qint64(*v), bytes);
        }
    }

    void cpuLists() {
        QCOMPARE(parseCpuList("0"), std::optional<std::vector<int>>(std::vector<int>{0}));
        QCOMPARE(parseCpuList("3,0-1"), std::optional<std::vector<int>>(std::vector<int>{0, 1, 3}));
        QVERIFY(!parseCpuList("").has_value());
        QVERIFY(!parseCpuList("1-0").has_value());
        QVERIFY(!parseCpuList("a").has_value());
        QCOMPARE(formatCpuList({0, 1, 2, 5}), std::string("0-2,5"));
    }
};

QTEST_GUILESS_MAIN(TestSpec)
#include "tst_spec.moc"
