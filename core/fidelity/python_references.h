#pragma once
// The bare CPython mechanisms of the fidelity check (resources/python/
// conlab_fidelity_reference.py), run with the interpreter the python backends use.
#include <string>

namespace conlab::python {

struct Interpreter;

// conlab_fidelity_reference.py beside the driver (share/conlab/python), else the source
// tree's copy. Empty, with `error` set, when there is none.
std::string referenceScriptPath(std::string& error);

// Runs one reference command ("process-start:fork:20", "pool-map:2000", "threads-map:2000")
// and returns its mean seconds per process or per task. Throws BackendError with the reason.
double runPythonReference(const Interpreter& interpreter, const std::string& command, int timeoutMs);

} // namespace conlab::python
