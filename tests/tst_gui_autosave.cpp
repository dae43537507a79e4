// The app's side of autosave (docs/gui.md, *Autosave and restore*): finished runs, stopped runs
// and sweeps are autosaved; after a session that did not quit cleanly the restore bar offers
// them without a modal dialog; Restore, Discard, a user's save, damaged files, the File menu;
// and end to end, a real crash of the `conlab` binary followed by a restart that offers it.
// Offscreen platform; autosaves go to temporary folders (QStandardPaths test mode on).
#include "autosave.h"
#include "backend_picker.h"
#include "engine_controller.h"
#include "main_window.h"
#include "results_json.h"
#include "results_model.h"
#include "sweep_panel.h"
#include "workload_panel.h"

#include <QAction>
#include <QApplication>
#include <QElapsedTimer>
#include <QFrame>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMenu>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <sys/wait.h>
#include <unistd.h>

using namespace conlab;
using namespace conlab::ui;

namespace {

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeFile(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

void smallSpec(MainWindow& w, int64_t tasks, double taskUs) {
    WorkloadSpec s;
    s.tasks = tasks;
    s.taskUs = taskUs;
    s.workers = 2;
    s.repeat = 1;
    w.workloadPanel()->setSpec(s);
}

// A pid that certainly belongs to no process: a child that exited and was reaped.
pid_t deadPid() {
    const pid_t pid = fork();
    if (pid == 0) _exit(0);
    int status = 0;
    waitpid(pid, &status, 0);
    return pid;
}

// Leaves `store`'s session behind as a crash does: its marker stays, its process is gone.
bool simulateCrash(const AutosaveStore& store) {
    QJsonObject marker = QJsonDocument::fromJson(readAll(store.markerPath())).object();
    if (marker.isEmpty()) return false;
    marker["pid"] = qint64(deadPid());
    marker.remove("start_ticks");
    return writeFile(store.markerPath(), QJsonDocument(marker).toJson());
}

QToolButton* restoreButton(MainWindow& w) {
    return w.findChild<QToolButton*>(QStringLiteral("restoreButton"));
}
QPushButton* discardButton(MainWindow& w) {
    return w.findChild<QPushButton*>(QStringLiteral("discardButton"));
}
QString restoreText(MainWindow& w) {
    return w.findChild<QLabel*>(QStringLiteral("restoreText"))->text();
}

} // namespace

class TestGuiAutosave : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase();
    void finishedRunIsAutosaved();
    void stoppedRunWithResultsIsAutosaved();
    void sweepIsAutosaved();
    void restoreBarAfterCrash();
    void discardAndUserSaveAcknowledge();
    void damagedAutosaveDoesNotBlock();
    void autosaveMenuListsAndOpens();
    void failingAutosaveIsNotModal();
    void crashOfTheAppIsOfferedOnRestart();

  private:
    QTemporaryDir m_dir;
    std::optional<Experiment> m_ex; // from finishedRunIsAutosaved
};

void TestGuiAutosave::initTestCase() {
    QVERIFY(m_dir.isValid());
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("conlab-test"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_gui_autosave"));
    QSettings().clear();
    qunsetenv("CONLAB_AUTOSAVE_DIR");
}

void TestGuiAutosave::finishedRunIsAutosaved() {
    QTemporaryDir dir;
    AutosaveStore store(dir.path());
    QVERIFY(store.beginSession());
    MainWindow w;
    w.setAutosaveStore(&store);
    w.show();
    smallSpec(w, 300, 50);
    w.backendPicker()->setSelectedBackends({"sequential", "thread-pool", "process-pool"});
    QSignalSpy finished(w.controller(), &EngineController::finished);
    QSignalSpy autosaved(&w, &MainWindow::autosaved);
    QString error;
    QVERIFY2(w.startRun(&error), qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000 * CONLAB_TEST_SLOWDOWN);
    QCOMPARE(autosaved.size(), 1);
    const QString path = autosaved.front().front().toString();
    QCOMPARE(w.lastAutosave(), path);
    QCOMPARE(int(store.entries().size()), 1);
    QCOMPARE(store.entries().front().path, path);
    QVERIFY(w.findChild<QLabel*>(QStringLiteral("runStatus"))->text().contains(QLatin1String("Autosaved")));
    QVERIFY(w.isModified()); // an autosave is not the user's save

    // The autosave loads back equal to what the window shows.
    QVERIFY(w.experiment());
    const LoadResult back = loadResultsFile(path);
    QVERIFY2(back.experiment, qPrintable(back.error));
    const Experiment& ex = *w.experiment();
    QCOMPARE(back.experiment->runs.size(), size_t(3));
    for (size_t i = 0; i < 3; ++i) {
        QVERIFY2(ex.runs[i].error.empty() && !ex.runs[i].cancelled,
                 qPrintable(QString::fromStdString(ex.runs[i].backend + ": " + ex.runs[i].error)));
        QCOMPARE(back.experiment->runs[i].backend, ex.runs[i].backend);
        QCOMPARE(back.experiment->runs[i].repetitions.size(), ex.runs[i].repetitions.size());
        for (size_t k = 0; k < ex.runs[i].repetitions.size(); ++k)
            QCOMPARE(back.experiment->runs[i].repetitions[k].tasksDone, int64_t(300));
    }
    QCOMPARE(toJson(*back.experiment), toJson(ex));
    m_ex = ex;
    store.markCleanExit();
}

void TestGuiAutosave::stoppedRunWithResultsIsAutosaved() {
    QTemporaryDir dir;
    AutosaveStore store(dir.path());
    MainWindow w;
    w.setAutosaveStore(&store);
    w.show();
    smallSpec(w, 2'000'000, 50); // far more than the test waits for
    w.backendPicker()->setSelectedBackends({"thread-pool", "process-pool"});
    QSignalSpy finished(w.controller(), &EngineController::finished);
    QSignalSpy progress(w.controller(), &EngineController::progress);
    QSignalSpy autosaved(&w, &MainWindow::autosaved);
    QString error;
    QVERIFY2(w.startRun(&error), qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(!progress.isEmpty() &&
                                 progress.back().front().value<RunProgress>().overallDone > 100,
                             20000 * CONLAB_TEST_SLOWDOWN);
    w.stopAction()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000 * CONLAB_TEST_SLOWDOWN);
    QCOMPARE(autosaved.size(), 1);
    const LoadResult back = loadResultsFile(autosaved.front().front().toString());
    QVERIFY2(back.experiment, qPrintable(back.error));
    QCOMPARE(back.experiment->runs.size(), size_t(1));
    QVERIFY(back.experiment->runs.front().cancelled);
    QVERIFY(back.experiment->runs.front().repetitions.front().tasksDone > 0);
}

void TestGuiAutosave::sweepIsAutosaved() {
    QTemporaryDir dir;
    AutosaveStore store(dir.path());
    QVERIFY(store.beginSession());
    MainWindow w;
    w.setAutosaveStore(&store);
    w.show();
    smallSpec(w, 60, 10);
    w.backendPicker()->setSelectedBackends({"sequential", "thread-pool"});
    w.sweepPanel()->showSweep(SweepParam::TaskUs, {10, 100}, true);
    w.sweepPanel()->setChecked(true);
    QSignalSpy finished(w.controller(), &EngineController::sweepFinished);
    QSignalSpy autosaved(&w, &MainWindow::autosaved);
    QString error;
    QVERIFY2(w.startRun(&error), qPrintable(error));
    QVERIFY(w.controller()->isSweep());
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000 * CONLAB_TEST_SLOWDOWN);
    QCOMPARE(autosaved.size(), 1);
    const QString path = autosaved.front().front().toString();
    QVERIFY(path.endsWith(QLatin1String("-sweep.json")));
    const SweepLoad sl = sweepFromJsonBytes(readAll(path));
    QVERIFY2(sl.sweep, qPrintable(sl.error));
    QCOMPARE(sl.sweep->points.size(), size_t(2));
    QCOMPARE(sl.sweep->backends, (std::vector<std::string>{"sequential", "thread-pool"}));

    // Restored in a fresh window (as after a crash): the sweep views, unsaved.
    QVERIFY(simulateCrash(store));
    AutosaveStore nextSession(dir.path());
    QVERIFY(nextSession.beginSession());
    MainWindow other;
    other.setAutosaveStore(&nextSession);
    const PendingRestore pending = nextSession.pendingRestore();
    QCOMPARE(int(pending.entries.size()), 1);
    other.offerRestore(pending);
    QVERIFY(other.restoreBar()->isVisibleTo(&other));
    QVERIFY2(restoreText(other).contains(
                 QLatin1String("sweep of task-us: 2 of 2 points, 2 backends (sequential, thread-pool)")),
             qPrintable(restoreText(other)));
    QVERIFY(!restoreButton(other)->menu()); // one autosave: no choice to offer
    restoreButton(other)->click();
    QVERIFY(other.sweep());
    QCOMPARE(other.sweep()->points.size(), size_t(2));
    QVERIFY(other.isModified());
    QVERIFY(other.currentFile().isEmpty());
    QVERIFY(other.sweepPanel()->isChecked());
    QVERIFY(!other.restoreBar()->isVisibleTo(&other));
    nextSession.markCleanExit();
}

void TestGuiAutosave::restoreBarAfterCrash() {
    QVERIFY(m_ex);
    QTemporaryDir dir;
    AutosaveStore previous(dir.path());
    QVERIFY(previous.beginSession());
    QVERIFY(previous.save(*m_ex));
    QVERIFY(previous.save(*m_ex)); // two results of that session
    QVERIFY(simulateCrash(previous));

    AutosaveStore store(dir.path());
    QVERIFY(store.beginSession());
    MainWindow w;
    w.setAutosaveStore(&store);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(!w.restoreBar()->isVisible()); // nothing until offered
    const PendingRestore pending = store.pendingRestore();
    QCOMPARE(int(pending.entries.size()), 2);
    w.offerRestore(pending); // returns at once: no modal dialog
    QVERIFY(w.restoreBar()->isVisible());
    QVERIFY(QApplication::activeModalWidget() == nullptr);
    const QString text = restoreText(w);
    QVERIFY2(text.contains(QLatin1String("did not quit cleanly")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral(
                 "run of 3 backends (sequential, thread-pool, process-pool), 300 tasks × 50 µs")),
             qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("1 older autosave")), qPrintable(text));
    QVERIFY(restoreButton(w)->isVisible());
    QCOMPARE(restoreButton(w)->menu()->actions().size(), 2); // the arrow lists both
    QCOMPARE(discardButton(w)->text(), QStringLiteral("Discard"));

    restoreButton(w)->click(); // the newest
    QVERIFY(w.experiment());
    QCOMPARE(toJson(*w.experiment()), toJson(*m_ex));
    QCOMPARE(w.resultsModel()->rowCount(), 3);
    QVERIFY(w.isModified()); // opened like a file, but unsaved
    QVERIFY(w.currentFile().isEmpty());
    QVERIFY(w.windowTitle().startsWith(QLatin1String("Untitled experiment")));
    QVERIFY(!QSettings().value("recentFiles").toStringList().contains(pending.entries.front().path));
    QVERIFY(w.findChild<QLabel*>(QStringLiteral("runStatus"))->text().startsWith(QLatin1String("Restored")));
    QVERIFY(!w.restoreBar()->isVisible());
    // Acknowledged: the next start offers nothing; the crashed session's marker is gone.
    QVERIFY(store.pendingRestore().empty());
    QVERIFY(!QFile::exists(previous.markerPath()));
    QVERIFY(QFile::exists(store.markerPath()));
    store.markCleanExit();
    AutosaveStore after(dir.path());
    QVERIFY(after.pendingRestore().empty());
}

void TestGuiAutosave::discardAndUserSaveAcknowledge() {
    QVERIFY(m_ex);
    QTemporaryDir dir;
    {
        AutosaveStore previous(dir.path());
        QVERIFY(previous.beginSession());
        QVERIFY(previous.save(*m_ex));
        QVERIFY(simulateCrash(previous));
    }
    AutosaveStore store(dir.path());
    QVERIFY(store.beginSession());
    MainWindow w;
    w.setAutosaveStore(&store);
    w.show();
    w.offerRestore(store.pendingRestore());
    QVERIFY(w.restoreBar()->isVisible());
    discardButton(w)->click();
    QVERIFY(!w.restoreBar()->isVisible());
    QVERIFY(!w.experiment()); // nothing opened
    QVERIFY(store.pendingRestore().empty());
    QCOMPARE(int(store.entries().size()), 1); // the file stays (File → Open autosaved)

    // This session autosaves, the user saves, then it crashes: nothing to offer.
    QVERIFY(w.restoreAutosave(store.entries().front().path));
    QVERIFY(store.save(*w.experiment()));
    QString error;
    QVERIFY2(w.saveFile(m_dir.filePath("mine.json"), &error), qPrintable(error));
    QVERIFY(simulateCrash(store));
    AutosaveStore next(dir.path());
    QCOMPARE(next.crashedSessions(), QStringList{store.sessionToken()});
    QVERIFY(next.pendingRestore().empty());
    // …but what it autosaved after the user's save is offered.
    QVERIFY(store.save(*w.experiment()));
    QCOMPARE(int(next.pendingRestore().entries.size()), 1);
}

void TestGuiAutosave::damagedAutosaveDoesNotBlock() {
    QVERIFY(m_ex);
    QTemporaryDir dir;
    AutosaveStore previous(dir.path());
    QVERIFY(previous.beginSession());
    const auto good = previous.save(*m_ex);
    const auto bad = previous.save(*m_ex);
    QVERIFY(good && bad);
    const QByteArray bytes = readAll(bad->path);
    QVERIFY(writeFile(bad->path, bytes.left(bytes.size() / 2)));
    QVERIFY(simulateCrash(previous));

    AutosaveStore store(dir.path());
    MainWindow w;
    w.setAutosaveStore(&store);
    w.show();
    const PendingRestore pending = store.pendingRestore();
    QCOMPARE(int(pending.entries.size()), 1);
    QCOMPARE(pending.problems.size(), 1);
    w.offerRestore(pending);
    QVERIFY(w.restoreBar()->isVisible());
    QVERIFY2(restoreText(w).contains(QLatin1String("1 damaged autosave(s) skipped")),
             qPrintable(restoreText(w)));
    QVERIFY(restoreText(w).contains(QFileInfo(bad->path).fileName()));
    restoreButton(w)->click(); // the intact one
    QVERIFY(w.experiment());
    QCOMPARE(toJson(*w.experiment()), toJson(*m_ex));

    // Only damaged files: the bar says so, there is nothing to restore, Dismiss closes it.
    AutosaveStore crashed(dir.path());
    QVERIFY(crashed.beginSession());
    const auto broken = crashed.save(*m_ex);
    QVERIFY(broken);
    QVERIFY(writeFile(broken->path, QByteArray("\x00\x01garbage", 9)));
    QVERIFY(simulateCrash(crashed));
    AutosaveStore third(dir.path());
    MainWindow w2;
    w2.setAutosaveStore(&third);
    const PendingRestore only = third.pendingRestore();
    QVERIFY(only.entries.empty());
    QVERIFY(!only.problems.isEmpty());
    w2.offerRestore(only);
    QVERIFY(w2.restoreBar()->isVisibleTo(&w2));
    QVERIFY(restoreText(w2).contains(QLatin1String("None of its autosaves can be restored")));
    QVERIFY(!restoreButton(w2)->isVisibleTo(&w2));
    QCOMPARE(discardButton(w2)->text(), QStringLiteral("Dismiss"));
    discardButton(w2)->click();
    QVERIFY(!w2.restoreBar()->isVisibleTo(&w2));
    QVERIFY(third.pendingRestore().empty());
}

void TestGuiAutosave::autosaveMenuListsAndOpens() {
    QVERIFY(m_ex);
    QTemporaryDir dir;
    AutosaveStore store(dir.path());
    MainWindow w;
    QVERIFY(!w.autosaveMenu()->isEnabled()); // no store: autosave off
    w.setAutosaveStore(&store);
    QVERIFY(w.autosaveMenu()->isEnabled());
    emit w.autosaveMenu()->aboutToShow();
    QCOMPARE(w.autosaveMenu()->actions().front()->text(), QStringLiteral("(none yet)"));
    QVERIFY(store.save(*m_ex));
    QVERIFY(store.saveSweep(QJsonDocument(sweepToJson(
                                              [&] {
                                                  SweepResult sw;
                                                  sw.base = m_ex->spec;
                                                  sw.values = {m_ex->spec.taskUs};
                                                  sw.backends = {"sequential"};
                                                  sw.machine = m_ex->machine;
                                                  sw.calibration = m_ex->calibration;
                                                  return sw;
                                              }(),
                                              {}))
                                .toJson(),
                            QString()));
    emit w.autosaveMenu()->aboutToShow();
    QList<QAction*> actions = w.autosaveMenu()->actions();
    QCOMPARE(actions.size(), 4); // 2 autosaves, separator, show folder
    QVERIFY(actions[0]->text().endsWith(QStringLiteral("— sweep")));
    QVERIFY(actions[1]->text().endsWith(QStringLiteral("— run")));
    QCOMPARE(actions[1]->toolTip(), store.entries()[1].path);
    actions[1]->trigger();
    QVERIFY(w.experiment());
    QCOMPARE(toJson(*w.experiment()), toJson(*m_ex));
    QVERIFY(w.isModified());
    QVERIFY(w.currentFile().isEmpty());
}

void TestGuiAutosave::failingAutosaveIsNotModal() {
    QTemporaryDir dir;
    const QString blocked = dir.filePath("autosave");
    QVERIFY(writeFile(blocked, "a file where the folder should be"));
    AutosaveStore store(blocked);
    MainWindow w;
    w.setAutosaveStore(&store);
    w.show();
    smallSpec(w, 50, 10);
    w.backendPicker()->setSelectedBackends({"sequential"});
    QSignalSpy finished(w.controller(), &EngineController::finished);
    QSignalSpy failed(&w, &MainWindow::autosaveFailed);
    QString error;
    QVERIFY2(w.startRun(&error), qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000 * CONLAB_TEST_SLOWDOWN);
    QCOMPARE(failed.size(), 1);
    QVERIFY(QApplication::activeModalWidget() == nullptr);
    const QString status = w.findChild<QLabel*>(QStringLiteral("runStatus"))->text();
    QVERIFY2(status.contains(QLatin1String("Autosave failed: cannot create the autosave folder")),
             qPrintable(status));
    QVERIFY(w.experiment()); // the result is shown all the same
}

// A real process: the main window in bin/conlab-screenshots (tools/screenshots/) finishes a run
// and autosaves it, then is killed (SIGKILL, --crash-after-autosave); the next start shows the
// restore bar (the restore scenario grabs it, presses Restore and grabs the result).
void TestGuiAutosave::crashOfTheAppIsOfferedOnRestart() {
    const QString autosaveDir = m_dir.filePath("e2e-autosave");
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("QT_QPA_PLATFORM", "offscreen");
    env.insert("XDG_CONFIG_HOME", m_dir.filePath("e2e-config"));
    const QString screenshots = QStringLiteral(CONLAB_BIN_DIR "/conlab-screenshots");
    QProcess crashing;
    crashing.setProcessEnvironment(env);
    crashing.start(screenshots, {"run", m_dir.filePath("e2e-run.png"), "--tasks", "100", "--autosave-dir",
                                 autosaveDir, "--crash-after-autosave"});
    QVERIFY(crashing.waitForFinished(180000 * CONLAB_TEST_SLOWDOWN));
    QCOMPARE(crashing.exitStatus(), QProcess::CrashExit);
    AutosaveStore view(autosaveDir);
    QCOMPARE(int(view.entries().size()), 1);
    QCOMPARE(view.crashedSessions().size(), 1);
    const LoadResult saved = loadResultsFile(view.entries().front().path);
    QVERIFY2(saved.experiment, qPrintable(saved.error));
    QVERIFY(!saved.experiment->runs.empty());
    QCOMPARE(saved.experiment->spec.tasks, int64_t(100));
    {
        // What an autosave costs on the GUI thread (serialise + write + fsync + rename): printed, not
        // asserted.
        AutosaveStore timing(m_dir.filePath("timing"));
        QElapsedTimer t;
        t.start();
        const auto e = timing.save(*saved.experiment);
        QVERIFY(e);
        qInfo("autosave of a run of %d backends: %lld KiB in %lld ms", int(saved.experiment->runs.size()),
              QFileInfo(e->path).size() / 1024, t.elapsed());
    }

    const QString shot = m_dir.filePath("restore.png");
    QProcess restart;
    restart.setProcessEnvironment(env);
    restart.start(screenshots, {"restore", shot, "--autosave-dir", autosaveDir});
    QVERIFY(restart.waitForFinished(60000 * CONLAB_TEST_SLOWDOWN));
    QVERIFY2(restart.exitStatus() == QProcess::NormalExit && restart.exitCode() == 0,
             restart.readAllStandardError().constData());
    const QString out = QString::fromLocal8Bit(restart.readAllStandardOutput());
    QVERIFY2(out.contains(shot), qPrintable(out));
    QVERIFY(!QImage(shot).isNull());
    QVERIFY(!QImage(m_dir.filePath("restore-restored.png")).isNull());
    // Restored (acknowledged) and quit cleanly: no marker left, nothing offered any more.
    QVERIFY(QDir(autosaveDir).entryList({QStringLiteral("session-*.json")}).isEmpty());
    QVERIFY(AutosaveStore(autosaveDir).pendingRestore().empty());
    if (const QByteArray keep = qgetenv("CONLAB_KEEP_SCREENSHOT"); !keep.isEmpty()) {
        QFile::remove(QString::fromLocal8Bit(keep));
        QFile::copy(shot, QString::fromLocal8Bit(keep));
    }
}

QTEST_MAIN(TestGuiAutosave)
#include "tst_gui_autosave.moc"
