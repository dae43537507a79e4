// conlab: the GUI when started without arguments on a display, otherwise the headless CLI.
#include "cli.h"

#include <cstdlib>
#include <string>
#include <vector>

#ifdef CONLAB_HAVE_GUI
int runGui(int argc, char** argv); // ui/gui_main.cpp
#endif

namespace {
bool haveDisplay() {
    for (const char* var : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
        if (const char* v = std::getenv(var); v && *v) return true;
    return false;
}
} // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
#ifdef CONLAB_HAVE_GUI
        if (haveDisplay()) return runGui(argc, argv);
#endif
        return conlab::cli::runDefaultHeadless();
    }
    return conlab::cli::runCli(args);
}
