#pragma once
// Renderings of a fidelity report (`conlab fidelity --format table|json|csv`): the same rows
// in each. JSON through QtCore (it is a file format); the rest plain C++.
#include "fidelity.h"

#include <string>

namespace conlab {

std::string formatFidelityTable(const FidelityReport& report);
// One row per line, RFC 4180 quoting: id,figure,backend,primitive,placement,conlab_s,raw_s,
// ratio,goal,verdict,explanation.
std::string formatFidelityCsv(const FidelityReport& report);
// {"fidelity": {"rounds", "python", "cancelled", "rows": [{id, figure, …, verdict, explanation}]}}
std::string formatFidelityJson(const FidelityReport& report);

} // namespace conlab
