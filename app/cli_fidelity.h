#pragma once
// `conlab fidelity [--format table|json|csv] [--output FILE] [--quick] [--python PATH]`:
// every figure beside its raw primitive (core/fidelity/, docs/fidelity.md).
#include <string>
#include <vector>

namespace conlab::cli {

// args[0] is "fidelity". Exit 0 when it measured (verdicts are information), 1 on an error
// (an output that cannot be written, nothing measurable, interrupted); throws UsageError.
int cmdFidelity(const std::vector<std::string>& args);

} // namespace conlab::cli
