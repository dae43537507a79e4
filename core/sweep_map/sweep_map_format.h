#pragma once
// A sweep map as text: `conlab sweep --param2 …` prints, per backend, its speedup over
// sequential in every cell (median throughput when sequential is not in the map) with its
// break-even contour, then the best backend per cell; and the same cells as CSV rows.
#include "sweep_map.h"

#include <string>

namespace conlab {

std::string formatSweepMapTable(const SweepMap& map);
// One row per cell and backend: param, value, param2, value2, backend, median throughput,
// speedup (empty without sequential), best (1 for the cell's best backend), error.
std::string formatSweepMapCsv(const SweepMap& map);

} // namespace conlab
