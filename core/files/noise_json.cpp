#include "noise_json.h"

#include "../measurement/run_warnings.h"

#include <cmath>

namespace conlab {

QJsonObject noiseToJson(const NoiseRecord& n) {
    auto finite = [](double v) { return std::isfinite(v) ? v : 0.0; };
    return {{"measured", n.measured},
            {"others_share", finite(n.othersShare)},
            {"steal_share", finite(n.stealShare)},
            {"load_average_1", finite(n.loadAverage1)},
            {"migrations", qint64(n.migrations)},
            {"involuntary_switches", qint64(n.involuntarySwitches)}};
}

bool noiseFromJson(const QJsonValue& value, NoiseRecord& out, QString& error) {
    out = {};
    if (value.isUndefined() || value.isNull()) return true;
    if (!value.isObject()) {
        error = QStringLiteral("noise: must be an object");
        return false;
    }
    const QJsonObject o = value.toObject();
    auto number = [&](const char* key, double lo, double hi, double def) {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isUndefined() || v.isNull()) return def;
        const double d = v.toDouble(NAN);
        if (!v.isDouble() || !std::isfinite(d) || d < lo || d > hi) {
            if (error.isEmpty())
                error = QStringLiteral("noise: field '%1' must be a number in [%2, %3]")
                            .arg(QLatin1String(key))
                            .arg(lo)
                            .arg(hi);
            return def;
        }
        return d;
    };
    out.measured = o.value("measured").toBool(false);
    out.othersShare = number("others_share", 0, 1, 0);
    out.stealShare = number("steal_share", 0, 1, 0);
    out.loadAverage1 = number("load_average_1", -1, 1e6, -1);
    out.migrations = int64_t(number("migrations", -1, 1e12, -1));
    out.involuntarySwitches = int64_t(number("involuntary_switches", -1, 1e15, -1));
    return error.isEmpty();
}

QJsonArray experimentWarningsJson(const Experiment& ex) {
    QJsonArray warnings;
    if (ex.machine.buildType.rfind("release", 0) != 0)
        warnings.append(QStringLiteral("not a release build (%1): timings are not representative")
                            .arg(QString::fromStdString(ex.machine.buildType)));
    for (const auto& w : runWarnings(ex))
        warnings.append(QString::fromStdString(w.text));
    return warnings;
}

} // namespace conlab
