#pragma once
// A repetition's noise record in the results file ("noise", docs/results-format.md), and the
// file's "warnings": the build's and those derived from the data (measurement/run_warnings.h).
#include "../run_result.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

namespace conlab {

QJsonObject noiseToJson(const NoiseRecord& noise);
// Reads "noise"; an absent object (files from before it existed) gives an unmeasured record.
// On a bad value returns false with `error` set.
bool noiseFromJson(const QJsonValue& value, NoiseRecord& out, QString& error);

// The strings of the results file's "warnings" array.
QJsonArray experimentWarningsJson(const Experiment& ex);

} // namespace conlab
