#include "line_protocol.h"

#include <cmath>

namespace conlab::python::detail {

int64_t asInt(const QJsonValue& v) {
    return int64_t(std::llround(v.toDouble()));
}

[[noreturn]] void malformed(const std::string& who, const char* type, const std::string& line) {
    throw BackendError(who + ": driver sent a malformed '" + type + "' line: '" + clip(line) + "'");
}

PhaseTotals phasesOf(const QJsonValue& v, bool& ok) {
    PhaseTotals t;
    QJsonArray a = v.toArray();
    // The driver records spawn, ipc, compute and idle (indices 0–3 of Phase); cpu-wait is not
    // measured in Python (docs/measurement.md), newer phases stay 0.
    ok = v.isArray() && (a.size() == 4 || a.size() == kPhaseCount);
    if (ok)
        for (int i = 0; i < int(a.size()); ++i) {
            if (!a[i].isDouble()) ok = false;
            t.ns[size_t(i)] = asInt(a[i]);
        }
    return t;
}

} // namespace conlab::python::detail
