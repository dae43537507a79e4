// The interpreter: which one to run (configuration), what it is (probe, cached), and how fast
// its kernels are (calibration, cached per interpreter next to the native calibration).
#include "../python_backend.h"
#include "driver_process.h"

#include "../../calibration.h"
#include "../../clock.h"
#include "../../file_io.h"
#include "../../files/key_value_file.h"
#include "../../machine_info.h"

#include <QJsonObject>

#include <sstream>

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <dirent.h>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <poll.h>
#include <random>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace conlab::python {

namespace {

using namespace detail;

std::mutex g_mutex; // guards the override, the probe cache and lastRunInfo
std::string g_override;
LastRunInfo g_lastRun;

std::map<std::string, Interpreter>& probeCache() {
    static std::map<std::string, Interpreter> cache;
    return cache;
}

std::string pythonCalibrationPath(const std::string& interp, const std::string& version) {
    std::string nativePath = calibrationCachePath();
    if (nativePath.empty()) return {};
    // FNV-1a of the key: one small file per interpreter.
    uint64_t h = 1469598103934665603ull;
    for (char c : interp + "\n" + version + "\n" + cpuModelName())
        h = (h ^ uint8_t(c)) * 1099511628211ull;
    char buf[32];
    std::snprintf(buf, sizeof buf, "python-%016llx", (unsigned long long)h);
    return (std::filesystem::path(nativePath).parent_path() / buf).string();
}

std::mutex g_calibrationMutex;

} // namespace

void detail::setLastRun(const LastRunInfo& info) {
    std::lock_guard lock(g_mutex);
    g_lastRun = info;
}

// ------------------------------------------------------------------ configuration

void setInterpreterOverride(const std::string& pathOrName) {
    std::lock_guard lock(g_mutex);
    g_override = pathOrName;
}

std::string configuredInterpreter() {
    {
        std::lock_guard lock(g_mutex);
        if (!g_override.empty()) return g_override;
    }
    if (const char* e = std::getenv("CONLAB_PYTHON"); e && *e) return e;
    return "python3";
}

std::string driverPath(std::string& error) {
    std::vector<std::string> tried;
    auto ok = [](const std::string& p) { return !p.empty() && ::access(p.c_str(), R_OK) == 0; };
    if (const char* e = std::getenv("CONLAB_PYTHON_DRIVER"); e && *e) {
        if (ok(e)) return e;
        error = std::string("CONLAB_PYTHON_DRIVER=") + e + " is not readable";
        return {};
    }
    if (std::string dir = exeDir(); !dir.empty()) {
        std::string p = dir + "/../share/conlab/python/conlab_driver.py";
        if (ok(p)) return std::filesystem::weakly_canonical(p).string();
        tried.push_back(p);
    }
#ifdef CONLAB_PYTHON_DRIVER_SOURCE
    if (ok(CONLAB_PYTHON_DRIVER_SOURCE)) return CONLAB_PYTHON_DRIVER_SOURCE;
    tried.push_back(CONLAB_PYTHON_DRIVER_SOURCE);
#endif
    error = "python driver conlab_driver.py not found (looked in";
    for (const auto& t : tried)
        error += " " + t;
    error += "; set CONLAB_PYTHON_DRIVER)";
    return {};
}

Interpreter probeInterpreter() {
    Interpreter r;
    const std::string configured = configuredInterpreter();
    r.path = resolveExecutable(configured, r.reason);
    if (r.path.empty()) return r;
    r.driver = driverPath(r.reason);
    if (r.driver.empty()) return r;
    const std::string key = r.path + "\n" + r.driver;
    {
        std::lock_guard lock(g_mutex);
        if (auto it = probeCache().find(key); it != probeCache().end()) return it->second;
    }
    try {
        QJsonObject o = runDriverCommand("python", r.path, r.driver, "probe", "probe", 15000);
        r.version = o.value("version").toString().toStdString();
        r.startMethod = o.value("start_method").toString().toStdString();
        int major = 0, minor = 0;
        std::sscanf(r.version.c_str(), "%d.%d", &major, &minor);
        if (o.value("protocol").toInt() != kProtocol)
            r.reason = r.path + ": driver protocol " + std::to_string(o.value("protocol").toInt()) +
                       ", expected " + std::to_string(kProtocol);
        else if (major < 3 || (major == 3 && minor < 8))
            r.reason = r.path + " is Python " + r.version + "; conlab needs Python >= 3.8";
        else
            r.ok = true;
        // Run what the command resolves to (sys.executable): wrappers such as pyenv shims
        // cost ~0.3 s per launch and multiprocessing's spawn children use it anyway.
        std::string exe = o.value("executable").toString().toStdString();
        if (r.ok && !exe.empty() && exe.front() == '/' && isExecutable(exe)) r.path = exe;
    } catch (const BackendError& e) {
        std::string msg = e.what();
        if (msg.rfind("python: ", 0) == 0) msg = msg.substr(8);
        r.reason = "probe of " + r.path + " failed: " + msg;
    }
    std::lock_guard lock(g_mutex);
    probeCache()[key] = r;
    return r;
}

LastRunInfo lastRunInfo() {
    std::lock_guard lock(g_mutex);
    return g_lastRun;
}

// ------------------------------------------------------------------ calibration

TaskWork PythonCalibration::workFor(const WorkloadSpec& spec) const {
    Calibration c;
    c.cpuStepsPerUs = cpuStepsPerUs;
    c.memoryVisitsPerUs = memoryVisitsPerUs;
    return c.workFor(spec);
}

PythonCalibration loadOrMeasurePythonCalibration(bool forceMeasure) {
    std::lock_guard calLock(g_calibrationMutex);
    Interpreter in = probeInterpreter();
    if (!in.ok) throw BackendError("python: unavailable: " + in.reason);
    const std::string path = pythonCalibrationPath(in.path, in.version);
    const std::string model = cpuModelName();
    if (!forceMeasure && !path.empty()) {
        const auto kv = readKeyValueFile(path);
        PythonCalibration c;
        c.cpuStepsPerUs = numberOf(kv, "cpu_steps_per_us");
        c.memoryVisitsPerUs = numberOf(kv, "memory_visits_per_us");
        c.interpreter = textOf(kv, "interpreter");
        c.version = textOf(kv, "version");
        c.cpuModel = textOf(kv, "cpu_model");
        if (const double t = numberOf(kv, "measured_at"); t >= 0 && t < 1e12) c.measuredAtUnix = int64_t(t);
        if (c.valid() && std::isfinite(c.cpuStepsPerUs) && std::isfinite(c.memoryVisitsPerUs) &&
            c.interpreter == in.path && c.version == in.version && c.cpuModel == model) {
            c.fromCache = true;
            return c;
        }
    }
    QJsonObject o = runDriverCommand("python", in.path, in.driver, "calibrate", "calibration", 60000);
    PythonCalibration c;
    c.cpuStepsPerUs = o.value("cpu_steps_per_us").toDouble();
    c.memoryVisitsPerUs = o.value("memory_visits_per_us").toDouble();
    c.interpreter = in.path;
    c.version = in.version;
    c.cpuModel = model;
    c.measuredAtUnix = int64_t(std::time(nullptr));
    if (!c.valid() || !std::isfinite(c.cpuStepsPerUs) || !std::isfinite(c.memoryVisitsPerUs))
        throw BackendError("python: calibration of " + in.path + " returned no usable speed");
    if (!path.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
        // Atomic through an unnamed temporary file (no "<path>.tmp.<pid>" to plant a symlink at).
        std::ostringstream out;
        out.precision(17);
        out << "cpu_steps_per_us=" << c.cpuStepsPerUs << "\nmemory_visits_per_us=" << c.memoryVisitsPerUs
            << "\ninterpreter=" << c.interpreter << "\nversion=" << c.version << "\ncpu_model=" << c.cpuModel
            << "\nmeasured_at=" << c.measuredAtUnix << "\n";
        writeFileAtomically(QString::fromStdString(path), QByteArray::fromStdString(out.str()), nullptr);
    }
    return c;
}

} // namespace conlab::python
