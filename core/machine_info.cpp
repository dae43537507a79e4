#include "machine_info.h"

#include <fstream>
#include <sched.h>
#include <sys/utsname.h>
#include <unistd.h>

namespace conlab {

std::string cpuModelName() {
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("model name", 0) == 0) {
            auto colon = line.find(':');
            if (colon != std::string::npos) {
                auto v = line.substr(colon + 1);
                v.erase(0, v.find_first_not_of(' '));
                return v;
            }
        }
    }
    return "unknown";
}

std::string compilerName() {
#if defined(__clang__)
    return "clang " __clang_version__;
#elif defined(__GNUC__)
    return "gcc " __VERSION__;
#else
    return "unknown";
#endif
}

bool isReleaseBuild() {
#ifdef NDEBUG
    return true;
#else
    return false;
#endif
}

std::string buildTypeName() {
    std::string t = isReleaseBuild() ? "release" : "debug";
#if defined(__SANITIZE_ADDRESS__)
    t += "+asan";
#endif
#if defined(__SANITIZE_THREAD__)
    t += "+tsan";
#endif
    return t;
}

std::vector<int> currentAffinity() {
    cpu_set_t set;
    CPU_ZERO(&set);
    std::vector<int> cpus;
    if (sched_getaffinity(0, sizeof set, &set) == 0)
        for (int c = 0; c < CPU_SETSIZE; ++c)
            if (CPU_ISSET(c, &set)) cpus.push_back(c);
    return cpus;
}

MachineInfo currentMachine() {
    MachineInfo m;
    m.cpuModel = cpuModelName();
    m.onlineCores = int(sysconf(_SC_NPROCESSORS_ONLN));
    utsname u{};
    if (uname(&u) == 0) {
        m.kernel = std::string(u.sysname) + " " + u.release;
        m.hostname = u.nodename;
    }
    m.compiler = compilerName();
    m.buildType = buildTypeName();
    m.affinity = currentAffinity();
    return m;
}

} // namespace conlab
