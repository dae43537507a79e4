// The run presenter (ui/run_presenter.h) on its own widgets: the progress bar and status line
// through a run's life, and the live throughput of the point that runs in a sweep.
#include "plot_views.h"
#include "run_presenter.h"

#include <QApplication>
#include <QLabel>
#include <QProgressBar>
#include <QTest>
#include <qcustomplot.h>

using namespace conlab;
using namespace conlab::ui;

namespace {

RunProgress halfway() {
    RunProgress p;
    p.backend = QStringLiteral("thread-pool");
    p.backendIndex = 1;
    p.backendCount = 2;
    p.repetition = 0;
    p.repetitionCount = 3;
    p.overallDone = 50;
    p.overallTotal = 100;
    p.etaS = 12;
    p.throughput = 1234;
    return p;
}

QString title(ThroughputView& view) {
    auto* t = qobject_cast<QCPTextElement*>(view.plot()->plotLayout()->element(0, 0));
    return t ? t->text() : QString();
}

} // namespace

class TestRunPresenter : public QObject {
    Q_OBJECT
  private slots:
    void aRunFromStartToEnd() {
        QProgressBar bar;
        QLabel status;
        ThroughputView live;
        RunPresenter presenter(&bar, &status, &live, nullptr);
        presenter.runStarted(QStringLiteral("Calibrating…"));
        QCOMPARE(bar.maximum(), 1000);
        QCOMPARE(bar.value(), 0);
        QCOMPARE(bar.format(), QStringLiteral("starting…"));
        QCOMPARE(status.text(), QStringLiteral("Calibrating…"));
        QVERIFY(!presenter.showsSweepPoints());
        presenter.showProgress(halfway());
        QCOMPARE(bar.value(), 500);
        QCOMPARE(bar.format(), QStringLiteral("50 / 100 tasks · ETA 12 s"));
        QCOMPARE(status.text(),
                 QStringLiteral("Running thread-pool (backend 2 of 2) · repetition 1 of 3 · 1234 tasks/s"));
        presenter.ended(QStringLiteral("done"));
        QCOMPARE(bar.value(), bar.maximum());
        QCOMPARE(bar.format(), QStringLiteral("done"));
        presenter.failed();
        QCOMPARE(bar.value(), 0);
        QCOMPARE(bar.format(), QStringLiteral("failed"));
        presenter.idle();
        QCOMPARE(bar.maximum(), 1);
        QCOMPARE(bar.format(), QStringLiteral("idle"));
    }

    void aSweepShowsThePointThatRuns() {
        QProgressBar bar;
        QLabel status;
        ThroughputView live;
        RunPresenter presenter(&bar, &status, &live, nullptr);
        WorkloadSpec base;
        base.tasks = 200;
        presenter.sweepStarted(base, SweepParam::TaskUs, true, QStringLiteral("Sweeping…"));
        QVERIFY(presenter.showsSweepPoints());
        RunProgress p = halfway();
        p.sweepPoint = 1;
        p.sweepPointCount = 3;
        p.sweepValue = 100;
        presenter.showProgress(p);
        QVERIFY2(
            status.text().startsWith(QStringLiteral("Point 2 of 3 (task-us = 100 µs) · Running thread-pool")),
            qPrintable(status.text()));
        QVERIFY2(title(live).contains(QStringLiteral("× 100 µs")),
                 qPrintable(title(live))); // the point's spec
        presenter.ended(QStringLiteral("done"));
        QVERIFY(!presenter.showsSweepPoints());
        // A comparison (one value) is shown like a run: no points.
        presenter.sweepStarted(base, SweepParam::TaskUs, false, QStringLiteral("Lesson…"));
        QVERIFY(!presenter.showsSweepPoints());
    }
};

QTEST_MAIN(TestRunPresenter)
#include "tst_run_presenter.moc"
