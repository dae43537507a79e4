#include "advisor.h"
#include "lessons.h"
#include "results_json.h"
#include "sweep.h"

#include <QJsonDocument>
#include <QTest>
#include <cmath>

using namespace conlab;

namespace {
BackendRun fakeRun(const std::string& id, double throughput, std::array<double, 4> phaseS, int workers = 2) {
    BackendRun r;
    r.backend = id;
    r.family = id.find("process") != std::string::npos ? "processes" : "threads";
    r.workers = workers;
    r.summary.repetitions = 1;
    r.summary.throughput.n = 1;
    r.summary.throughput.median = throughput;
    double total = phaseS[0] + phaseS[1] + phaseS[2] + phaseS[3];
    for (int i = 0; i < 4; ++i) {
        r.summary.phaseS[size_t(i)].median = phaseS[size_t(i)];
        r.summary.phaseShare[size_t(i)] = phaseS[size_t(i)] / total;
    }
    return r;
}

// A sweep whose backend has the given speedups at the given values.
SweepResult fakeSweep(const std::vector<double>& xs, const std::vector<double>& speedups, bool logScale) {
    SweepResult s;
    s.param = SweepParam::TaskUs;
    s.logScale = logScale;
    s.values = xs;
    s.backends = {"sequential", "process-pool"};
    for (size_t i = 0; i < xs.size(); ++i) {
        SweepPoint p;
        p.value = xs[i];
        BackendRun seq = fakeRun("sequential", 100, {0, 0, 1, 0}, 1);
        seq.summary.speedup = 1.0;
        BackendRun pool = fakeRun("process-pool", 100 * speedups[i], {0, 0, 1, 0});
        pool.summary.speedup = speedups[i];
        p.runs = {seq, pool};
        s.points.push_back(p);
    }
    return s;
}
} // namespace

class TestSweep : public QObject {
    Q_OBJECT
  private slots:
    void values() {
        QCOMPARE(sweepValues(0, 10, 3, false), (std::vector<double>{0, 5, 10}));
        auto v = sweepValues(1, 10000, 5, true);
        QCOMPARE(int(v.size()), 5);
        for (int i = 0; i < 5; ++i)
            QVERIFY(std::abs(v[size_t(i)] - std::pow(10.0, i)) < 1e-9 * std::pow(10.0, i));
        QCOMPARE(sweepValues(3, 9, 1, false), std::vector<double>{3});
    }

    // Log values are exact at the shown precision (issue 14): 1 → 1000 in 4 steps is 1, 10,
    // 100, 1000, not 9.999999999999998; more digits only where 3 would merge two values.
    void valuesRoundedToShownPrecision() {
        QCOMPARE(sweepValues(1, 1000, 4, true), (std::vector<double>{1, 10, 100, 1000}));
        QCOMPARE(sweepValues(1, 10000, 9, true),
                 (std::vector<double>{1, 3.16, 10, 31.6, 100, 316, 1000, 3160, 10000}));
        QCOMPARE(sweepValues(0, 1, 4, false), (std::vector<double>{0, 0.333, 0.667, 1}));
        const auto fine = sweepValues(1000, 1001, 5, false); // 3 digits would merge them
        QCOMPARE(fine, (std::vector<double>{1000, 1000.2, 1000.5, 1000.8, 1001}));
    }

    void valueText_data() {
        QTest::addColumn<int>("param");
        QTest::addColumn<double>("value");
        QTest::addColumn<int>("digits");
        QTest::addColumn<QString>("text");
        QTest::addRow("µs") << int(SweepParam::TaskUs) << 31.6 << 3 << "31.6 µs";
        QTest::addRow("almost 1000 µs") << int(SweepParam::TaskUs) << 999.9999999999 << 3 << "1 ms";
        QTest::addRow("ms, 2 digits") << int(SweepParam::TaskUs) << 4180.0 << 2 << "4.2 ms";
        QTest::addRow("µs, 2 digits, no exponent") << int(SweepParam::TaskUs) << 214.0 << 2 << "210 µs";
        QTest::addRow("s") << int(SweepParam::TaskUs) << 2.5e6 << 3 << "2.5 s";
        QTest::addRow("bytes") << int(SweepParam::Payload) << 4096.0 << 3 << "4 KiB";
        QTest::addRow("whole count exactly") << int(SweepParam::Tasks) << 12345.0 << 3 << "12345";
        QTest::addRow("estimate rounded") << int(SweepParam::Workers) << 12.71 << 2 << "13";
    }
    void valueText() {
        QFETCH(int, param);
        QFETCH(double, value);
        QFETCH(int, digits);
        QFETCH(QString, text);
        QCOMPARE(QString::fromStdString(sweepValueText(SweepParam(param), value, digits)), text);
    }

    void paramNames() {
        for (const auto& n : sweepParamNames())
            QCOMPARE(toString(*sweepParamFromString(n)), n);
        QVERIFY(!sweepParamFromString("colour").has_value());
        WorkloadSpec s;
        applySweepValue(s, SweepParam::Payload, 4096.4);
        QCOMPARE(s.payload, int64_t(4096));
        applySweepValue(s, SweepParam::Chunksize, 10);
        QCOMPARE(s.chunksize, 10);
    }

    void crossingInterpolation() {
        // Linear: speedup 0.5 at 0, 1.5 at 10 → crosses at 5.
        QCOMPARE(interpolateCrossing(0, 0.5, 10, 1.5, false), 5.0);
        // Log: halfway between 10 and 1000 on a log axis is 100.
        QVERIFY(std::abs(interpolateCrossing(10, 0.5, 1000, 1.5, true) - 100.0) < 1e-9);
    }

    void breakEven_data() {
        QTest::addColumn<QList<double>>("speedups");
        QTest::addColumn<double>("expected"); // NaN = none
        QTest::addColumn<bool>("above");
        QTest::addRow("crosses upward") << QList<double>{0.1, 0.5, 1.5, 3} << 316.22776601683796 << true;
        QTest::addRow("first upward crossing wins over a later dip")
            << QList<double>{0.5, 1.5, 0.9, 2} << 31.622776601683793 << true;
        QTest::addRow("only downward") << QList<double>{2, 1.5, 0.5, 0.2} << 316.22776601683796 << false;
        QTest::addRow("never") << QList<double>{0.1, 0.2, 0.3, 0.4} << std::nan("") << true;
        QTest::addRow("always") << QList<double>{1.2, 1.5, 2, 2} << std::nan("") << true;
    }
    void breakEven() {
        QFETCH(QList<double>, speedups);
        QFETCH(double, expected);
        QFETCH(bool, above);
        auto be = breakEvenPoints(
            fakeSweep({10, 100, 1000, 10000}, std::vector<double>(speedups.begin(), speedups.end()), true));
        QCOMPARE(int(be.size()), 1);
        QCOMPARE(be[0].backend, std::string("process-pool"));
        if (std::isnan(expected)) {
            QVERIFY(!be[0].value.has_value());
            QVERIFY(!be[0].note.empty());
        } else {
            QVERIFY(be[0].value.has_value());
            QVERIFY2(std::abs(*be[0].value - expected) < 1e-6 * expected,
                     qPrintable(QString::number(*be[0].value)));
            QCOMPARE(be[0].paysOffAbove, above);
        }
    }

    void sweepFileRoundTrip() {
        SweepResult s = fakeSweep({1, 10, 100}, {0.5, 0.8, 1.6}, true);
        s.base.tasks = 77;
        for (auto& p : s.points)
            p.spec = s.base;
        auto bytes = QJsonDocument(sweepToJson(s, breakEvenPoints(s), {{"lesson", "tiny-tasks"}})).toJson();
        SweepLoad back = sweepFromJsonBytes(bytes);
        QVERIFY2(back.sweep, qPrintable(back.error));
        QCOMPARE(int(back.sweep->points.size()), 3);
        QCOMPARE(back.sweep->base.tasks, int64_t(77));
        QVERIFY(back.sweep->logScale);
        QCOMPARE(back.extra.value("lesson").toString(), QString("tiny-tasks"));
        QCOMPARE(*speedupAt(back.sweep->points[2], "process-pool"), 1.6);
        // A plain results file is not a sweep.
        Experiment ex;
        QVERIFY(!sweepFromJsonBytes(toJsonBytes(ex)).sweep);
    }

    // One parse gives both parts of a file: the results always, the sweep only for a file with
    // a "sweep" object (and then its own error when that object is damaged).
    void oneParseGivesResultsAndSweep() {
        SweepResult s = fakeSweep({1, 10}, {0.5, 1.6}, false);
        for (auto& p : s.points)
            p.spec = s.base;
        QJsonObject doc = sweepToJson(s, breakEvenPoints(s), {});
        FileLoad both = fromJsonBytesWithSweep(QJsonDocument(doc).toJson());
        QVERIFY2(both.results.experiment, qPrintable(both.results.error));
        QVERIFY(both.sweep);
        QVERIFY2(both.sweep->sweep, qPrintable(both.sweep->error));
        QCOMPARE(int(both.sweep->sweep->points.size()), 2);
        QCOMPARE(*speedupAt(both.sweep->sweep->points[1], "process-pool"), 1.6);

        Experiment ex;
        ex.runs = s.points[0].runs;
        FileLoad plain = fromJsonBytesWithSweep(toJsonBytes(ex));
        QVERIFY2(plain.results.experiment, qPrintable(plain.results.error));
        QCOMPARE(plain.results.experiment->runs.size(), ex.runs.size());
        QCOMPARE(plain.results.experiment->runs[1].backend, ex.runs[1].backend);
        QVERIFY(!plain.sweep);

        doc.insert("sweep", 5);
        FileLoad damaged = fromJsonBytesWithSweep(QJsonDocument(doc).toJson());
        QVERIFY(damaged.results.experiment);
        QVERIFY(damaged.sweep && !damaged.sweep->sweep);
        QVERIFY2(damaged.sweep->error.contains("sweep"), qPrintable(damaged.sweep->error));
        QVERIFY(!fromJsonBytesWithSweep("{").results.experiment);
    }

    // The advisor's text comes from the numbers: change them and the advice changes.
    void advisorDerivesFromNumbers() {
        Experiment ex;
        ex.spec.tasks = 1000;
        ex.spec.taskUs = 10;
        BackendRun seq = fakeRun("sequential", 1000, {0, 0, 1.0, 0}, 1);
        BackendRun perTask = fakeRun("process-per-task", 50, {8.0, 1.0, 1.0, 0});
        perTask.summary.spawnCostS = 0.0012;
        BackendRun pool = fakeRun("process-pool", 400, {0.01, 3.0, 1.0, 0.2});
        ex.runs = {seq, perTask, pool};
        Advice a = advise(ex, 2);
        QCOMPARE(a.best, std::string("sequential"));
        QCOMPARE(int(a.others.size()), 2);
        QCOMPARE(a.others[0].dominant, Phase::Spawn);
        QVERIFY(std::abs(a.others[0].dominantShare - 0.8) < 1e-9);
        QVERIFY2(QString::fromStdString(a.others[0].change).contains("1.20 ms"), a.others[0].change.c_str());
        QCOMPARE(a.others[1].dominant, Phase::Ipc);
        // ipc 3 ms/task vs compute 1 ms/task → chunks of ceil(10*3/1) = 30
        QVERIFY2(QString::fromStdString(a.others[1].change).contains("--chunksize 30"),
                 a.others[1].change.c_str());
        QVERIFY(QString::fromStdString(a.lines[1]).contains("80%"));
        ex.runs[2] = fakeRun("process-pool", 400, {0.01, 6.0, 1.0, 0.2});
        QVERIFY(QString::fromStdString(advise(ex, 2).others[1].change).contains("--chunksize 60"));
        // Waiting for a core with more workers than cores: fewer workers.
        BackendRun crowded = fakeRun("thread-pool", 300, {0, 0, 1.0, 0}, 8);
        crowded.summary.phaseS[size_t(Phase::CpuWait)].median = 3.0;
        for (Phase p : kAllPhases)
            crowded.summary.phaseShare[size_t(p)] = crowded.summary.phaseS[size_t(p)].median / 4.0;
        ex.runs[2] = crowded;
        const Advice c = advise(ex, 2);
        QCOMPARE(c.others[1].dominant, Phase::CpuWait);
        QVERIFY2(QString::fromStdString(c.others[1].change).contains("fewer workers than cores"),
                 c.others[1].change.c_str());
        QVERIFY2(QString::fromStdString(c.others[1].change).contains("--workers 2"),
                 c.others[1].change.c_str());
    }

    void lessonsAreComplete() {
        QVERIFY(lessons().size() >= 10);
        for (const char* name : {"tiny-tasks", "pool-reuse", "cores", "shared-memory", "io-bound", "gil",
                                 "chatty-tasks", "chunking", "start-methods", "fork-memory"}) {
            const Lesson* l = findLesson(name);
            QVERIFY2(l, name);
            QVERIFY(!l->explanation.empty() && !l->backends.empty() && !l->values.empty() && l->verdict);
            for (double v : l->values) {
                WorkloadSpec s = l->base;
                applySweepValue(s, l->param, v);
                QVERIFY2(validate(s).empty(), name);
            }
            // An empty result never claims anything: inconclusive, for want of data.
            const LessonVerdict empty = l->verdict(SweepResult{});
            QCOMPARE(toString(empty.verdict), toString(Verdict::Inconclusive));
            QVERIFY2(empty.reason.find("not enough data") != std::string::npos, empty.reason.c_str());
        }
    }

    // A verdict without its data says why: the failed run's error, or that the run was stopped.
    void incompleteVerdictNamesTheCause() {
        const Lesson* l = findLesson("pool-reuse");
        QVERIFY(l);
        SweepResult s;
        s.points.resize(1);
        s.points[0].value = 1000;
        s.points[0].runs = {fakeRun("sequential", 100, {0, 0, 1, 0}, 1),
                            fakeRun("process-per-task", 50, {1, 0, 1, 0}),
                            fakeRun("process-pool", 90, {0.1, 0, 1, 0})};
        QVERIFY2(l->verdict(s).text.find("Not enough data") == std::string::npos, l->verdict(s).text.c_str());
        s.points[0].runs[1].error = "process-per-task: worker pid 42 exited with code 1";
        LessonVerdict v = l->verdict(s);
        QCOMPARE(toString(v.verdict), toString(Verdict::Inconclusive));
        QVERIFY2(v.text.find("(process-per-task: worker pid 42 exited with code 1)") != std::string::npos,
                 v.text.c_str());
        s.points[0].runs[1].error.clear();
        s.points[0].runs[2].cancelled = true;
        s.points[0].runs[2].repetitions.clear();
        s.points[0].runs[2].summary.repetitions = 0;
        v = l->verdict(s);
        QCOMPARE(toString(v.verdict), toString(Verdict::Inconclusive));
        QVERIFY2(v.text.find("(process-pool: stopped)") != std::string::npos, v.text.c_str());
    }
};

QTEST_GUILESS_MAIN(TestSweep)
#include "tst_sweep.moc"
