#include "sweep_map_json.h"

#include "../results_json.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <cmath>

namespace conlab {

namespace {
QJsonArray numbers(const std::vector<double>& v) {
    QJsonArray a;
    for (double x : v)
        a.append(x);
    return a;
}
} // namespace

QJsonObject sweepMapToJson(const SweepMap& map) {
    Experiment ex;
    ex.spec = map.base;
    ex.conlabVersion = CONLAB_VERSION;
    if (!map.rows.empty()) {
        ex.machine = map.rows.front().machine;
        ex.calibration = map.rows.front().calibration;
        ex.createdUtc = map.rows.front().createdUtc;
    } else {
        ex.machine = currentMachine();
    }
    QJsonObject root = toJson(ex);
    QJsonArray rows, backends;
    for (const auto& b : map.backends())
        backends.append(QString::fromStdString(b));
    for (size_t i = 0; i < map.rows.size(); ++i) {
        const SweepResult& r = map.rows[i];
        const QJsonObject doc = sweepToJson(r, breakEvenPoints(r));
        rows.append(QJsonObject{
            {"value2", map.values2.at(i)}, {"spec", doc.value("spec")}, {"sweep", doc.value("sweep")}});
    }
    root["sweep_map"] = QJsonObject{{"param", QString::fromStdString(toString(map.param()))},
                                    {"values", numbers(map.values())},
                                    {"param2", QString::fromStdString(toString(map.param2))},
                                    {"scale2", map.logScale2 ? "log" : "linear"},
                                    {"values2", numbers(map.values2)},
                                    {"backends", backends},
                                    {"cancelled", map.cancelled},
                                    {"rows", rows}};
    return root;
}

std::optional<SweepMapLoad> sweepMapFromJsonBytes(const QByteArray& bytes) {
    SweepMapLoad out;
    std::optional<QJsonObject> root = parseResultsRoot(bytes, &out.error);
    if (!root) return out;
    if (!root->contains(QLatin1String("sweep_map"))) return std::nullopt;
    const QJsonObject mo = root->take(QLatin1String("sweep_map")).toObject();
    SweepMap map;
    // The base spec and the file's schema are checked as for any results file.
    FileLoad base = fromRootWithSweep(*root);
    if (!base.results.experiment) {
        out.error = base.results.error;
        return out;
    }
    map.base = base.results.experiment->spec;
    auto param2 = sweepParamFromString(mo.value("param2").toString().toStdString());
    if (!param2) {
        out.error = QStringLiteral("sweep_map: unknown parameter '%1'").arg(mo.value("param2").toString());
        return out;
    }
    map.param2 = *param2;
    map.logScale2 = mo.value("scale2").toString() == QLatin1String("log");
    map.cancelled = mo.value("cancelled").toBool();
    const QJsonArray values2 = mo.value("values2").toArray();
    const QJsonArray rows = mo.value("rows").toArray();
    if (values2.isEmpty() || values2.size() > 10000) {
        out.error = QStringLiteral("sweep_map: \"values2\" must list 1 … 10000 values");
        return out;
    }
    for (const auto& v : values2) {
        if (!v.isDouble() || !std::isfinite(v.toDouble())) {
            out.error = QStringLiteral("sweep_map: \"values2\" holds a value that is not a finite number");
            return out;
        }
        map.values2.push_back(v.toDouble());
    }
    if (rows.size() > values2.size()) {
        out.error = QStringLiteral("sweep_map: %1 rows for %2 values of %3")
                        .arg(rows.size())
                        .arg(values2.size())
                        .arg(QString::fromStdString(toString(map.param2)));
        return out;
    }
    for (qsizetype i = 0; i < rows.size(); ++i) {
        const QJsonObject row = rows[i].toObject();
        const QString where = QStringLiteral("sweep_map: row %1 (%2 = %3)")
                                  .arg(i + 1)
                                  .arg(QString::fromStdString(toString(map.param2)))
                                  .arg(map.values2[size_t(i)]);
        if (row.value("value2").toDouble(std::nan("")) != map.values2[size_t(i)]) {
            out.error = where + QStringLiteral(": its \"value2\" is not the row's value");
            return out;
        }
        QJsonObject doc = *root;
        doc["spec"] = row.value("spec");
        doc["sweep"] = row.value("sweep");
        FileLoad f = fromRootWithSweep(std::move(doc));
        if (!f.results.experiment || !f.sweep || !f.sweep->sweep) {
            out.error = where + ": " +
                        (!f.results.experiment ? f.results.error
                         : f.sweep             ? f.sweep->error
                                               : QStringLiteral("no \"sweep\" object"));
            return out;
        }
        SweepResult r = std::move(*f.sweep->sweep);
        if (!map.rows.empty() && (r.param != map.rows.front().param || r.values != map.rows.front().values ||
                                  r.backends != map.rows.front().backends)) {
            out.error =
                where + QStringLiteral(": its parameter, values or backends differ from the first row's");
            return out;
        }
        map.rows.push_back(std::move(r));
    }
    out.map = std::move(map);
    return out;
}

std::optional<SweepMapLoad> loadSweepMapFile(const QString& path, QString* readError) {
    QByteArray bytes;
    if (!readRegularFile(path, kMaxResultsFileBytes, &bytes, readError)) return std::nullopt;
    if (!bytes.contains("\"sweep_map\"")) return std::nullopt; // not a map: no parse of a big results file
    auto load = sweepMapFromJsonBytes(bytes);
    if (load && !load->map) load->error = path + ": " + load->error;
    return load;
}

} // namespace conlab
