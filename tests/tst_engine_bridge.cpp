// The GUI bridge (ui/engine_controller.*) without widgets: runs happen on a worker thread, their
// results reach the owning thread in engine order through the throttled queue, Stop keeps the
// finished work, a discarded run delivers nothing, and destroying the controller mid-run joins
// its threads. QtCore only, so the TSan job runs it (label "bridge").
#include "engine_controller.h"
#include "test_util.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

using namespace conlab;
using namespace conlab::ui;

namespace {
WorkloadSpec smallSpec(int64_t tasks, double taskUs) {
    WorkloadSpec s;
    s.tasks = tasks;
    s.taskUs = taskUs;
    s.workers = 2;
    return s;
}
constexpr int kSlow = CONLAB_TEST_SLOWDOWN;
} // namespace

class TestEngineBridge : public QObject {
    Q_OBJECT
  private slots:
    void deliversInEngineOrderOnTheOwningThread() {
        EngineController c;
        QStringList order;
        bool allOnOwner = true;
        auto note = [&](const QString& what) {
            order << what;
            allOnOwner = allOnOwner && QThread::currentThread() == c.thread();
        };
        connect(&c, &EngineController::backendStarted, this,
                [&](const QString& b, int, int) { note(QStringLiteral("start ") + b); });
        connect(&c, &EngineController::backendFinished, this, [&](const BackendRun& r) {
            note(QStringLiteral("end ") + QString::fromStdString(r.backend));
        });
        connect(&c, &EngineController::finished, this,
                [&](const Experiment&) { note(QStringLiteral("finished")); });
        QSignalSpy started(&c, &EngineController::started);
        QSignalSpy progress(&c, &EngineController::progress);
        QSignalSpy finished(&c, &EngineController::finished);
        QSignalSpy running(&c, &EngineController::runningChanged);
        QElapsedTimer clock;
        clock.start();
        QString error;
        QVERIFY2(c.start(smallSpec(400, 200), {"sequential", "thread-pool", "process-pool"}, &error),
                 qPrintable(error));
        QVERIFY(c.isRunning());
        QCOMPARE(started.size(), 1);
        QCOMPARE(started.front().front().toULongLong(), c.currentRunId());
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000 * kSlow);
        const qint64 elapsedMs = clock.elapsed();
        QVERIFY(!c.isRunning());
        QCOMPARE(running.size(), 2); // true, then false
        QVERIFY(allOnOwner);
        QCOMPARE(order,
                 QStringList({"start sequential", "end sequential", "start thread-pool", "end thread-pool",
                              "start process-pool", "end process-pool", "finished"}));
        const Experiment ex = finished.front().front().value<Experiment>();
        QCOMPARE(ex.runs.size(), size_t(3));
        for (const auto& r : ex.runs) {
            QVERIFY2(r.error.empty(), r.error.c_str());
            QCOMPARE(r.repetitions.back().tasksDone, int64_t(400));
        }
        // Throttled: at most one progress signal per ~33 ms flush (plus the end-of-thread flush).
        QVERIFY(!progress.isEmpty());
        QVERIFY2(
            progress.size() <= elapsedMs / 25 + 3,
            qPrintable(QStringLiteral("%1 progress signals in %2 ms").arg(progress.size()).arg(elapsedMs)));
        const RunProgress last = progress.back().front().value<RunProgress>();
        QVERIFY(last.overallDone <= last.overallTotal);
        QCOMPARE(last.overallTotal, qint64(3 * 400));
    }

    // Interleaved repetitions alternate between backends: progress follows the running backend
    // and never goes back.
    void interleavedProgressNeverGoesBack() {
        EngineController c;
        QSignalSpy progress(&c, &EngineController::progress);
        QSignalSpy finished(&c, &EngineController::finished);
        WorkloadSpec spec = smallSpec(200, 500);
        spec.repeat = 3;
        spec.interleave = true;
        QString error;
        QVERIFY2(c.start(spec, {"sequential", "thread-pool"}, &error), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000 * kSlow);
        qint64 previous = 0;
        QSet<QString> backendsSeen;
        for (const auto& signal : progress) {
            const RunProgress p = signal.front().value<RunProgress>();
            QVERIFY2(p.overallDone >= previous,
                     qPrintable(QStringLiteral("%1 after %2").arg(p.overallDone).arg(previous)));
            QVERIFY(p.overallDone <= p.overallTotal);
            QCOMPARE(p.backendIndex, p.backend == QLatin1String("sequential") ? 0 : 1);
            previous = p.overallDone;
            backendsSeen << p.backend;
        }
        // The last signal comes before finished() (which ends the bar): most of the work by then.
        QVERIFY2(previous >= 3 * 200, qPrintable(QString::number(previous)));
        QCOMPARE(backendsSeen.size(), 2);
        const Experiment ex = finished.front().front().value<Experiment>();
        for (const auto& r : ex.runs)
            QCOMPARE(int(r.repetitions.size()), 3);
    }

    // backendFinished carries the experiment so far: one more run per signal, speedups computed
    // by the controller — the earlier backend gets its speedup once sequential has finished.
    void backendFinishedCarriesTheExperimentSoFar() {
        EngineController c;
        QSignalSpy backendFinished(&c, &EngineController::backendFinished);
        QSignalSpy finished(&c, &EngineController::finished);
        QString error;
        QVERIFY2(c.start(smallSpec(300, 100), {"thread-pool", "sequential"}, &error), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000 * kSlow);
        QCOMPARE(backendFinished.size(), 2);
        const auto soFar = [&](int i) { return backendFinished[i].at(1).value<Experiment>(); };
        const Experiment first = soFar(0), second = soFar(1);
        QCOMPARE(first.spec.tasks, int64_t(300));
        QCOMPARE(first.runs.size(), size_t(1));
        QCOMPARE(first.runs[0].backend, std::string("thread-pool"));
        QCOMPARE(backendFinished[0].at(0).value<BackendRun>().backend, std::string("thread-pool"));
        QVERIFY(!first.runs[0].summary.speedup); // no sequential yet
        QCOMPARE(second.runs.size(), size_t(2));
        QCOMPARE(second.runs[1].backend, std::string("sequential"));
        QCOMPARE(backendFinished[1].at(0).value<BackendRun>().backend, std::string("sequential"));
        QVERIFY(second.runs[0].summary.speedup.has_value());
        QVERIFY(*second.runs[0].summary.speedup > 0);
        QVERIFY(second.runs[1].summary.speedup.has_value());
        QCOMPARE(*second.runs[1].summary.speedup, 1.0);
        // The same speedups as the finished experiment's (computed the same way, once each).
        const Experiment ex = finished.front().front().value<Experiment>();
        for (const BackendRun& r : ex.runs)
            if (r.backend == "thread-pool") QCOMPARE(r.summary.speedup, second.runs[0].summary.speedup);
    }

    void stopKeepsTheFinishedWork() {
        EngineController c;
        QSignalSpy progress(&c, &EngineController::progress);
        QSignalSpy finished(&c, &EngineController::finished);
        QString error;
        QVERIFY2(c.start(smallSpec(2'000'000, 50), {"thread-pool"}, &error),
                 qPrintable(error)); // ~50 s of work
        QTRY_VERIFY_WITH_TIMEOUT(!progress.isEmpty() &&
                                     progress.back().front().value<RunProgress>().overallDone > 100,
                                 20000 * kSlow);
        QElapsedTimer clock;
        clock.start();
        c.stop();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 5000 * kSlow);
        QVERIFY2(clock.elapsed() < 2000 * kSlow, QByteArray::number(clock.elapsed()));
        const Experiment ex = finished.front().front().value<Experiment>();
        QCOMPARE(ex.runs.size(), size_t(1));
        QVERIFY(ex.runs[0].cancelled);
        QVERIFY2(ex.runs[0].error.empty(), ex.runs[0].error.c_str());
        const int64_t done = ex.runs[0].repetitions.back().tasksDone;
        QVERIFY2(done > 100 && done < 2'000'000, QByteArray::number(qint64(done)));
    }

    void discardedRunDeliversNothing() {
        EngineController c;
        QSignalSpy started(&c, &EngineController::started);
        QSignalSpy finished(&c, &EngineController::finished);
        QSignalSpy backendFinished(&c, &EngineController::backendFinished);
        QString error;
        QVERIFY2(c.start(smallSpec(2'000'000, 50), {"thread-pool", "process-pool"}, &error),
                 qPrintable(error));
        const quint64 first = c.currentRunId();
        QTest::qWait(100);
        c.discard();
        QVERIFY(!c.isRunning());
        QVERIFY2(c.start(smallSpec(50, 10), {"sequential"}, &error), qPrintable(error));
        QVERIFY(c.currentRunId() > first);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000 * kSlow);
        QTest::qWait(300); // the discarded run's thread ends meanwhile: nothing of it may arrive
        QCOMPARE(finished.size(), 1);
        const Experiment ex = finished.front().front().value<Experiment>();
        QCOMPARE(ex.runs.size(), size_t(1));
        QCOMPARE(ex.runs[0].backend, std::string("sequential"));
        QCOMPARE(ex.spec.tasks, int64_t(50));
        for (const auto& args : backendFinished)
            QCOMPARE(args.front().value<BackendRun>().backend, std::string("sequential"));
        QCOMPARE(started.size(), 2);
    }

    void sweepPointsArriveThenTheSweep() {
        EngineController c;
        QSignalSpy points(&c, &EngineController::sweepPointFinished);
        QSignalSpy done(&c, &EngineController::sweepFinished);
        QSignalSpy finished(&c, &EngineController::finished);
        QSignalSpy backendFinished(&c, &EngineController::backendFinished);
        QString error;
        QVERIFY2(c.startSweep(smallSpec(100, 10), SweepParam::TaskUs, {10, 100, 1000}, true,
                              {"sequential", "thread-pool"}, &error),
                 qPrintable(error));
        QVERIFY(c.isSweep());
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 60000 * kSlow);
        QCOMPARE(points.size(), 3);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(points[i].front().value<SweepResult>().points.size(), size_t(i + 1));
        const SweepResult sw = done.front().front().value<SweepResult>();
        QCOMPARE(sw.points.size(), size_t(3));
        QVERIFY(!sw.cancelled);
        QCOMPARE(finished.size(), 0); // sweeps end with sweepFinished only
        // The experiment so far restarts at every point: that point's spec, its runs only.
        QCOMPARE(backendFinished.size(), 6);
        const std::vector<double> values{10, 100, 1000};
        for (int i = 0; i < 6; ++i) {
            const Experiment soFar = backendFinished[i].at(1).value<Experiment>();
            QCOMPARE(soFar.runs.size(), size_t(i % 2 + 1));
            QCOMPARE(soFar.spec.taskUs, values[size_t(i / 2)]);
        }
    }

    void refusesBadStarts_data() {
        QTest::addColumn<qint64>("tasks");
        QTest::addColumn<QStringList>("backends");
        QTest::addColumn<QString>("expected");
        QTest::addRow("no tasks") << qint64(0) << QStringList{"sequential"} << "tasks";
        QTest::addRow("unknown backend")
            << qint64(10) << QStringList{"sequential", "warp-drive"} << "warp-drive";
        QTest::addRow("no backend") << qint64(10) << QStringList{} << "no backend";
    }
    void refusesBadStarts() {
        QFETCH(qint64, tasks);
        QFETCH(QStringList, backends);
        QFETCH(QString, expected);
        EngineController c;
        QSignalSpy started(&c, &EngineController::started);
        QString error;
        QVERIFY(!c.start(smallSpec(tasks, 10), backends, &error));
        QVERIFY2(error.contains(expected), qPrintable(error));
        QVERIFY(!c.isRunning());
        QCOMPARE(started.size(), 0);
    }

    void refusesASecondRunWhileRunning() {
        EngineController c;
        QString error;
        QVERIFY(c.start(smallSpec(2'000'000, 50), {"thread-pool"}, &error));
        QVERIFY(!c.start(smallSpec(10, 10), {"sequential"}, &error));
        QVERIFY2(error.contains(QLatin1String("already")), qPrintable(error));
        QVERIFY(!c.startSweep(smallSpec(10, 10), SweepParam::TaskUs, {1, 2}, false, {"sequential"}, &error));
        c.stop();
        QSignalSpy finished(&c, &EngineController::finished);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 5000 * kSlow);
    }

    // Closing the window mid-run destroys the controller: it must cancel and join, promptly.
    void destructionMidRunJoins() {
        const int fdsBefore = test::openFdCount();
        const QStringList shmBefore = test::shmEntriesNotOfOtherConlabs();
        auto* c = new EngineController;
        QSignalSpy progress(c, &EngineController::progress);
        QString error;
        QVERIFY(c->start(smallSpec(2'000'000, 50), {"process-pool"}, &error));
        QTRY_VERIFY_WITH_TIMEOUT(!progress.isEmpty(), 20000 * kSlow);
        QElapsedTimer clock;
        clock.start();
        delete c;
        QVERIFY2(clock.elapsed() < 2000 * kSlow, QByteArray::number(clock.elapsed()));
        QCOMPARE(test::childProcessCount(), 0);
        QVERIFY(test::noUnreapedChild());
        QCOMPARE(test::openFdCount(), fdsBefore);
        QCOMPARE(test::shmEntriesNotOfOtherConlabs(), shmBefore);
    }
};

QTEST_GUILESS_MAIN(TestEngineBridge)
#include "tst_engine_bridge.moc"
