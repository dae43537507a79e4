// The desktop app's entry point (called by app/main.cpp when there are no arguments and a
// display). CONLAB_SCREENSHOT=FILE.png turns it into the screenshot generator used by
// tools/screenshots.sh: run a workload, grab the window (and each plot tab), quit.
// CONLAB_SCREENSHOT_MODE=sweep runs a quick task-us sweep instead (grabs the speedup and phase
// tabs); CONLAB_SCREENSHOT_MODE=lesson:NAME runs a lesson (grabs the speedup tab and verdict).
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
#include <QTabWidget>
#include <QTimer>
#include <cstdio>
#include <qcustomplot.h>

namespace {

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

int runScreenshots(conlab::ui::MainWindow& window, const QString& target) {
    conlab::WorkloadSpec spec;
    spec.tasks = qEnvironmentVariableIntValue("CONLAB_SCREENSHOT_TASKS") > 0
                     ? qEnvironmentVariableIntValue("CONLAB_SCREENSHOT_TASKS")
                     : 2000;
    spec.taskUs = 200;
    spec.repeat = 2;
    window.workloadPanel()->setSpec(spec);
    window.resize(1600, 1000);
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
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("conlab"));
    QApplication::setApplicationName(QStringLiteral("conlab"));
    QApplication::setApplicationDisplayName(QStringLiteral("Concurrency Lab"));
    QApplication::setApplicationVersion(QStringLiteral(CONLAB_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("io.github.conlab.Conlab"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/conlab/icon.svg")));
    conlab::ui::MainWindow window;
    const QString screenshot = qEnvironmentVariable("CONLAB_SCREENSHOT");
    const QString mode = qEnvironmentVariable("CONLAB_SCREENSHOT_MODE");
    if (!screenshot.isEmpty() && !mode.isEmpty()) return runSweepScreenshots(window, screenshot, mode);
    if (!screenshot.isEmpty()) return runScreenshots(window, screenshot);
    window.show();
    return QApplication::exec();
}
