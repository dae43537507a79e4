#pragma once
// Per spawned worker process: page faults and peak RSS ("children", docs/results-format.md),
// in a repetition and in a run's summary. Absent where no worker process was reaped.
#include "../run_result.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

namespace conlab {

// Null when usage.processes == 0.
QJsonValue childUsageToJson(const ChildUsage& usage);
// An absent or null value gives an empty record; on a bad value returns false with `error` set.
bool childUsageFromJson(const QJsonValue& value, ChildUsage& out, QString& error);

} // namespace conlab
