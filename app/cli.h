#pragma once
// The headless front door: `conlab run|backends|calibrate|pingpong`. Never opens a window.
#include <string>
#include <vector>

namespace conlab::cli {

enum ExitCode { Ok = 0, RunFailed = 1, Usage = 2 };

// args excludes the program name. Output goes to stdout/stderr.
int runCli(const std::vector<std::string>& args);
// The default comparison run by `conlab` without a display.
int runDefaultHeadless();
std::string usageText();

} // namespace conlab::cli
