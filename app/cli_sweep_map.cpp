#include "cli_sweep_map.h"
#include "cli_files.h"
#include "cli_progress.h"

#include "calibration.h"
#include "file_io.h"
#include "report.h"
#include "results_json.h"
#include "sweep_map/sweep_map_format.h"
#include "sweep_map/sweep_map_json.h"

#include <QJsonDocument>
#include <cstdio>
#include <iostream>
#include <unistd.h>

namespace conlab::cli {

namespace {

SweepMapPlotRenderer g_mapRenderer = nullptr;

bool renderSweepMapPlot(const SweepMap& map, const PlotRequest& r) {
    std::string error = "this conlab was built without the GUI library (CONLAB_BUILD_GUI=OFF): no figures";
    if (g_mapRenderer && g_mapRenderer(map, r, &error)) {
        std::cerr << "conlab: wrote " << r.path << "\n";
        return true;
    }
    std::cerr << "conlab: " << error << "\n";
    return false;
}

// The map's text in the requested format.
std::string mapText(const SweepMap& map, const std::string& format) {
    if (format == "json") return QJsonDocument(sweepMapToJson(map)).toJson().toStdString();
    if (format == "csv") return formatSweepMapCsv(map);
    return formatSweepMapTable(map);
}

// A backend the map has, for --map-backend; throws naming the ones it has.
void checkMapBackend(const std::string& backend, const std::vector<std::string>& backends) {
    if (backend.empty() || std::find(backends.begin(), backends.end(), backend) != backends.end()) return;
    std::string have;
    for (const auto& b : backends)
        have += (have.empty() ? "" : ", ") + b;
    throw UsageError{"--map-backend: '" + backend + "' is not in the map (it has: " + have + ")"};
}

// A map file, or nullopt when the file is not one (or cannot be read: the caller's load says why).
std::optional<SweepMapLoad> readMap(const std::string& path) {
    QString readError;
    return loadSweepMapFile(QString::fromStdString(path), &readError);
}

} // namespace

void setSweepMapPlotRenderer(SweepMapPlotRenderer renderer) {
    g_mapRenderer = renderer;
}

std::vector<std::string> secondAxisFlags(const std::vector<std::string>& args) {
    std::vector<std::string> out;
    bool second = false;
    for (const auto& a : args) {
        if (a == "--param2" || a.rfind("--param2=", 0) == 0) second = true;
        if (second && (a == "--values" || a.rfind("--values=", 0) == 0)) {
            out.push_back("--values2" + a.substr(std::string("--values").size()));
            second = false; // one --values per axis
            continue;
        }
        out.push_back(a);
    }
    return out;
}

int runSweepMapCommand(SweepMapCommand c) {
    checkMapBackend(c.mapBackend, c.backends);
    if (c.plot) c.plot->mapBackend = c.mapBackend;
    Engine engine(loadOrMeasureCalibration());
    CancelToken interrupt;
    InterruptScope scope(interrupt);
    ProgressPrinter progress(c.base.tasks);
    EngineOptions opt;
    opt.observer = &progress;
    opt.cancel = &interrupt;
    const bool tty = isatty(STDERR_FILENO);
    const size_t cells = c.values.size() * c.values2.size();
    size_t done = 0;
    SweepMap map = runSweepMap(
        engine, c.base, c.param, c.values, c.logScale, c.param2, c.values2, c.logScale2, c.backends, opt,
        [&](size_t row, const SweepResult&, const SweepPoint& p) {
            ++done;
            if (tty)
                std::fprintf(stderr, "\r\033[Kcell %zu/%zu done (%s = %g, %s = %g)\n", done, cells,
                             toString(c.param).c_str(), p.value, toString(c.param2).c_str(), c.values2[row]);
        });
    if (!writeOutput(c.output, mapText(map, c.format))) return RunFailed;
    int rc = Ok;
    if (c.plot && !renderSweepMapPlot(map, *c.plot)) rc = RunFailed;
    for (const auto& row : map.rows)
        for (const auto& p : row.points)
            for (const auto& r : p.runs)
                if (!r.error.empty()) {
                    std::cerr << "conlab: " << printable(r.error) << "\n";
                    rc = RunFailed;
                }
    if (map.cancelled) {
        std::cerr << "conlab: interrupted; " << map.finishedCells() << " finished cells kept\n";
        rc = RunFailed;
    }
    return rc;
}

std::optional<int> plotIfSweepMap(const std::string& path, const std::string& out, const Args& a) {
    auto load = readMap(path);
    if (!load) return std::nullopt;
    if (!load->map) {
        std::cerr << "conlab: cannot load results: " << printable(load->error.toStdString()) << "\n";
        return Usage;
    }
    PlotRequest r = plotRequestFor(out, a, kSweepMapFigures, "a map figure", false);
    r.mapBackend = a.get("map-backend").value_or("");
    checkMapBackend(r.mapBackend, load->map->backends());
    return renderSweepMapPlot(*load->map, r) ? Ok : RunFailed;
}

std::optional<int> showIfSweepMap(const std::string& path, const std::string& format) {
    auto load = readMap(path);
    if (!load) return std::nullopt;
    if (!load->map) {
        std::cerr << "conlab: cannot load results: " << printable(load->error.toStdString()) << "\n";
        return Usage;
    }
    std::cout << mapText(*load->map, format);
    return Ok;
}

} // namespace conlab::cli
