// The desktop app's entry point (called by app/main.cpp when there are no arguments and a
// display). CONLAB_SCREENSHOT=FILE.png turns it into the screenshot generator used by
// tools/screenshots.sh: run a workload, grab the window (and each plot tab), quit.
// CONLAB_SCREENSHOT_MODE=sweep runs a quick task-us sweep instead (grabs the speedup and phase
// tabs); CONLAB_SCREENSHOT_MODE=lesson:NAME runs a lesson (grabs the speedup tab and verdict);
// CONLAB_SCREENSHOT_MODE=restore grabs the restore bar that a crashed session in
// CONLAB_AUTOSAVE_DIR leaves, then presses Restore and grabs FILE-restored.png.
//
// Autosave (core/autosave.h): the app marks its session, autosaves every finished run and
// offers to restore after a session that did not quit cleanly. Screenshot runs autosave only
// when CONLAB_AUTOSAVE_DIR is set (never into the user's folder). Testing only:
// CONLAB_TEST_CRASH_AFTER_AUTOSAVE=1 kills the app with SIGKILL right after its first
// autosave, a real crash for tst_gui_autosave.
#include "autosave.h"
#include "backend_picker.h"
#include "main_window.h"
#include "plot_views.h"
#include "sweep_panel.h"
#include "sweep_views.h"
#include "workload_panel.h"

#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QIcon>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QToolButton>
#include <csignal>
#include <cstdio>
#include <optional>
#include <qcustomplot.h>

namespace {

constexpr int kGuiUnavailable = -1; // app/main.cpp: no window can open, run headless

bool grabTo(conlab::ui::MainWindow& window, QWidget* tab, const QString& path) {
    auto* tabs = window.findChild<QTabWidget*>(QStringLiteral("plotTabs"));
    tabs->setCurrentWidget(tab);
    QApplication::processEvents();
    for (auto* v : window.findChildren<conlab::ui::PlotView*>())
        v->plot()->replot();
    QApplication::processEvents();
    if (!window.grab().save(path)) {
        std::fprintf(stderr, "conlab: cannot write %s\n", qPrintable(path));
        return false;
    }
    std::printf("%s\n", qPrintable(path));
    return true;
}

// A sweep (mode "sweep") or a lesson (mode "lesson:NAME"): grab the sweep tabs when it is done.
int runSweepScreenshots(conlab::ui::MainWindow& window, const QString& target, const QString& mode) {
    window.resize(1600, 1000);
    window.show();
    QObject::connect(window.controller(), &conlab::ui::EngineController::failed, qApp, [](const QString& m) {
        std::fprintf(stderr, "conlab: screenshot sweep failed: %s\n", qPrintable(m));
        qApp->exit(1);
    });
    QObject::connect(
        window.controller(), &conlab::ui::EngineController::sweepFinished, &window, [&window, target, mode] {
            QTimer::singleShot(800, &window, [&window, target, mode] {
                const QFileInfo fi(target);
                QDir().mkpath(fi.absolutePath());
                const QString base = fi.absolutePath() + QLatin1Char('/') + fi.completeBaseName();
                bool ok = grabTo(window, window.speedupView(), base + QStringLiteral(".png"));
                if (ok && mode == QLatin1String("sweep"))
                    ok = grabTo(window, window.phasesView(), base + QStringLiteral("-phases.png"));
                window.setWindowModified(false);
                qApp->exit(ok ? 0 : 1);
            });
        });
    QTimer::singleShot(300, &window, [&window, mode] {
        QString error;
        bool ok = false;
        if (mode.startsWith(QLatin1String("lesson:"))) {
            ok = window.runLesson(mode.mid(7), &error);
        } else {
            conlab::WorkloadSpec spec;
            spec.tasks = 200;
            spec.workers = 2;
            spec.repeat = 3;
            window.workloadPanel()->setSpec(spec);
            window.backendPicker()->setSelectedBackends(
                {"sequential", "process-per-task", "process-pool", "thread-pool"});
            window.sweepPanel()->setRange(conlab::SweepParam::TaskUs, QStringLiteral("1"),
                                          QStringLiteral("10000"), 9, true);
            ok = window.startRun(&error);
        }
        if (!ok) {
            std::fprintf(stderr, "conlab: cannot start the screenshot sweep: %s\n", qPrintable(error));
            qApp->exit(1);
        }
    });
    return QApplication::exec();
}

// The restore bar after a crashed session, then the restored experiment.
int runRestoreScreenshots(conlab::ui::MainWindow& window, conlab::AutosaveStore* store,
                          const QString& target) {
    if (!store) {
        std::fprintf(stderr, "conlab: the restore screenshot needs CONLAB_AUTOSAVE_DIR\n");
        return 2;
    }
    window.resize(1600, 1000);
    window.show();
    QTimer::singleShot(300, &window, [&window, store, target] {
        const conlab::PendingRestore pending = store->pendingRestore();
        window.offerRestore(pending);
        if (pending.empty()) {
            std::fprintf(stderr, "conlab: nothing to restore in %s\n", qPrintable(store->directory()));
            qApp->exit(1);
            return;
        }
        QTimer::singleShot(500, &window, [&window, target] {
            const QFileInfo fi(target);
            QDir().mkpath(fi.absolutePath());
            if (!window.grab().save(target)) {
                std::fprintf(stderr, "conlab: cannot write %s\n", qPrintable(target));
                qApp->exit(1);
                return;
            }
            std::printf("%s\n", qPrintable(target));
            auto* restore = window.findChild<QToolButton*>(QStringLiteral("restoreButton"));
            if (!restore || !restore->isVisible()) {
                std::fprintf(stderr, "conlab: no autosave could be restored\n");
                qApp->exit(1);
                return;
            }
            restore->click();
            if (!window.experiment() && !window.sweep()) {
                std::fprintf(stderr, "conlab: restoring failed\n");
                qApp->exit(1);
                return;
            }
            QTimer::singleShot(800, &window, [&window, fi] {
                for (auto* v : window.findChildren<conlab::ui::PlotView*>())
                    v->plot()->replot();
                QApplication::processEvents();
                const QString path = fi.absolutePath() + QLatin1Char('/') + fi.completeBaseName() +
                                     QStringLiteral("-restored.png");
                window.setWindowModified(false); // the screenshot app quits without asking to save
                const bool ok = window.grab().save(path);
                if (ok) std::printf("%s\n", qPrintable(path));
                qApp->exit(ok ? 0 : 1);
            });
        });
    });
    return QApplication::exec();
}

// CONLAB_SCREENSHOT_SIZE=WxH (default 1600x1000): the window size of the screenshot run.
QSize screenshotSize() {
    const QStringList wh = qEnvironmentVariable("CONLAB_SCREENSHOT_SIZE").split(QLatin1Char('x'));
    if (wh.size() == 2 && wh[0].toInt() > 0 && wh[1].toInt() > 0) return QSize(wh[0].toInt(), wh[1].toInt());
    return QSize(1600, 1000);
}

int runScreenshots(conlab::ui::MainWindow& window, const QString& target) {
    conlab::WorkloadSpec spec;
    spec.tasks = qEnvironmentVariableIntValue("CONLAB_SCREENSHOT_TASKS") > 0
                     ? qEnvironmentVariableIntValue("CONLAB_SCREENSHOT_TASKS")
                     : 2000;
    spec.taskUs = 200;
    spec.repeat = 2;
    window.workloadPanel()->setSpec(spec);
    window.backendPicker()->selectAll(); // every backend: the colours and the breakdown at full size
    window.resize(screenshotSize());
    window.show();
    QObject::connect(window.controller(), &conlab::ui::EngineController::failed, qApp, [](const QString& m) {
        std::fprintf(stderr, "conlab: screenshot run failed: %s\n", qPrintable(m));
        qApp->exit(1);
    });
    // A backend that fails during a screenshot run is reported, not just drawn as "(failed)".
    QObject::connect(window.controller(), &conlab::ui::EngineController::backendFinished, qApp,
                     [](const conlab::BackendRun& run) {
                         if (!run.error.empty()) std::fprintf(stderr, "conlab: %s\n", run.error.c_str());
                     });
    QObject::connect(
        window.controller(), &conlab::ui::EngineController::finished, &window, [&window, target] {
            // Let the queued replots and layouts settle, then grab every tab.
            QTimer::singleShot(800, &window, [&window, target] {
                auto* tabs = window.findChild<QTabWidget*>(QStringLiteral("plotTabs"));
                const QFileInfo fi(target);
                QDir().mkpath(fi.absolutePath());
                const QStringList names = {QString(), QStringLiteral("-throughput"),
                                           QStringLiteral("-timeline")};
                for (int i = 0; i < tabs->count() && i < names.size(); ++i) {
                    tabs->setCurrentIndex(i);
                    QApplication::processEvents();
                    for (auto* v : window.findChildren<conlab::ui::PlotView*>())
                        v->plot()->replot();
                    QApplication::processEvents();
                    const QString path = fi.absolutePath() + QLatin1Char('/') + fi.completeBaseName() +
                                         names[i] + QStringLiteral(".png");
                    if (!window.grab().save(path)) {
                        std::fprintf(stderr, "conlab: cannot write %s\n", qPrintable(path));
                        qApp->exit(1);
                        return;
                    }
                    std::printf("%s\n", qPrintable(path));
                }
                tabs->setCurrentIndex(0);
                qApp->exit(0);
            });
        });
    QTimer::singleShot(300, &window, [&window] {
        QString error;
        if (!window.startRun(&error)) {
            std::fprintf(stderr, "conlab: cannot start the screenshot run: %s\n", qPrintable(error));
            qApp->exit(1);
        }
    });
    return QApplication::exec();
}

} // namespace

int runGui(int argc, char** argv) {
    Q_INIT_RESOURCE(conlab); // the resources live in a static library
    // A display that cannot be reached (DISPLAY=:99 without a server, QT_QPA_PLATFORM=nosuch)
    // made Qt abort (134). The platform list gets "offscreen" as a last resort; landing there
    // unasked means no window can open: kGuiUnavailable, and main() runs headless.
    const QByteArray requested = qgetenv("QT_QPA_PLATFORM");
    QByteArray platforms = requested;
    if (platforms.isEmpty()) platforms = qEnvironmentVariableIsEmpty("DISPLAY") ? "wayland" : "xcb";
    const bool fallback = !platforms.contains("offscreen") && !platforms.contains("minimal");
    if (fallback) qputenv("QT_QPA_PLATFORM", platforms + ";offscreen");
    QApplication app(argc, argv);
    if (requested.isEmpty())
        qunsetenv("QT_QPA_PLATFORM"); // not passed on to workers and interpreters
    else
        qputenv("QT_QPA_PLATFORM", requested);
    if (fallback && QGuiApplication::platformName() == QLatin1String("offscreen")) {
        std::fprintf(stderr,
                     "conlab: cannot open a window (Qt platform '%s' did not start; DISPLAY='%s', "
                     "WAYLAND_DISPLAY='%s')\n",
                     platforms.constData(), qgetenv("DISPLAY").constData(),
                     qgetenv("WAYLAND_DISPLAY").constData());
        return kGuiUnavailable;
    }
    QApplication::setOrganizationName(QStringLiteral("conlab"));
    QApplication::setApplicationName(QStringLiteral("conlab"));
    QApplication::setApplicationDisplayName(QStringLiteral("Concurrency Lab"));
    QApplication::setApplicationVersion(QStringLiteral(CONLAB_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("io.github.conlab.Conlab"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/conlab/icon.svg")));
    const QString screenshot = qEnvironmentVariable("CONLAB_SCREENSHOT");
    const QString mode = qEnvironmentVariable("CONLAB_SCREENSHOT_MODE");
    // Declared before the window: it outlives it.
    std::optional<conlab::AutosaveStore> autosave;
    if (screenshot.isEmpty() || !qEnvironmentVariableIsEmpty("CONLAB_AUTOSAVE_DIR")) autosave.emplace();
    conlab::ui::MainWindow window;
    if (autosave) {
        QString error;
        if (!autosave->beginSession(&error)) { // not fatal: the app works without crash recovery
            std::fprintf(stderr, "conlab: autosave: %s\n", qPrintable(error));
            window.statusBar()->showMessage(QObject::tr("Autosave is off: %1").arg(error), 10000);
        }
        window.setAutosaveStore(&*autosave);
        if (qEnvironmentVariableIntValue("CONLAB_TEST_CRASH_AFTER_AUTOSAVE") > 0)
            QObject::connect(&window, &conlab::ui::MainWindow::autosaved, qApp, [] { std::raise(SIGKILL); });
    }
    int rc = 0;
    if (!screenshot.isEmpty() && mode == QLatin1String("restore")) {
        rc = runRestoreScreenshots(window, autosave ? &*autosave : nullptr, screenshot);
    } else if (!screenshot.isEmpty() && !mode.isEmpty()) {
        rc = runSweepScreenshots(window, screenshot, mode);
    } else if (!screenshot.isEmpty()) {
        rc = runScreenshots(window, screenshot);
    } else {
        window.show();
        // After the window is up: a damaged autosave is reported in the bar, never blocks start-up.
        if (autosave)
            QTimer::singleShot(0, &window,
                               [&window, &autosave] { window.offerRestore(autosave->pendingRestore()); });
        rc = QApplication::exec();
    }
    if (autosave) autosave->markCleanExit();
    return rc;
}
