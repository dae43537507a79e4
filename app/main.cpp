// conlab: the GUI when started without arguments on a display, otherwise the headless CLI.
#include "cli.h"

#include <csignal>
#include <cstdlib>
#include <string>
#include <vector>

#ifdef CONLAB_HAVE_GUI
#include "export.h"            // ui/: figures for `conlab plot` and `conlab run --plot`
#include "sweep_figures.h"     // ui/: `conlab sweep --plot`, `conlab plot SWEEP.json`
#include "sweep_map_figures.h" // ui/: `conlab sweep --param2 … --plot`, `conlab plot MAP.json`

#include <QSize>
#include <QString>
#include <QtGlobal>

// ui/gui_main.cpp; returns kGuiUnavailable when no window can open (a display that cannot be
// reached, an unknown QT_QPA_PLATFORM), having said so.
int runGui(int argc, char** argv);
constexpr int kGuiUnavailable = -1;

namespace {
QtMessageHandler g_qtDefaultHandler = nullptr;
// Without XDG_RUNTIME_DIR (ssh, cron, containers), Qt's platform setup warns on every figure
// and falls back to a private directory in /tmp. Figures never use that directory (no sockets,
// no session state), so the warning says nothing a `conlab plot` user can act on; every other
// message passes through.
void quietRuntimeDirWarning(QtMsgType type, const QMessageLogContext& context, const QString& message) {
    if (type == QtWarningMsg && message.startsWith(QLatin1String("QStandardPaths: XDG_RUNTIME_DIR not set")))
        return;
    if (g_qtDefaultHandler) g_qtDefaultHandler(type, context, message);
}

bool renderPlot(const conlab::Experiment& ex, const conlab::cli::PlotRequest& r, std::string* error) {
    QString message;
    const QSize size = r.width > 0 && r.height > 0 ? QSize(r.width, r.height) : QSize();
    if (conlab::ui::renderFigureHeadless(ex, QString::fromStdString(r.path), QString::fromStdString(r.figure),
                                         size, r.scale, &message))
        return true;
    if (error) *error = message.toStdString();
    return false;
}
bool renderSweepPlot(const conlab::SweepResult& sw, const conlab::cli::PlotRequest& r, std::string* error) {
    QString message;
    const QSize size = r.width > 0 && r.height > 0 ? QSize(r.width, r.height) : QSize();
    if (conlab::ui::renderSweepFigureHeadless(sw, QString::fromStdString(r.path),
                                              QString::fromStdString(r.figure), size, r.scale, &message))
        return true;
    if (error) *error = message.toStdString();
    return false;
}
bool renderSweepMapPlot(const conlab::SweepMap& map, const conlab::cli::PlotRequest& r, std::string* error) {
    QString message;
    const QSize size = r.width > 0 && r.height > 0 ? QSize(r.width, r.height) : QSize();
    if (conlab::ui::renderSweepMapHeadless(map, QString::fromStdString(r.path),
                                           QString::fromStdString(r.figure),
                                           QString::fromStdString(r.mapBackend), size, r.scale, &message))
        return true;
    if (error) *error = message.toStdString();
    return false;
}
} // namespace
#endif

namespace {
bool haveDisplay() {
    for (const char* var : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
        if (const char* v = std::getenv(var); v && *v) return true;
    return false;
}
} // namespace

int main(int argc, char** argv) {
    // Past the file size limit (ulimit -f) a write fails with EFBIG, reported by the writer
    // ("cannot write FILE: File too large"), instead of SIGXFSZ killing conlab silently (153).
    std::signal(SIGXFSZ, SIG_IGN);
    std::vector<std::string> args(argv + 1, argv + argc);
#ifdef CONLAB_HAVE_GUI
    g_qtDefaultHandler = qInstallMessageHandler(&quietRuntimeDirWarning);
    conlab::cli::setPlotRenderer(&renderPlot);
    conlab::cli::setSweepPlotRenderer(&renderSweepPlot);
    conlab::cli::setSweepMapPlotRenderer(&renderSweepMapPlot);
#endif
    if (args.empty()) {
#ifdef CONLAB_HAVE_GUI
        if (haveDisplay())
            if (const int rc = runGui(argc, argv); rc != kGuiUnavailable) return rc;
#endif
        return conlab::cli::runDefaultHeadless();
    }
    return conlab::cli::runCli(args);
}
