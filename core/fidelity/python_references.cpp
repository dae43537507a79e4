#include "python_references.h"

#include "../backends/python/driver_process.h"
#include "../backends/python_backend.h"

#include <cmath>
#include <filesystem>
#include <unistd.h>

namespace conlab::python {

std::string referenceScriptPath(std::string& error) {
    const std::string name = "conlab_fidelity_reference.py";
    std::string driverError;
    const std::string driver = driverPath(driverError);
    if (!driver.empty()) {
        const auto beside = std::filesystem::path(driver).parent_path() / name;
        if (::access(beside.c_str(), R_OK) == 0) return beside.string();
    }
#ifdef CONLAB_PYTHON_REFERENCE_SOURCE
    if (::access(CONLAB_PYTHON_REFERENCE_SOURCE, R_OK) == 0) return CONLAB_PYTHON_REFERENCE_SOURCE;
#endif
    error = name + " not found beside the python driver" + (driver.empty() ? " (" + driverError + ")" : "");
    return {};
}

double runPythonReference(const Interpreter& interpreter, const std::string& command, int timeoutMs) {
    std::string error;
    const std::string script = referenceScriptPath(error);
    if (script.empty()) throw BackendError("python reference: " + error);
    const QJsonObject o = detail::runDriverCommand("python reference", interpreter.path, script, command,
                                                   "reference", timeoutMs);
    const double perOp = o.value("per_op_s").toDouble(-1);
    if (!std::isfinite(perOp) || perOp <= 0)
        throw BackendError("python reference " + command + ": no positive per_op_s in its answer");
    return perOp;
}

} // namespace conlab::python
