#include "calibration.h"

#include "file_io.h"
#include "files/key_value_file.h"

#include "clock.h"
#include "machine_info.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace conlab {

TaskWork Calibration::workFor(const WorkloadSpec& spec) const {
    TaskWork w;
    w.kind = spec.kind;
    switch (spec.kind) {
    case TaskKind::Cpu:
        w.iterations = uint64_t(std::llround(spec.taskUs * cpuStepsPerUs));
        break;
    case TaskKind::Memory: {
        w.words = uint64_t(std::max<int64_t>(1, spec.workingSet / 8));
        double total = spec.taskUs * memoryVisitsPerUs; // the init pass counts as one visit per word
        w.iterations = total > double(w.words) ? uint64_t(std::llround(total - double(w.words))) : 0;
        break;
    }
    case TaskKind::Io:
        w.waitNs = int64_t(std::llround(spec.taskUs * 1000.0));
        break;
    }
    return w;
}

namespace {
template <typename F> double bestRate(F&& body, uint64_t units, int rounds = 7) {
    double best = 0;
    for (int rep = 0; rep < rounds; ++rep) {
        int64_t t0 = nowNs();
        body();
        int64_t dt = nowNs() - t0;
        if (dt > 0) best = std::max(best, double(units) / (double(dt) / 1000.0));
    }
    return best;
}
} // namespace

Calibration measureCalibration() {
    Calibration c;
    volatile uint64_t sink = 0;
    const uint64_t steps = 4'000'000;
    c.cpuStepsPerUs = bestRate([&] { sink = sink + runCpu(sink + 1, steps, nullptr); }, steps);
    WorkerScratch scratch;
    const uint64_t words = 8192, visits = 4'000'000; // 64 KiB, stays in L2
    c.memoryVisitsPerUs =
        bestRate([&] { sink = sink + runMemory(7, words, visits, scratch, nullptr); }, visits + words);
    c.cpuModel = cpuModelName();
    c.build = compilerName() + " " + buildTypeName();
    c.measuredAtUnix = int64_t(std::time(nullptr));
    return c;
}

std::string implausibleCalibration(double cpu, double memory) {
    std::ostringstream why;
    why.precision(4);
    if (!(cpu >= kMinCpuStepsPerUs && cpu <= kMaxCpuStepsPerUs))
        why << "cpu rate " << cpu << " steps/µs is outside the plausible [" << kMinCpuStepsPerUs << ", "
            << kMaxCpuStepsPerUs << "]";
    if (!(memory >= kMinMemoryVisitsPerUs && memory <= kMaxMemoryVisitsPerUs))
        why << (why.tellp() > 0 ? "; " : "") << "memory rate " << memory
            << " visits/µs is outside the plausible [" << kMinMemoryVisitsPerUs << ", "
            << kMaxMemoryVisitsPerUs << "]";
    return why.str();
}

double recheckCpuStepsPerUs() {
    // Best of 5 short rounds (~0.5 ms each at ~1000 steps/µs): the best round is the one a
    // preemption did not hit, like the full measurement's.
    volatile uint64_t sink = 0;
    const uint64_t steps = 500'000;
    return bestRate([&] { sink = sink + runCpu(sink + 3, steps, nullptr); }, steps, 5);
}

std::string calibrationCachePath() {
    namespace fs = std::filesystem;
    if (const char* dir = std::getenv("CONLAB_CACHE_DIR"); dir && *dir)
        return (fs::path(dir) / "calibration").string();
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
        return (fs::path(xdg) / "conlab" / "calibration").string();
    if (const char* home = std::getenv("HOME"); home && *home)
        return (fs::path(home) / ".cache" / "conlab" / "calibration").string();
    return {};
}

Calibration loadOrMeasureCalibration(bool forceMeasure) {
    namespace fs = std::filesystem;
    const std::string path = calibrationCachePath();
    const std::string model = cpuModelName(), build = compilerName() + " " + buildTypeName();
    std::string reason;
    if (!forceMeasure && !path.empty()) {
        const auto kv = readKeyValueFile(path);
        Calibration c;
        c.cpuStepsPerUs = numberOf(kv, "cpu_steps_per_us");
        c.memoryVisitsPerUs = numberOf(kv, "memory_visits_per_us");
        c.cpuModel = textOf(kv, "cpu_model");
        c.build = textOf(kv, "build");
        if (const double t = numberOf(kv, "measured_at"); t >= 0 && t < 1e12) c.measuredAtUnix = int64_t(t);
        // This machine's cache: its rates are checked (a zero, negative or absurd one refused).
        if (c.cpuModel == model && c.build == build) {
            if (const std::string bad = implausibleCalibration(c.cpuStepsPerUs, c.memoryVisitsPerUs);
                !bad.empty()) {
                reason = "the cached calibration was rejected (" + bad +
                         "): measured again (the cache was corrupt or from another machine)";
            } else if (const double now = recheckCpuStepsPerUs();
                       now > 0 && std::abs(now / c.cpuStepsPerUs - 1) > kCalibrationDriftLimit) {
                std::ostringstream why;
                why.precision(4);
                why << "the cached cpu rate (" << c.cpuStepsPerUs << " steps/µs) is off by "
                    << std::lround(std::abs(now / c.cpuStepsPerUs - 1) * 100) << "% from a re-check (" << now
                    << " steps/µs): re-calibrated; if this recurs, the machine's speed varies (frequency "
                       "scaling, a busy host): pin with --cpus and run on a quiet machine";
                reason = why.str();
            } else {
                c.fromCache = true;
                return c;
            }
        }
    }
    Calibration c = measureCalibration();
    c.recalibratedReason = reason;
    if (!path.empty()) {
        std::error_code ec;
        fs::create_directories(fs::path(path).parent_path(), ec);
        // Atomic (a concurrent reader never sees half a file) through an unnamed temporary file:
        // no predictable "<path>.tmp.<pid>" that a planted symlink could redirect.
        std::ostringstream out;
        out.precision(17);
        out << "cpu_steps_per_us=" << c.cpuStepsPerUs << "\nmemory_visits_per_us=" << c.memoryVisitsPerUs
            << "\ncpu_model=" << c.cpuModel << "\nbuild=" << c.build << "\nmeasured_at=" << c.measuredAtUnix
            << "\n";
        writeFileAtomically(QString::fromStdString(path), QByteArray::fromStdString(out.str()), nullptr);
    }
    return c;
}

} // namespace conlab
