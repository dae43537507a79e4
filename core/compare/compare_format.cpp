#include "compare_format.h"

#include "../report.h"
#include "../text_format.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <algorithm>
#include <sstream>

namespace conlab {
namespace {

using text::fmt;
using text::pad;

std::string valueText(const FigureComparison& f, double v) {
    if (f.unit == "tasks/s") {
        if (v >= 1e6) return fmt("%.2f M/s", v / 1e6);
        if (v >= 1e3) return fmt("%.1f k/s", v / 1e3);
        return fmt("%.0f /s", v);
    }
    return v > 0 ? formatDuration(v) : "0";
}

std::string ratioText(const std::optional<double>& r) {
    return r ? fmt("%.3f×", *r) : "–";
}

std::string intervalText(const FigureComparison& f) {
    if (!f.ratioLow || !f.ratioHigh) return "–";
    return fmt("[%.3f, ", *f.ratioLow) + fmt("%.3f]", *f.ratioHigh) + (f.intervalBounded ? "" : " (<95%)");
}

std::string pText(double p) {
    return p < 0.0001 ? "<0.0001" : fmt("%.4f", p);
}

QJsonValue optional(const std::optional<double>& v) {
    return v ? QJsonValue(*v) : QJsonValue(QJsonValue::Null);
}

QJsonArray strings(const std::vector<std::string>& v) {
    QJsonArray a;
    for (const auto& s : v)
        a.append(QString::fromStdString(s));
    return a;
}

} // namespace

std::string formatCompareTable(const Comparison& c, const CompareLabels& labels) {
    std::ostringstream os;
    os << "conlab compare: " << printable(labels.next) << " against " << printable(labels.base)
       << "\n(ratio NEW/BASE of the medians; 95% interval of the ratio: Hodges–Lehmann; p: Mann–Whitney U, "
          "two-sided; "
       << "significant when p < " << fmt("%g", c.alpha)
       << ";\n the figures under throughput explain it: their p is Holm-adjusted within the backend; "
          "docs/compare.md)\n";
    for (const auto& d : c.differences)
        os << labels.differencesHeading << ": " << printable(d) << "\n";
    os << "\n";
    size_t wb = 7;
    for (const auto& b : c.backends)
        wb = std::max(wb, b.backend.size());
    os << pad("backend", wb) << "  " << pad("figure", 11) << "  " << pad("base", 10, true) << "  "
       << pad("new", 10, true) << "  " << pad("ratio", 7, true) << "  " << pad("95% interval", 16) << "  "
       << pad("n", 5, true) << "  " << pad("p", 7, true) << "  verdict\n";
    for (const auto& b : c.backends) {
        bool first = true;
        for (const auto& f : b.figures) {
            os << pad(first ? printable(b.backend) : "", wb) << "  " << pad(f.figure, 11) << "  "
               << pad(valueText(f, f.baseMedian), 10, true) << "  "
               << pad(valueText(f, f.newMedian), 10, true) << "  " << pad(ratioText(f.ratio), 7, true) << "  "
               << pad(intervalText(f), 16) << "  "
               << pad(std::to_string(f.nBase) + "/" + std::to_string(f.nNew), 5, true) << "  "
               << pad(pText(f.pVerdict), 7, true) << "  " << f.verdict << "\n";
            first = false;
        }
    }
    os << "\n";
    for (const auto& b : c.backends)
        if (const FigureComparison* t = b.throughput())
            os << printable(b.backend) << ": "
               << (t->significant
                       ? t->verdict + " (throughput " + ratioText(t->ratio) + ", p " + pText(t->p) + ")"
                       : "no significant difference in throughput (p " + pText(t->p) + ")")
               << "\n";
    for (const auto& n : c.notes)
        os << "note: " << printable(n) << "\n";
    for (const auto& b : c.onlyInBase)
        os << "only in " << printable(labels.base) << ": " << printable(b) << "\n";
    for (const auto& b : c.onlyInNew)
        os << "only in " << printable(labels.next) << ": " << printable(b) << "\n";
    return os.str();
}

std::string formatCompareCsv(const Comparison& c) {
    std::ostringstream os;
    os.precision(9);
    os << "backend,figure,unit,n_base,n_new,base_median,new_median,ratio,ratio_low,ratio_high,interval_95,p,"
          "p_verdict,exact,significant,verdict\n";
    auto opt = [](const std::optional<double>& v) {
        std::ostringstream s;
        s.precision(9);
        if (v) s << *v;
        return s.str();
    };
    for (const auto& b : c.backends)
        for (const auto& f : b.figures)
            os << csvEscape(b.backend) << ',' << csvEscape(f.figure) << ',' << csvEscape(f.unit) << ','
               << f.nBase << ',' << f.nNew << ',' << f.baseMedian << ',' << f.newMedian << ',' << opt(f.ratio)
               << ',' << opt(f.ratioLow) << ',' << opt(f.ratioHigh) << ',' << (f.intervalBounded ? 1 : 0)
               << ',' << f.p << ',' << f.pVerdict << ',' << (f.exact ? 1 : 0) << ','
               << (f.significant ? 1 : 0) << ',' << csvEscape(f.verdict) << '\n';
    return os.str();
}

std::string formatCompareJson(const Comparison& c, const CompareLabels& labels) {
    QJsonArray backends;
    for (const auto& b : c.backends) {
        QJsonArray figures;
        for (const auto& f : b.figures)
            figures.append(QJsonObject{{"figure", QString::fromStdString(f.figure)},
                                       {"unit", QString::fromStdString(f.unit)},
                                       {"better", f.better == Better::Higher ? "higher" : "lower"},
                                       {"n_base", f.nBase},
                                       {"n_new", f.nNew},
                                       {"base_median", f.baseMedian},
                                       {"new_median", f.newMedian},
                                       {"ratio", optional(f.ratio)},
                                       {"ratio_low", optional(f.ratioLow)},
                                       {"ratio_high", optional(f.ratioHigh)},
                                       {"interval_95", f.intervalBounded},
                                       {"p", f.p},
                                       {"p_verdict", f.pVerdict},
                                       {"exact", f.exact},
                                       {"significant", f.significant},
                                       {"verdict", QString::fromStdString(f.verdict)}});
        backends.append(QJsonObject{{"backend", QString::fromStdString(b.backend)}, {"figures", figures}});
    }
    const QJsonObject root{{"schema", "conlab.compare/1"},
                           {"base", QString::fromStdString(labels.base)},
                           {"new", QString::fromStdString(labels.next)},
                           {"alpha", c.alpha},
                           {"differences", strings(c.differences)},
                           {"backends", backends},
                           {"only_in_base", strings(c.onlyInBase)},
                           {"only_in_new", strings(c.onlyInNew)},
                           {"notes", strings(c.notes)}};
    return QJsonDocument(root).toJson().toStdString();
}

} // namespace conlab
