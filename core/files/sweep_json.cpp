// Writing a sweep: a results file (its base spec, machine and calibration) with a "sweep"
// object holding every point's runs and the break-even points (docs/results-format.md).
// Reading it back stays beside the results reader (results_json.cpp), whose checks it uses.
#include "../results_json.h"

#include <QJsonArray>

namespace conlab {

QJsonObject sweepToJson(const SweepResult& sw, const std::vector<BreakEven>& breakEven,
                        const QJsonObject& extra) {
    Experiment ex;
    ex.spec = sw.base;
    ex.machine = sw.machine;
    ex.calibration = sw.calibration;
    ex.createdUtc = sw.createdUtc;
    ex.conlabVersion = CONLAB_VERSION;
    QJsonObject root = toJson(ex);
    QJsonArray values, points, backends, be;
    for (double v : sw.values)
        values.append(v);
    for (const auto& b : sw.backends)
        backends.append(QString::fromStdString(b));
    for (const auto& p : sw.points)
        points.append(
            QJsonObject{{"value", p.value}, {"spec", specToJson(p.spec)}, {"runs", runsToJson(p.runs)}});
    for (const auto& b : breakEven)
        be.append(QJsonObject{{"backend", QString::fromStdString(b.backend)},
                              {"value", b.value ? QJsonValue(*b.value) : QJsonValue(QJsonValue::Null)},
                              {"pays_off_above", b.paysOffAbove},
                              {"note", QString::fromStdString(b.note)}});
    QJsonObject sweep{{"param", QString::fromStdString(toString(sw.param))},
                      {"scale", sw.logScale ? "log" : "linear"},
                      {"values", values},
                      {"backends", backends},
                      {"cancelled", sw.cancelled},
                      {"points", points},
                      {"break_even", be}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        sweep.insert(it.key(), it.value());
    root["sweep"] = sweep;
    return root;
}

} // namespace conlab
