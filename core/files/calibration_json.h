#pragma once
// The results file's "calibration" object (docs/results-format.md), as written; the loader
// in results_json.cpp reads it back with the file's range checks.
#include "../calibration.h"

#include <QJsonObject>

namespace conlab {

QJsonObject calibrationToJson(const Calibration& c);

} // namespace conlab
