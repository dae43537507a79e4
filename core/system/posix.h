#pragma once
// Small POSIX helpers every process-owning part of conlab shares (process backends, start
// methods, the python driver): one definition each.
#include <string>

namespace conlab {

// Closes fd when open and sets it to -1.
void closeFd(int& fd);
// A waitpid status in words: "exited with code 3", "killed by signal 9 (SIGKILL)".
std::string describeWaitStatus(int status);

} // namespace conlab
