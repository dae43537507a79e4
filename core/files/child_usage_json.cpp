#include "child_usage_json.h"

#include <cmath>

namespace conlab {

QJsonValue childUsageToJson(const ChildUsage& u) {
    if (u.processes <= 0) return QJsonValue(QJsonValue::Null);
    return QJsonObject{{"processes", qint64(u.processes)},
                       {"minor_faults_mean", u.minorFaults},
                       {"major_faults_mean", u.majorFaults},
                       {"max_rss_bytes_mean", u.maxRssBytes}};
}

bool childUsageFromJson(const QJsonValue& value, ChildUsage& out, QString& error) {
    out = {};
    if (value.isUndefined() || value.isNull()) return true;
    if (!value.isObject()) {
        error = QStringLiteral("field 'children' must be an object");
        return false;
    }
    const QJsonObject o = value.toObject();
    auto read = [&](const char* key, double hi, double& to) {
        const QJsonValue v = o.value(QLatin1String(key));
        if (!v.isDouble() || !std::isfinite(v.toDouble()) || v.toDouble() < 0 || v.toDouble() > hi) {
            error = QStringLiteral("children: field '%1' must be a number in [0, %2]")
                        .arg(QLatin1String(key))
                        .arg(hi);
            return false;
        }
        to = v.toDouble();
        return true;
    };
    double processes = 0;
    if (!read("processes", 1e12, processes) || !read("minor_faults_mean", 1e15, out.minorFaults) ||
        !read("major_faults_mean", 1e15, out.majorFaults) ||
        !read("max_rss_bytes_mean", 1e15, out.maxRssBytes))
        return false;
    out.processes = int64_t(processes);
    return true;
}

} // namespace conlab
