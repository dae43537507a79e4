#pragma once
#include <string>
#include <vector>

namespace conlab {

struct MachineInfo {
    std::string cpuModel;
    int onlineCores = 0;
    std::string kernel;
    std::string hostname;
    std::string compiler;
    std::string buildType;
    std::vector<int> affinity; // CPUs this process may run on
};

MachineInfo currentMachine();
std::string cpuModelName();
std::string compilerName();
std::string buildTypeName(); // "release", "debug", with sanitizers appended
bool isReleaseBuild();
std::vector<int> currentAffinity();

} // namespace conlab
