// conlab-screenshots: the real main window driven through one scenario, grabbed to PNG, then
// quit — the images of README.md and docs/ (tools/screenshots.sh runs it under Xvfb). Not
// installed; the app itself has no hidden modes.
//
//   conlab-screenshots run OUT.png [--size WxH] [--tasks N]   every backend; one image per plot tab
//   conlab-screenshots sweep OUT.png                           a task-us sweep: speedup and phases
//   conlab-screenshots lesson NAME OUT.png                     a lesson: speedup tab and verdict
//   conlab-screenshots restore OUT.png --autosave-dir DIR      the restore bar a crash left, then
//                                                              Restore pressed (OUT-restored.png)
// --autosave-dir DIR autosaves there (never into the user's folder; without it, no autosave).
// --crash-after-autosave (testing: tst_gui_autosave) kills the process with SIGKILL right after
// its first autosave, a real crash.
#include "app_setup.h"
#include "autosave.h"
#include "backend_picker.h"
#include "main_window.h"
#include "plot_views.h"
#include "sweep_map_window.h"
#include "sweep_panel.h"
#include "sweep_views.h"
#include "workload_panel.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QTabWidget>
#include <QTimer>
#include <QToolButton>
#include <csignal>
#include <cstdio>
#include <optional>
#include <qcustomplot.h>

namespace {

using conlab::ui::EngineController;
using conlab::ui::MainWindow;

void fail(const QString& message) {
    std::fprintf(stderr, "conlab-screenshots: %s\n", qPrintable(message));
    qApp->exit(1);
}

// OUT.png → OUT<suffix>.png, its folder created.
QString sibling(const QString& target, const QString& suffix) {
    const QFileInfo fi(target);
    QDir().mkpath(fi.absolutePath());
    return fi.absolutePath() + QLatin1Char('/') + fi.completeBaseName() + suffix + QStringLiteral(".png");
}

bool grabWindow(MainWindow& window, const QString& path) {
    for (auto* v : window.findChildren<conlab::ui::PlotView*>())
        v->plot()->replot();
    QApplication::processEvents();
    if (!window.grab().save(path)) {
        fail(QStringLiteral("cannot write %1").arg(path));
        return false;
    }
    std::printf("%s\n", qPrintable(path));
    return true;
}

bool grabTab(MainWindow& window, QWidget* tab, const QString& path) {
    window.plotTabs()->setCurrentWidget(tab);
    QApplication::processEvents();
    return grabWindow(window, path);
}

void reportFailures(MainWindow& window) {
    QObject::connect(window.controller(), &EngineController::failed, qApp,
                     [](const QString& m) { fail(QStringLiteral("the run failed: %1").arg(m)); });
    // A backend that fails is reported, not just drawn as "(failed)".
    QObject::connect(window.controller(), &EngineController::backendFinished, qApp,
                     [](const conlab::BackendRun& run) {
                         if (!run.error.empty())
                             std::fprintf(stderr, "conlab-screenshots: %s\n", run.error.c_str());
                     });
}

// Every backend on a small workload; one image per plot tab (breakdown, throughput, timeline).
void shootRun(MainWindow& window, const QString& target, int tasks) {
    conlab::WorkloadSpec spec;
    spec.tasks = tasks;
    spec.taskUs = 200;
    spec.repeat = 2;
    window.workloadPanel()->setSpec(spec);
    window.backendPicker()->selectAll(); // the colours and the breakdown at full size
    QObject::connect(window.controller(), &EngineController::finished, &window, [&window, target] {
        // Let the queued replots and layouts settle, then grab every tab.
        QTimer::singleShot(800, &window, [&window, target] {
            QTabWidget* tabs = window.plotTabs();
            const QStringList names = {QString(), QStringLiteral("-throughput"), QStringLiteral("-timeline")};
            for (int i = 0; i < tabs->count() && i < names.size(); ++i) {
                tabs->setCurrentIndex(i);
                QApplication::processEvents();
                if (!grabWindow(window, sibling(target, names[i]))) return;
            }
            tabs->setCurrentIndex(0);
            window.setWindowModified(false); // quits without asking to save
            qApp->exit(0);
        });
    });
    QTimer::singleShot(300, &window, [&window] {
        QString error;
        if (!window.startRun(&error)) fail(QStringLiteral("cannot start the run: %1").arg(error));
    });
}

// A task-us sweep (lesson empty) or a lesson: the sweep tabs when it is done.
void shootSweep(MainWindow& window, const QString& target, const QString& lesson) {
    QObject::connect(
        window.controller(), &EngineController::sweepFinished, &window, [&window, target, lesson] {
            QTimer::singleShot(800, &window, [&window, target, lesson] {
                bool ok = grabTab(window, window.speedupView(), sibling(target, QString()));
                if (ok && lesson.isEmpty())
                    ok = grabTab(window, window.phasesView(), sibling(target, QStringLiteral("-phases")));
                window.setWindowModified(false);
                if (ok) qApp->exit(0);
            });
        });
    QTimer::singleShot(300, &window, [&window, lesson] {
        QString error;
        bool ok = false;
        if (!lesson.isEmpty()) {
            ok = window.runLesson(lesson, &error);
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
        if (!ok) fail(QStringLiteral("cannot start the sweep: %1").arg(error));
    });
}

// The restore bar after a crashed session, then the restored experiment.
void shootRestore(MainWindow& window, conlab::AutosaveStore& store, const QString& target) {
    QTimer::singleShot(300, &window, [&window, &store, target] {
        const conlab::PendingRestore pending = store.pendingRestore();
        window.offerRestore(pending);
        if (pending.empty()) return fail(QStringLiteral("nothing to restore in %1").arg(store.directory()));
        QTimer::singleShot(500, &window, [&window, target] {
            if (!grabWindow(window, sibling(target, QString()))) return;
            auto* restore = window.findChild<QToolButton*>(QStringLiteral("restoreButton"));
            if (!restore || !restore->isVisible())
                return fail(QStringLiteral("no autosave could be restored"));
            restore->click();
            if (!window.experiment() && !window.sweep()) return fail(QStringLiteral("restoring failed"));
            QTimer::singleShot(800, &window, [&window, target] {
                window.setWindowModified(false);
                if (grabWindow(window, sibling(target, QStringLiteral("-restored")))) qApp->exit(0);
            });
        });
    });
}

// A saved results file, optionally compared with a baseline (File → Compare with baseline…):
// the breakdown tab with the baseline's ghosted bars and the table's ratio columns, or for a
// sweep the speedup tab with the baseline's dashed curves.
void shootOpen(MainWindow& window, const QString& target, const QString& file, const QString& baseline) {
    QTimer::singleShot(300, &window, [&window, target, file, baseline] {
        QString error;
        if (!window.openFile(file, &error))
            return fail(QStringLiteral("cannot open %1: %2").arg(file, error));
        if (!baseline.isEmpty() && !window.compareWithBaseline(baseline, &error))
            return fail(QStringLiteral("cannot compare with %1: %2").arg(baseline, error));
        QTimer::singleShot(800, &window, [&window, target] {
            // A map file opens in a window of its own (ui/sweep_map_window.h): that window.
            if (auto* map = window.findChild<conlab::ui::SweepMapWindow*>()) {
                map->resize(1200, 860);
                QTimer::singleShot(300, map, [map, target] {
                    if (map->grab().save(target))
                        qApp->exit(0);
                    else
                        fail(QStringLiteral("cannot write %1").arg(target));
                });
                return;
            }
            QWidget* tab = window.document()->isSweepOfSeveralValues()
                               ? static_cast<QWidget*>(window.speedupView())
                               : static_cast<QWidget*>(window.breakdownView());
            window.setWindowModified(false);
            if (grabTab(window, tab, sibling(target, QString()))) qApp->exit(0);
        });
    });
}

} // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    conlab::ui::setUpApplication();
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Drives the conlab main window through one scenario and "
                                                    "grabs it to PNG (tools/screenshots.sh)."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("scenario"),
                                 QStringLiteral("run | sweep | lesson NAME | restore | open"));
    parser.addPositionalArgument(QStringLiteral("out"),
                                 QStringLiteral("the image (OUT.png; other tabs OUT-tab.png)"));
    const QCommandLineOption sizeOption(QStringLiteral("size"),
                                        QStringLiteral("window size (default 1600x1000)"),
                                        QStringLiteral("WxH"), QStringLiteral("1600x1000"));
    const QCommandLineOption tasksOption(QStringLiteral("tasks"),
                                         QStringLiteral("tasks of the run scenario (2000)"),
                                         QStringLiteral("N"), QStringLiteral("2000"));
    const QCommandLineOption autosaveOption(QStringLiteral("autosave-dir"),
                                            QStringLiteral("autosave into DIR (default: no autosave)"),
                                            QStringLiteral("DIR"));
    const QCommandLineOption crashOption(QStringLiteral("crash-after-autosave"),
                                         QStringLiteral("testing: SIGKILL right after the first autosave"));
    const QCommandLineOption openOption(QStringLiteral("open"), QStringLiteral("open: the results file"),
                                        QStringLiteral("FILE"));
    const QCommandLineOption baselineOption(QStringLiteral("baseline"),
                                            QStringLiteral("open: compare it with this results file"),
                                            QStringLiteral("FILE"));
    parser.addOptions({sizeOption, tasksOption, autosaveOption, crashOption, openOption, baselineOption});
    parser.process(app);

    QStringList args = parser.positionalArguments();
    const QString scenario = args.value(0);
    const QString lesson = scenario == QLatin1String("lesson") ? args.value(1) : QString();
    if (scenario == QLatin1String("lesson")) args.removeAt(1);
    const QStringList wh = parser.value(sizeOption).split(QLatin1Char('x'));
    const QSize size = wh.size() == 2 ? QSize(wh[0].toInt(), wh[1].toInt()) : QSize();
    const int tasks = parser.value(tasksOption).toInt();
    const bool known = scenario == QLatin1String("run") || scenario == QLatin1String("sweep") ||
                       (scenario == QLatin1String("lesson") && !lesson.isEmpty()) ||
                       scenario == QLatin1String("restore") ||
                       (scenario == QLatin1String("open") && parser.isSet(openOption));
    if (!known || args.size() != 2 || size.width() <= 0 || size.height() <= 0 || tasks <= 0) {
        std::fprintf(stderr, "conlab-screenshots: bad arguments\n\n%s", qPrintable(parser.helpText()));
        return 2;
    }
    const QString target = args.value(1);

    std::optional<conlab::AutosaveStore> autosave; // declared before the window: it outlives it
    if (parser.isSet(autosaveOption)) {
        autosave.emplace(parser.value(autosaveOption));
        QString error;
        if (!autosave->beginSession(&error)) {
            std::fprintf(stderr, "conlab-screenshots: autosave: %s\n", qPrintable(error));
            return 1;
        }
    } else if (scenario == QLatin1String("restore")) {
        std::fprintf(stderr, "conlab-screenshots: restore needs --autosave-dir\n");
        return 2;
    }
    MainWindow window;
    if (autosave) window.setAutosaveStore(&*autosave);
    if (parser.isSet(crashOption))
        QObject::connect(&window, &MainWindow::autosaved, qApp, [] { std::raise(SIGKILL); });
    window.resize(size);
    window.show();
    reportFailures(window);
    if (scenario == QLatin1String("run"))
        shootRun(window, target, tasks);
    else if (scenario == QLatin1String("restore"))
        shootRestore(window, *autosave, target);
    else if (scenario == QLatin1String("open"))
        shootOpen(window, target, parser.value(openOption), parser.value(baselineOption));
    else
        shootSweep(window, target, lesson);
    const int rc = QApplication::exec();
    if (autosave) autosave->markCleanExit();
    return rc;
}
