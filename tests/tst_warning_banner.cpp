// The results' warning banner (ui/warning_banner.h): shown over the results with every warning
// derived from the loaded data, hidden when there is none. Offscreen; constructed results.
#include "engine.h"
#include "main_window.h"
#include "results_json.h"
#include "warning_banner.h"

#include <QApplication>
#include <QFile>
#include <QLabel>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace conlab;
using namespace conlab::ui;

namespace {

// Two backends, three repetitions each; `others` is the CPU share other processes took.
Experiment experimentWith(double others) {
    Experiment ex;
    ex.spec.tasks = 100;
    ex.spec.workers = 2;
    ex.spec.repeat = 3;
    ex.machine.onlineCores = 2;
    ex.machine.affinity = {0, 1};
    ex.machine.buildType = "release";
    ex.calibration.cpuStepsPerUs = 700;
    ex.calibration.memoryVisitsPerUs = 3000;
    for (const char* backend : {"sequential", "thread-pool"}) {
        BackendRun run;
        run.backend = backend;
        run.family = "native";
        run.workers = std::string(backend) == "sequential" ? 1 : 2;
        for (int i = 0; i < 3; ++i) {
            RepetitionResult r;
            r.index = i;
            r.tasksDone = 100;
            r.wallS = run.workers == 1 ? 0.4 : 0.22;
            r.throughput = 100 / r.wallS;
            r.affinity = {0, 1};
            r.noise.measured = true;
            r.noise.othersShare = others;
            run.repetitions.push_back(r);
        }
        summarize(run);
        ex.runs.push_back(run);
    }
    computeSpeedups(ex);
    return ex;
}

} // namespace

class TestWarningBanner : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("conlab-test"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_warning_banner"));
        QSettings().clear();
    }

    void bannerListsTheWarningsOfLoadedResults() {
        QTemporaryDir dir;
        const QString busy = dir.filePath("busy.json"), quiet = dir.filePath("quiet.json");
        QString error;
        QVERIFY2(saveResultsFile(busy, experimentWith(0.35), &error), qPrintable(error));
        QVERIFY2(saveResultsFile(quiet, experimentWith(0.01), &error), qPrintable(error));

        MainWindow w;
        w.resize(1280, 800);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(w.warningBanner()->isHidden()); // nothing loaded: nothing to say

        QVERIFY2(w.openFile(busy, &error), qPrintable(error));
        QVERIFY(w.warningBanner()->isVisible());
        const QString text = w.warningBanner()->findChild<QLabel*>("warningBannerText")->text();
        QVERIFY2(text.contains(QLatin1String("machine busy")) && text.contains(QLatin1String("35%")) &&
                     text.contains(QLatin1String("thread-pool")),
                 qPrintable(text));
        if (const QByteArray shot = qgetenv("CONLAB_BANNER_SCREENSHOT"); !shot.isEmpty())
            w.grab().save(QString::fromLocal8Bit(shot));

        // The exported report says the same.
        const QString report = dir.filePath("report");
        QVERIFY2(w.exportReportTo(report, &error), qPrintable(error));
        QFile readme(report + QStringLiteral("/README.md"));
        QVERIFY(readme.open(QIODevice::ReadOnly));
        const QString md = QString::fromUtf8(readme.readAll());
        QVERIFY2(md.contains(QLatin1String("## Warnings")) &&
                     md.contains(QLatin1String("- machine busy: other processes used 35%")),
                 qPrintable(md));

        QVERIFY2(w.openFile(quiet, &error), qPrintable(error));
        QVERIFY(w.warningBanner()->isHidden());
        QVERIFY(w.warningBanner()->warnings().isEmpty());
        const QString quietReport = dir.filePath("quiet-report");
        QVERIFY2(w.exportReportTo(quietReport, &error), qPrintable(error));
        QFile quietReadme(quietReport + QStringLiteral("/README.md"));
        QVERIFY(quietReadme.open(QIODevice::ReadOnly));
        QVERIFY(!quietReadme.readAll().contains("## Warnings"));
    }

    // Many warnings (a busy machine warns once per backend) collapse to a few lines and a link
    // that shows them all, so the results stay in view at 1280×720.
    void manyWarningsCollapseBehindALink() {
        WarningBanner banner;
        QStringList many;
        for (int i = 0; i < 23; ++i)
            many << QStringLiteral(
                        "machine busy: other processes used %1% of the CPUs during b%2's repetitions")
                        .arg(70 + i)
                        .arg(i);
        banner.setWarnings(many);
        banner.resize(1200, 100);
        banner.show();
        auto* label = banner.findChild<QLabel*>("warningBannerText");
        QVERIFY(!banner.expanded());
        QVERIFY(label->text().contains(QLatin1String("show all 23 warnings")));
        QVERIFY(label->text().contains(QLatin1String("b0's")));
        QVERIFY(!label->text().contains(QLatin1String("b22's")));
        const int collapsedHeight = banner.sizeHint().height();
        emit label->linkActivated(QStringLiteral("#all"));
        QVERIFY(banner.expanded());
        QVERIFY(label->text().contains(QLatin1String("b22's")));
        QVERIFY(banner.sizeHint().height() > collapsedHeight);
        QCOMPARE(banner.warnings().size(), 23); // exports and the CLI keep every one
        banner.setWarnings(many.mid(0, 3));     // few: all shown, no link
        QVERIFY(!label->text().contains(QLatin1String("show all")));
        QVERIFY(label->text().contains(QLatin1String("b2's")));
    }
};

QTEST_MAIN(TestWarningBanner)
#include "tst_warning_banner.moc"
