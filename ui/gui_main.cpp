// The desktop app's entry point (called by app/main.cpp when there are no arguments and a
// display). The screenshot generator behind tools/screenshots.sh is its own program
// (tools/screenshots/): the app has no hidden modes.
//
// Autosave (core/autosave.h): the app marks its session, autosaves every finished run and
// offers to restore after a session that did not quit cleanly.
#include "app_setup.h"
#include "autosave.h"
#include "main_window.h"

#include <QApplication>
#include <QStatusBar>
#include <QTimer>
#include <cstdio>

namespace {
constexpr int kGuiUnavailable = -1; // app/main.cpp: no window can open, run headless
} // namespace

int runGui(int argc, char** argv) {
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
    conlab::ui::setUpApplication();
    conlab::AutosaveStore autosave; // declared before the window: it outlives it
    conlab::ui::MainWindow window;
    QString error;
    if (!autosave.beginSession(&error)) { // not fatal: the app works without crash recovery
        std::fprintf(stderr, "conlab: autosave: %s\n", qPrintable(error));
        window.statusBar()->showMessage(QObject::tr("Autosave is off: %1").arg(error), 10000);
    }
    window.setAutosaveStore(&autosave);
    window.show();
    // After the window is up: a damaged autosave is reported in the bar, never blocks start-up.
    QTimer::singleShot(0, &window, [&window, &autosave] { window.offerRestore(autosave.pendingRestore()); });
    const int rc = QApplication::exec();
    autosave.markCleanExit();
    return rc;
}
