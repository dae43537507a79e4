// The main window's document (ui/document.h): what it holds after each transition — results,
// file, modified flag, the noun of the unsaved-results questions and the title's name — and
// that every change, and only a change, emits changed().
#include "document.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace conlab;
using namespace conlab::ui;

namespace {

Experiment smallExperiment() {
    Experiment ex;
    ex.spec.tasks = 100;
    BackendRun run;
    run.backend = "sequential";
    ex.runs.push_back(run);
    return ex;
}

SweepResult sweepOf(std::vector<double> values) {
    SweepResult sw;
    sw.param = SweepParam::TaskUs;
    sw.values = values;
    sw.backends = {"sequential"};
    for (double v : values) {
        SweepPoint p;
        p.value = v;
        p.spec.taskUs = v;
        BackendRun run;
        run.backend = "sequential";
        p.runs.push_back(run);
        sw.points.push_back(p);
    }
    return sw;
}

} // namespace

class TestDocument : public QObject {
    Q_OBJECT
  private slots:
    void transitions_data() {
        QTest::addColumn<QStringList>("steps");
        QTest::addColumn<QString>("noun");
        QTest::addColumn<QString>("name"); // the window title's
        QTest::addColumn<bool>("modified");
        QTest::addColumn<bool>("hasExperiment");
        QTest::addColumn<bool>("hasSweep");
        QTest::addColumn<bool>("hasFile");
        QTest::addColumn<int>("changes");
        QTest::addRow("new window") << QStringList{} << "experiment"
                                    << "" << false << false << false << false << 0;
        QTest::addRow("finished run: modified, untitled")
            << QStringList{"run"} << "experiment"
            << "Untitled experiment" << true << true << false << false << 1;
        QTest::addRow("save: clean, named by its file")
            << QStringList{"run", "save"} << "experiment"
            << "saved.json" << false << true << false << true << 2;
        QTest::addRow("opened file: clean") << QStringList{"open"} << "experiment"
                                            << "r.json" << false << true << false << true << 1;
        QTest::addRow("sweep replaces the experiment")
            << QStringList{"run", "sweep"} << "sweep"
            << "Untitled sweep" << true << false << true << false << 2;
        QTest::addRow("saved sweep") << QStringList{"sweep", "save"} << "sweep"
                                     << "saved.json" << false << false << true << true << 2;
        QTest::addRow("comparison: its point is the experiment")
            << QStringList{"comparison"} << "experiment"
            << "Untitled sweep" << true << true << true << false << 1;
        QTest::addRow("lesson noun") << QStringList{"lesson"} << "lesson tiny-tasks"
                                     << "Lesson tiny-tasks" << true << false << true << false << 1;
        QTest::addRow("saved lesson keeps its noun") << QStringList{"lesson", "save"} << "lesson tiny-tasks"
                                                     << "saved.json" << false << false << true << true << 2;
        QTest::addRow("experiment after a lesson is not a lesson")
            << QStringList{"lesson", "run"} << "experiment"
            << "Untitled experiment" << true << true << false << false << 2;
        QTest::addRow("clear forgets results and file") << QStringList{"run", "save", "clear"} << "experiment"
                                                        << "" << false << false << false << false << 3;
        QTest::addRow("modified again after a save") << QStringList{"run", "save", "modify"} << "experiment"
                                                     << "saved.json" << true << true << false << true << 3;
        QTest::addRow("setting the same flag is no change")
            << QStringList{"open", "unmodify"} << "experiment"
            << "r.json" << false << true << false << true << 1;
        QTest::addRow("nothing to save") << QStringList{"save fails"} << "experiment"
                                         << "" << false << false << false << false << 0;
    }
    void transitions() {
        QFETCH(QStringList, steps);
        QFETCH(QString, noun);
        QFETCH(QString, name);
        QFETCH(bool, modified);
        QFETCH(bool, hasExperiment);
        QFETCH(bool, hasSweep);
        QFETCH(bool, hasFile);
        QFETCH(int, changes);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        Document doc;
        QSignalSpy changed(&doc, &Document::changed);
        for (const QString& step : steps) {
            QString error;
            if (step == QLatin1String("run")) {
                doc.setExperiment(smallExperiment(), QString(), true);
            } else if (step == QLatin1String("open")) {
                doc.setExperiment(smallExperiment(), dir.filePath(QStringLiteral("r.json")), false);
            } else if (step == QLatin1String("sweep")) {
                doc.setSweep(sweepOf({1, 10, 100}), {}, QString(), true);
            } else if (step == QLatin1String("comparison")) {
                doc.setSweep(sweepOf({10}), {}, QString(), true);
            } else if (step == QLatin1String("lesson")) {
                doc.setSweep(sweepOf({1, 100}), QJsonObject{{"lesson", "tiny-tasks"}}, QString(), true);
            } else if (step == QLatin1String("save")) {
                const QString path = dir.filePath(QStringLiteral("saved.json"));
                QVERIFY2(doc.saveTo(path, &error), qPrintable(error));
                QVERIFY(QFile::exists(path));
                if (!doc.lessonName().isEmpty()) { // the lesson's fields go into the file's sweep
                    QFile f(path);
                    QVERIFY(f.open(QIODevice::ReadOnly));
                    const QJsonObject sweep =
                        QJsonDocument::fromJson(f.readAll()).object().value("sweep").toObject();
                    QCOMPARE(sweep.value("lesson").toString(), doc.lessonName());
                }
            } else if (step == QLatin1String("save fails")) {
                QVERIFY(!doc.saveTo(dir.filePath(QStringLiteral("nothing.json")), &error));
                QVERIFY2(error.contains(QLatin1String("Nothing to save")), qPrintable(error));
            } else if (step == QLatin1String("clear")) {
                doc.clear();
            } else if (step == QLatin1String("modify")) {
                doc.setModified(true);
            } else if (step == QLatin1String("unmodify")) {
                doc.setModified(false);
            } else {
                QFAIL(qPrintable(QStringLiteral("unknown step ") + step));
            }
        }
        QCOMPARE(doc.noun(), noun);
        QCOMPARE(doc.displayName(), name);
        QCOMPARE(doc.isModified(), modified);
        QCOMPARE(doc.hasUnsavedResults(), modified && (hasExperiment || hasSweep));
        QCOMPARE(doc.experiment().has_value(), hasExperiment);
        QCOMPARE(doc.sweep().has_value(), hasSweep);
        QCOMPARE(doc.isEmpty(), !hasExperiment && !hasSweep);
        QCOMPARE(!doc.filePath().isEmpty(), hasFile);
        if (hasFile) QVERIFY(QFileInfo(doc.filePath()).isAbsolute());
        QCOMPARE(changed.size(), changes);
    }
};

QTEST_GUILESS_MAIN(TestDocument)
#include "tst_document.moc"
