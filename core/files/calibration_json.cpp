#include "calibration_json.h"

#include <QJsonValue>
#include <QString>
#include <cmath>

namespace conlab {

namespace {
// Uncalibrated (0) is written as null: a file that says 0 is refused when loaded.
QJsonValue positiveOrNull(double v) {
    return v > 0 && std::isfinite(v) ? QJsonValue(v) : QJsonValue(QJsonValue::Null);
}
} // namespace

QJsonObject calibrationToJson(const Calibration& c) {
    return {{"cpu_steps_per_us", positiveOrNull(c.cpuStepsPerUs)},
            {"memory_visits_per_us", positiveOrNull(c.memoryVisitsPerUs)},
            {"cpu_model", QString::fromStdString(c.cpuModel)},
            {"build", QString::fromStdString(c.build)},
            {"measured_at_unix", qint64(c.measuredAtUnix)},
            {"from_cache", c.fromCache},
            {"recalibrated_reason", QString::fromStdString(c.recalibratedReason)}};
}

} // namespace conlab
