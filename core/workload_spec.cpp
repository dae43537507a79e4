#include "workload_spec.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <sstream>
#include <unistd.h>

namespace conlab {

std::string toString(TaskKind kind) {
    switch (kind) {
    case TaskKind::Cpu:
        return "cpu";
    case TaskKind::Memory:
        return "memory";
    case TaskKind::Io:
        return "io";
    }
    return "cpu";
}

std::optional<TaskKind> taskKindFromString(const std::string& s) {
    if (s == "cpu") return TaskKind::Cpu;
    if (s == "memory") return TaskKind::Memory;
    if (s == "io") return TaskKind::Io;
    return std::nullopt;
}

std::string toString(Probes probes) {
    switch (probes) {
    case Probes::On:
        return "on";
    case Probes::Off:
        return "off";
    case Probes::Compare:
        return "compare";
    }
    return "on";
}

std::optional<Probes> probesFromString(const std::string& s) {
    if (s == "on") return Probes::On;
    if (s == "off") return Probes::Off;
    if (s == "compare") return Probes::Compare;
    return std::nullopt;
}

std::string toString(FaultKind kind) {
    switch (kind) {
    case FaultKind::None:
        return "none";
    case FaultKind::Crash:
        return "crash";
    case FaultKind::Kill:
        return "kill";
    case FaultKind::Exit:
        return "exit";
    case FaultKind::Hang:
        return "hang";
    }
    return "none";
}

std::optional<FaultSpec> parseFaultSpec(const std::string& text) {
    FaultSpec f;
    const auto colon = text.find(':');
    if (colon == std::string::npos) return std::nullopt;
    const std::string kind = text.substr(0, colon);
    if (kind == "crash")
        f.kind = FaultKind::Crash;
    else if (kind == "kill")
        f.kind = FaultKind::Kill;
    else if (kind == "exit")
        f.kind = FaultKind::Exit;
    else if (kind == "hang")
        f.kind = FaultKind::Hang;
    else
        return std::nullopt;
    std::string rest = text.substr(colon + 1);
    if (auto c2 = rest.find(':'); c2 != std::string::npos) {
        f.backend = rest.substr(c2 + 1);
        rest = rest.substr(0, c2);
        if (f.backend.empty()) return std::nullopt;
    }
    int64_t id = -1;
    auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), id);
    if (rest.empty() || ec != std::errc() || end != rest.data() + rest.size() || id < 0) return std::nullopt;
    f.taskId = id;
    return f;
}

int WorkloadSpec::resolvedWorkers() const {
    if (workers > 0) return workers;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? int(n) : 1;
}

std::string SpecError::message() const {
    return "--" + field + ": " + value + " is out of range (allowed: " + allowed + ")";
}

namespace {
template <typename T> std::string str(T v) {
    std::ostringstream os;
    os << v;
    return os.str();
}
template <typename T>
void checkRange(std::vector<SpecError>& errors, const char* field, T value, T lo, T hi,
                std::string allowed = {}) {
    if (!(value >= lo && value <= hi)) // also catches NaN
        errors.push_back({field, str(value), allowed.empty() ? str(lo) + " … " + str(hi) : allowed});
}
} // namespace

std::vector<SpecError> validate(const WorkloadSpec& s) {
    using L = SpecLimits;
    std::vector<SpecError> e;
    checkRange<int64_t>(e, "tasks", s.tasks, L::minTasks, L::maxTasks);
    if (s.workers != 0) checkRange<int>(e, "workers", s.workers, L::minWorkers, L::maxWorkers);
    checkRange<double>(e, "task-us", s.taskUs, L::minTaskUs, L::maxTaskUs, "0 … 10000000 µs (10 s)");
    checkRange<int64_t>(e, "working-set", s.workingSet, L::minWorkingSet, L::maxWorkingSet, "64 … 1G bytes");
    checkRange<int64_t>(e, "input", s.inputBytes, 0, L::maxBytes, "0 … 1G bytes");
    checkRange<int64_t>(e, "result", s.resultBytes, 0, L::maxBytes, "0 … 1G bytes");
    checkRange<int64_t>(e, "messages", s.messages, 0, L::maxMessages);
    checkRange<int64_t>(e, "payload", s.payload, 0, L::maxBytes, "0 … 1G bytes");
    checkRange<int>(e, "chunksize", s.chunksize, L::minChunksize, L::maxChunksize);
    checkRange<int>(e, "repeat", s.repeat, L::minRepeat, L::maxRepeat);
    checkRange<int>(e, "warmup", s.warmup, 0, L::maxWarmup);
    checkRange<double>(e, "task-timeout", s.taskTimeoutS, L::minTaskTimeoutS, L::maxTaskTimeoutS,
                       "0.001 … 86400 s");
    checkRange<int64_t>(e, "parent-memory", s.parentMemory, 0, L::maxParentMemory, "0 … 16G bytes");
    checkRange<double>(e, "child-touch", s.childTouch, 0.0, 1.0, "0 … 1 (a fraction of --parent-memory)");
    long online = sysconf(_SC_NPROCESSORS_CONF);
    for (int cpu : s.cpus) {
        if (cpu < 0 || cpu >= std::max(1L, online)) {
            e.push_back({"cpus", formatCpuList(s.cpus), "CPU numbers 0 … " + str(std::max(1L, online) - 1)});
            break;
        }
    }
    // Combined limit: what one message-heavy task moves must stay addressable.
    // Checked only when both are in range themselves: otherwise that one error says it all.
    if (s.messages > 0 && s.payload > 0 && s.messages <= L::maxMessages && s.payload <= L::maxBytes &&
        double(s.messages) * double(s.payload) > double(int64_t(1) << 40))
        e.push_back({"payload", str(s.payload), "messages × payload ≤ 1 TiB per task"});
    return e;
}

std::optional<int64_t> parseSize(const std::string& text) {
    if (text.empty()) return std::nullopt;
    std::string t = text;
    int64_t mult = 1;
    char last = char(std::toupper(static_cast<unsigned char>(t.back())));
    if (last == 'B' && t.size() > 1 && std::isalpha(static_cast<unsigned char>(t[t.size() - 2]))) {
        t.pop_back(); // "4KB", "1MiB" handled below
        last = char(std::toupper(static_cast<unsigned char>(t.back())));
    } else if (last == 'B' && t.size() > 3 && t.substr(t.size() - 3) == "iB") {
        t.resize(t.size() - 2);
        last = char(std::toupper(static_cast<unsigned char>(t.back())));
    }
    if (t.size() > 2 && t.substr(t.size() - 2) == "Ki") {
        t.pop_back();
        last = 'K';
    }
    if (t.size() > 2 && t.substr(t.size() - 2) == "Mi") {
        t.pop_back();
        last = 'M';
    }
    if (t.size() > 2 && t.substr(t.size() - 2) == "Gi") {
        t.pop_back();
        last = 'G';
    }
    switch (last) {
    case 'K':
        mult = int64_t(1) << 10;
        break;
    case 'M':
        mult = int64_t(1) << 20;
        break;
    case 'G':
        mult = int64_t(1) << 30;
        break;
    default:
        break;
    }
    if (mult != 1) t.pop_back();
    if (t.empty()) return std::nullopt;
    for (char c : t)
        if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.')) return std::nullopt;
    if (std::count(t.begin(), t.end(), '.') > 1) return std::nullopt;
    double v = 0;
    try {
        size_t used = 0;
        v = std::stod(t, &used);
        if (used != t.size()) return std::nullopt;
    } catch (...) {
        return std::nullopt;
    }
    double bytes = v * double(mult);
    if (!std::isfinite(bytes) || bytes > 9.0e18) return std::nullopt;
    if (bytes != std::floor(bytes)) return std::nullopt; // fractional bytes
    return int64_t(bytes);
}

std::optional<std::vector<int>> parseCpuList(const std::string& text) {
    std::vector<int> cpus;
    std::stringstream ss(text);
    std::string item;
    auto toInt = [](const std::string& s) -> std::optional<int> {
        int v = 0;
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (ec != std::errc() || p != s.data() + s.size() || v < 0) return std::nullopt;
        return v;
    };
    while (std::getline(ss, item, ',')) {
        auto dash = item.find('-');
        if (dash == std::string::npos) {
            auto v = toInt(item);
            if (!v) return std::nullopt;
            cpus.push_back(*v);
        } else {
            auto a = toInt(item.substr(0, dash)), b = toInt(item.substr(dash + 1));
            if (!a || !b || *b < *a || *b - *a > 4096) return std::nullopt;
            for (int c = *a; c <= *b; ++c)
                cpus.push_back(c);
        }
    }
    if (cpus.empty()) return std::nullopt;
    std::sort(cpus.begin(), cpus.end());
    cpus.erase(std::unique(cpus.begin(), cpus.end()), cpus.end());
    return cpus;
}

std::string formatCpuList(const std::vector<int>& cpus) {
    std::string out;
    for (size_t i = 0; i < cpus.size(); ++i) {
        size_t j = i;
        while (j + 1 < cpus.size() && cpus[j + 1] == cpus[j] + 1)
            ++j;
        if (!out.empty()) out += ',';
        out += std::to_string(cpus[i]);
        if (j > i) out += '-' + std::to_string(cpus[j]);
        i = j;
    }
    return out;
}

std::string formatBytes(int64_t bytes) {
    const char* units[] = {"B", "KiB", "MiB", "GiB"};
    double v = double(bytes);
    int u = 0;
    while (v >= 1024 && u < 3) {
        v /= 1024;
        ++u;
    }
    std::ostringstream os;
    os.precision(v < 10 && u > 0 ? 2 : 4);
    os << v << ' ' << units[u];
    return os.str();
}

} // namespace conlab
