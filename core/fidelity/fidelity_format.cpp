#include "fidelity_format.h"
#include "../text_format.h"

#include "../report.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <algorithm>
#include <cstdio>
#include <sstream>

namespace conlab {

namespace {

std::string ratioText(double ratio) {
    if (ratio <= 0) return "–";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f×", ratio);
    return buf;
}

std::string goalText(double goal) {
    if (goal <= 0) return "–";
    char buf[32];
    std::snprintf(buf, sizeof buf, "≤ %.1f×", goal);
    return buf;
}

using text::pad;

std::string valueText(double s) {
    return s > 0 ? formatDuration(s) : "–";
}

} // namespace

std::string formatFidelityTable(const FidelityReport& report) {
    std::ostringstream os;
    os << "conlab fidelity: every figure beside its raw primitive, in one process, same placement\n"
       << "(" << report.rounds << " interleaved rounds, " << report.messageRounds
       << " for round trips; values: medians; ratio: the median of the rounds' ratios;\n"
       << " one worker, empty tasks; docs/fidelity.md)\n\n";
    size_t w = 6;
    for (const auto& r : report.rows)
        w = std::max(w, r.figure.size());
    os << pad("figure", w) << "  " << pad("conlab", 9, true) << "  " << pad("raw", 9, true) << "  "
       << pad("ratio", 7, true) << "  " << pad("goal", 7, true) << "  verdict\n";
    for (const auto& r : report.rows) {
        os << pad(printable(r.figure), w) << "  " << pad(valueText(r.conlabS), 9, true) << "  "
           << pad(valueText(r.rawS), 9, true) << "  " << pad(ratioText(r.ratio), 7, true) << "  "
           << pad(goalText(r.goal), 7, true) << "  " << toString(r.verdict) << "\n";
        os << "    raw: " << printable(r.primitive) << " (" << r.placement << ")\n";
        if (!r.explanation.empty())
            os << "    " << (r.verdict == FidelityVerdict::Skipped ? "why: " : "beyond the primitive: ")
               << printable(r.explanation) << "\n";
    }
    os << "\npython: " << printable(report.python) << "\n";
    if (report.cancelled) os << "cancelled: the rows above were measured before the stop\n";
    os << "Verdicts are information, not failures: the goals are for an idle machine.\n";
    return os.str();
}

std::string formatFidelityCsv(const FidelityReport& report) {
    std::ostringstream os;
    os.precision(9);
    os << "id,figure,backend,primitive,placement,conlab_s,raw_s,ratio,goal,verdict,explanation\n";
    for (const auto& r : report.rows)
        os << csvEscape(r.id) << ',' << csvEscape(printable(r.figure)) << ',' << csvEscape(r.backend) << ','
           << csvEscape(printable(r.primitive)) << ',' << csvEscape(r.placement) << ',' << r.conlabS << ','
           << r.rawS << ',' << r.ratio << ',' << r.goal << ',' << csvEscape(toString(r.verdict)) << ','
           << csvEscape(printable(r.explanation)) << '\n';
    return os.str();
}

std::string formatFidelityJson(const FidelityReport& report) {
    QJsonArray rows;
    for (const auto& r : report.rows) {
        QJsonArray roundRatios;
        for (double x : r.roundRatios)
            roundRatios.append(x);
        rows.append(QJsonObject{{"id", QString::fromStdString(r.id)},
                                {"figure", QString::fromStdString(r.figure)},
                                {"backend", QString::fromStdString(r.backend)},
                                {"primitive", QString::fromStdString(r.primitive)},
                                {"placement", QString::fromStdString(r.placement)},
                                {"conlab_s", r.conlabS},
                                {"raw_s", r.rawS},
                                {"round_ratios", roundRatios},
                                {"ratio", r.ratio},
                                {"goal", r.goal},
                                {"verdict", toString(r.verdict)},
                                {"explanation", QString::fromStdString(r.explanation)}});
    }
    const QJsonObject fidelity{{"rounds", report.rounds},
                               {"message_rounds", report.messageRounds},
                               {"python", QString::fromStdString(report.python)},
                               {"cancelled", report.cancelled},
                               {"rows", rows}};
    return QJsonDocument(QJsonObject{{"fidelity", fidelity}}).toJson().toStdString();
}

} // namespace conlab
