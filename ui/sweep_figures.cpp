#include "sweep_figures.h"
#include "qt_text.h"

#include "advisor.h"
#include "export.h"
#include "figure_caps.h"
#include "files/lesson_info.h"
#include "plot_style.h"
#include "report.h"
#include "sweep_axes.h"
#include "text_format.h"

#include <QApplication>
#include <QDir>
#include <QTextStream>
#include <algorithm>
#include <cmath>
#include <numeric>
#include <qcustomplot.h>

namespace conlab::ui {

namespace {

QString num(double v) {
    return QString::number(v, 'g', 3);
}

bool isIntegerParam(SweepParam p) {
    return p != SweepParam::TaskUs;
}

// The value the point actually ran with (integer parameters are rounded by applySweepValue).
double effectiveValue(SweepParam p, double v) {
    return isIntegerParam(p) ? double(std::llround(v)) : v;
}

QString shortParamName(SweepParam p) {
    switch (p) {
    case SweepParam::TaskUs:
        return QStringLiteral("task size");
    case SweepParam::Workers:
        return QStringLiteral("workers");
    case SweepParam::Payload:
        return QStringLiteral("message payload");
    case SweepParam::Messages:
        return QStringLiteral("messages per task");
    case SweepParam::Input:
        return QStringLiteral("input bytes per task");
    case SweepParam::Tasks:
        return QStringLiteral("task count");
    case SweepParam::Chunksize:
        return QStringLiteral("chunksize");
    case SweepParam::ParentMemory:
        return QStringLiteral("parent memory");
    }
    return {};
}

} // namespace

// Tick label: the value with the unit only where the axis label does not carry it.
QString formatSweepTick(SweepParam p, double v) {
    v = effectiveValue(p, v);
    switch (p) {
    case SweepParam::TaskUs: // rounded first: 999.9999 is "1 ms", never "1e+03 µs"
        return q(sweepValueText(p, v));
    case SweepParam::Payload:
    case SweepParam::Input:
    case SweepParam::ParentMemory:
        return q(formatBytes(int64_t(v)));
    default: // workers, messages, tasks, chunksize
        return QString::number(qint64(v));
    }
}

namespace {

const BackendRun* runOf(const SweepPoint& p, const std::string& backend) {
    for (const BackendRun& r : p.runs)
        if (r.backend == backend && r.error.empty() && r.summary.repetitions > 0) return &r;
    return nullptr;
}

enum class Metric { Speedup, Throughput };

struct Series {
    QString id;
    QVector<double> x, y, minus, plus;
    bool ci = false; // some point has repetitions > 1
};

std::vector<Series> collect(const SweepResult& sw, Metric m) {
    std::vector<Series> out;
    for (const std::string& b : sw.backends) {
        Series s;
        s.id = q(b);
        for (const SweepPoint& p : sw.points) {
            const BackendRun* r = runOf(p, b);
            if (!r) continue;
            const Estimate& t = r->summary.throughput;
            double y = 0, lo = 0, hi = 0;
            if (m == Metric::Throughput) {
                y = t.median;
                lo = t.ciLow;
                hi = t.ciHigh;
            } else {
                if (!r->summary.speedup || t.median <= 0) continue;
                y = *r->summary.speedup;
                // The backend's throughput interval over the baseline's median (docs/measurement.md).
                const double base = t.median / y;
                lo = t.ciLow / base;
                hi = t.ciHigh / base;
            }
            if (!std::isfinite(y)) continue;
            s.x.push_back(effectiveValue(sw.param, p.value));
            s.y.push_back(y);
            s.minus.push_back(std::clamp(y - lo, 0.0, y * 0.999)); // stays > 0 on log axes
            s.plus.push_back(std::max(0.0, hi - y));
            s.ci = s.ci || r->summary.repetitions > 1;
        }
        out.push_back(std::move(s));
    }
    return out;
}

// Log ticks labelled 0.01, 0.1, 1, 10, 100, 1k, 10k, 1M: one style across the decades.
class SiLogTicker : public QCPAxisTickerLog {
  protected:
    QString getTickLabel(double tick, const QLocale&, QChar, int) override {
        const double a = std::abs(tick);
        if (a >= 1e9) return QString::number(tick / 1e9, 'g', 3) + QStringLiteral("G");
        if (a >= 1e6) return QString::number(tick / 1e6, 'g', 3) + QStringLiteral("M");
        if (a >= 1e3) return QString::number(tick / 1e3, 'g', 3) + QStringLiteral("k");
        return QString::number(tick, 'g', 3);
    }
};

bool spansDecades(double lo, double hi, double factor) {
    return lo > 0 && hi / lo >= factor;
}

QCPGraph* seriesGraph(QCustomPlot* plot, const QString& name, const QColor& color, Qt::PenStyle style,
                      QCPScatterStyle::ScatterShape shape) {
    QCPGraph* g = plot->addGraph();
    g->setName(name);
    g->setPen(QPen(color, 2, style));
    g->setLineStyle(QCPGraph::lsLine);
    g->setScatterStyle(QCPScatterStyle(shape, color, color, 7));
    return g;
}

void addSeries(QCustomPlot* plot, const Series& s, const PlotTheme& theme) {
    const QColor color = backendColor(s.id, theme.dark);
    QCPGraph* g = seriesGraph(plot, s.id, color, backendPenStyle(s.id), scatterShape(backendMarker(s.id)));
    g->setData(s.x, s.y); // not necessarily sorted: let QCP sort by key
    if (s.ci && !s.x.isEmpty()) {
        auto* bars = new QCPErrorBars(plot->xAxis, plot->yAxis);
        bars->removeFromLegend();
        bars->setName(s.id + QStringLiteral(" 95% CI"));
        bars->setDataPlottable(g);
        // The error data follows the graph's (sorted) order.
        QVector<int> order(s.x.size());
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return s.x[a] < s.x[b]; });
        QVector<double> minus, plus;
        for (int i : order) {
            minus.push_back(s.minus[i]);
            plus.push_back(s.plus[i]);
        }
        bars->setData(minus, plus);
        bars->setPen(QPen(color, 1.2));
        bars->setWhiskerWidth(8);
        bars->setSymbolGap(8);
    }
}

// A baseline sweep's curves (File → Compare with baseline…): dashed and pale, one per backend
// both sweeps ran, when the baseline swept the same parameter.
void addBaselineSeries(QCustomPlot* plot, const SweepResult& sw, const SweepResult* baseline, Metric m,
                       const PlotTheme& theme) {
    if (!baseline || baseline->param != sw.param) return;
    for (const Series& s : collect(*baseline, m)) {
        const bool both =
            std::find(sw.backends.begin(), sw.backends.end(), s.id.toStdString()) != sw.backends.end();
        if (!both || s.x.isEmpty()) continue;
        QColor color = backendColor(s.id, theme.dark);
        color.setAlpha(150);
        QCPGraph* g = seriesGraph(plot, s.id + QStringLiteral(" (baseline)"), color, Qt::DashLine,
                                  QCPScatterStyle::ssCircle);
        g->setPen(QPen(color, 1.5, Qt::DashLine));
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, color, theme.background, 6));
        g->setData(s.x, s.y);
        g->setProperty("conlabBaseline", true);
    }
}

// Parameter axis: log when the values span a decade; tick labels at the swept values when they
// are evenly spaced on that scale (a sweep's usual shape), the default ticker otherwise.
void setupParamAxis(QCustomPlot* plot, const SweepResult& sw) {
    QCPAxis* x = plot->xAxis;
    const bool logX = sweepUsesLogX(sw);
    x->setScaleType(logX ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    x->setLabel(sweepParamLabel(sw.param));
    std::vector<double> v;
    for (double value : sw.values)
        v.push_back(effectiveValue(sw.param, value));
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    bool even = v.size() >= 2 && v.size() <= 14;
    if (even) {
        auto pos = [&](double a) { return logX ? std::log(a) : a; };
        const double avg = (pos(v.back()) - pos(v.front())) / double(v.size() - 1);
        for (size_t i = 1; i < v.size(); ++i)
            even = even && pos(v[i]) - pos(v[i - 1]) >= 0.5 * avg;
    }
    if (even || v.size() == 1) {
        QSharedPointer<QCPAxisTickerText> t(new QCPAxisTickerText);
        for (double value : v)
            t->addTick(value, formatSweepTick(sw.param, value));
        x->setTicker(t);
        x->setSubTicks(false);
    } else if (logX) {
        QSharedPointer<QCPAxisTickerLog> t(new QCPAxisTickerLog);
        t->setLogBase(10);
        t->setSubTickCount(8);
        x->setTicker(t);
        x->setNumberFormat(QStringLiteral("gb"));
        x->setSubTicks(true);
    } else {
        x->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
        x->setNumberFormat(QStringLiteral("g"));
        x->setSubTicks(true);
    }
    x->setProperty(kSweepValuesProperty, QVariant::fromValue(QVector<double>(v.begin(), v.end())));
}

void setupValueAxis(QCustomPlot* plot, bool logY, const QString& label, const QString& format) {
    QCPAxis* y = plot->yAxis;
    y->setLabel(label);
    y->setScaleType(logY ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    if (logY) {
        QSharedPointer<QCPAxisTickerLog> t(new SiLogTicker);
        t->setLogBase(10);
        t->setSubTickCount(8);
        y->setTicker(t);
    } else {
        y->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    }
    y->setNumberFormat(format);
    y->setSubTicks(true);
    y->grid()->setVisible(true);
    y->grid()->setSubGridVisible(logY);
    y->setTickLength(5, 0);
    plot->setProperty(kSweepLogYProperty, logY);
}

void beginSweepFigure(QCustomPlot* plot) {
    plot->clearPlottables();
    plot->clearItems();
    plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    plot->axisRect()->setRangeDrag(Qt::Horizontal | Qt::Vertical);
    plot->axisRect()->setRangeZoom(Qt::Horizontal | Qt::Vertical);
}

QString rangeText(const SweepResult& sw) {
    if (sw.values.empty()) return {};
    const auto [lo, hi] = std::minmax_element(sw.values.begin(), sw.values.end());
    if (*lo == *hi) return formatSweepTick(sw.param, *lo);
    return QStringLiteral("%1 … %2").arg(formatSweepTick(sw.param, *lo), formatSweepTick(sw.param, *hi));
}

} // namespace

QString sweepParamLabel(SweepParam p) {
    switch (p) {
    case SweepParam::TaskUs:
        return QStringLiteral("task size [µs of CPU per task]");
    case SweepParam::Workers:
        return QStringLiteral("workers");
    case SweepParam::Payload:
        return QStringLiteral("message payload [bytes]");
    case SweepParam::Messages:
        return QStringLiteral("messages per task");
    case SweepParam::Input:
        return QStringLiteral("input per task [bytes]");
    case SweepParam::Tasks:
        return QStringLiteral("tasks per run");
    case SweepParam::Chunksize:
        return QStringLiteral("chunksize [tasks per dispatch]");
    case SweepParam::ParentMemory:
        return QStringLiteral("parent memory [bytes, touched before the workers start]");
    }
    return {};
}

QString formatSweepValue(SweepParam p, double v) {
    switch (p) {
    case SweepParam::TaskUs:
        return formatSweepTick(p, v);
    case SweepParam::Workers:
        return q(text::counted(std::llround(v), "worker"));
    case SweepParam::Payload:
        return formatSweepTick(p, v) + QStringLiteral(" per message");
    case SweepParam::Messages:
        return q(text::counted(std::llround(v), "message")) + QStringLiteral(" per task");
    case SweepParam::Input:
        return formatSweepTick(p, v) + QStringLiteral(" of input per task");
    case SweepParam::Tasks:
        return q(text::counted(std::llround(v), "task"));
    case SweepParam::Chunksize:
        return QStringLiteral("chunksize %1").arg(qint64(std::llround(v)));
    case SweepParam::ParentMemory:
        return formatSweepTick(p, v) + QStringLiteral(" of parent memory");
    }
    return num(v);
}

QString breakEvenValueText(SweepParam p, double v) {
    // Break-even values are interpolated: not rounded to integers, but shown with 2–3 digits.
    switch (p) {
    case SweepParam::TaskUs:
        return formatSweepTick(p, v) + QStringLiteral(" per task");
    case SweepParam::Payload:
    case SweepParam::Input:
    case SweepParam::ParentMemory:
        return formatSweepValue(p, v);
    case SweepParam::Workers:
        return q(sweepValueText(p, v)) + QStringLiteral(" workers");
    case SweepParam::Messages:
        return q(sweepValueText(p, v)) + QStringLiteral(" messages per task");
    case SweepParam::Tasks:
        return q(sweepValueText(p, v)) + QStringLiteral(" tasks");
    case SweepParam::Chunksize:
        return QStringLiteral("a chunksize of ") + q(sweepValueText(p, v));
    }
    return num(v);
}

QString breakEvenSentence(const BreakEven& be, SweepParam p) {
    if (!be.value) return QStringLiteral("%1: %2").arg(q(be.backend), q(be.note));
    return QStringLiteral("%1 pays off %2 ≈ %3 on this machine")
        .arg(q(be.backend), be.paysOffAbove ? QStringLiteral("above") : QStringLiteral("below"),
             breakEvenValueText(p, *be.value));
}

QString sweepWorkloadLine(const SweepResult& sw) {
    const WorkloadSpec& s = sw.base;
    QStringList parts;
    const SweepParam p = sw.param;
    if (p != SweepParam::Tasks)
        parts << q(text::counted(s.tasks, toString(s.kind) + " task"));
    else
        parts << QStringLiteral("%1 tasks").arg(q(toString(s.kind)));
    if (p != SweepParam::TaskUs) parts << QStringLiteral("%1 µs each").arg(s.taskUs);
    if (p != SweepParam::Workers) parts << q(text::counted(s.resolvedWorkers(), "worker"));
    if (p != SweepParam::Input && s.inputBytes)
        parts << QStringLiteral("in %1").arg(q(formatBytes(s.inputBytes)));
    if (p != SweepParam::Messages && s.messages) parts << q(text::counted(s.messages, "msg"));
    if (p != SweepParam::Payload && (s.messages || p == SweepParam::Messages) && s.payload)
        parts << QStringLiteral("%1 payload").arg(q(formatBytes(s.payload)));
    if (p != SweepParam::Chunksize && s.chunksize > 1)
        parts << QStringLiteral("chunksize %1").arg(s.chunksize);
    parts << QStringLiteral("%1 rep.").arg(s.repeat);
    QString line = parts.join(QStringLiteral(", "));
    line += QStringLiteral("; %1 %2 (%3)")
                .arg(q(toString(p)), rangeText(sw),
                     sw.logScale ? QStringLiteral("log") : QStringLiteral("linear"));
    if (sw.cancelled || sw.points.size() < sw.values.size())
        line += QStringLiteral(" — %1 of %2 points").arg(sw.points.size()).arg(sw.values.size());
    return line;
}

bool sweepUsesLogX(const SweepResult& sw) {
    if (sw.values.empty()) return false;
    const auto [lo, hi] = std::minmax_element(sw.values.begin(), sw.values.end());
    return spansDecades(effectiveValue(sw.param, *lo), effectiveValue(sw.param, *hi), 10);
}

QString defaultPhasesBackend(const SweepResult& sw) {
    for (const std::string& b : sw.backends)
        if (b != "sequential" && b != "py-sequential") return q(b);
    return sw.backends.empty() ? QString() : q(sw.backends.front());
}

QString sweepFigureTitle(FigureKind kind, const SweepResult& sw, const QString& phasesBackend) {
    const QString param = shortParamName(sw.param);
    QString head;
    switch (kind) {
    case FigureKind::SweepSpeedup:
        head = QStringLiteral("Speedup vs sequential by %1").arg(param);
        break;
    case FigureKind::SweepThroughput:
        head = QStringLiteral("Throughput by %1").arg(param);
        break;
    case FigureKind::SweepPhases:
        head = QStringLiteral("Where %1's worker time goes, by %2")
                   .arg(phasesBackend.isEmpty() ? defaultPhasesBackend(sw) : phasesBackend, param);
        break;
    default:
        break;
    }
    return head + QLatin1Char('\n') + sweepWorkloadLine(sw);
}

void fillSweepSpeedup(QCustomPlot* plot, const SweepResult& sw, const PlotTheme& theme,
                      const SweepResult* baseline) {
    beginSweepFigure(plot);
    setupParamAxis(plot, sw);
    const std::vector<Series> series = collect(sw, Metric::Speedup);
    double lo = 1, hi = 1;
    for (const Series& s : series)
        for (int i = 0; i < s.y.size(); ++i)
            if (s.y[i] > 0) {
                lo = std::min(lo, s.y[i]);
                hi = std::max(hi, s.y[i]);
            }
    const bool logY = spansDecades(lo, hi, 20);
    setupValueAxis(plot, logY, QStringLiteral("speedup vs sequential [×] (1 = break-even)"),
                   QStringLiteral("g"));
    for (const Series& s : series)
        addSeries(plot, s, theme);
    addBaselineSeries(plot, sw, baseline, Metric::Speedup, theme);
    if (sw.param == SweepParam::Workers && !sw.values.empty()) {
        const int cores = sw.machine.onlineCores > 0 ? sw.machine.onlineCores : 1;
        std::vector<double> v;
        for (double value : sw.values)
            v.push_back(effectiveValue(sw.param, value));
        std::sort(v.begin(), v.end());
        QVector<double> x, y;
        for (double value : v) {
            x.push_back(value);
            y.push_back(std::min(value, double(cores)));
        }
        QCPGraph* ideal = seriesGraph(plot, QStringLiteral("ideal: min(workers, %1 cores)").arg(cores),
                                      theme.foreground, Qt::DashLine, QCPScatterStyle::ssNone);
        ideal->setPen(QPen(theme.foreground, 1.5, Qt::DashLine));
        ideal->setData(x, y, true);
        ideal->setProperty("conlabReference", true);
    }
    // Break-even markers: a dashed vertical line at each crossing, a dot on y = 1, a label.
    const std::vector<BreakEven> be = breakEvenPoints(sw);
    const QVector<double> values = plot->xAxis->property(kSweepValuesProperty).value<QVector<double>>();
    const bool logX = sweepUsesLogX(sw);
    int row = 0;
    for (const BreakEven& b : be) {
        if (!b.value) continue;
        const double x = *b.value;
        const QColor color = backendColor(q(b.backend), theme.dark);
        auto* line = new QCPItemStraightLine(plot);
        line->point1->setCoords(x, 1);
        line->point2->setCoords(x, 2);
        line->setPen(QPen(color, 1.5, Qt::DashLine));
        line->setProperty("conlabBreakEven", q(b.backend));
        auto* dot = new QCPItemTracer(plot);
        dot->position->setCoords(x, 1);
        dot->setStyle(QCPItemTracer::tsCircle);
        dot->setSize(10);
        dot->setPen(QPen(color, 2));
        dot->setBrush(theme.background);
        auto* label = new QCPItemText(plot);
        label->position->setTypeX(QCPItemPosition::ptPlotCoords);
        label->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
        label->position->setCoords(x, 0.03 + 0.075 * row++);
        // Labels to the right of their line, except near the right edge.
        double frac = 0.5;
        if (!values.isEmpty() && values.back() > values.front()) {
            frac = logX && values.front() > 0
                       ? std::log(x / values.front()) / std::log(values.back() / values.front())
                       : (x - values.front()) / (values.back() - values.front());
        }
        label->setPositionAlignment(Qt::AlignTop | (frac > 0.6 ? Qt::AlignRight : Qt::AlignLeft));
        label->setPadding(QMargins(4, 1, 4, 1));
        label->setText(
            QStringLiteral("%1 breaks even ≈ %2").arg(q(b.backend), q(sweepValueText(sw.param, x, 2))));
        label->setColor(color);
        QColor bg = theme.background;
        bg.setAlpha(220);
        label->setBrush(bg);
        label->setPen(QPen(color, 1));
        label->setClipToAxisRect(true);
    }
    resetSweepView(plot, FigureKind::SweepSpeedup);
}

void fillSweepThroughput(QCustomPlot* plot, const SweepResult& sw, const PlotTheme& theme,
                         const SweepResult* baseline) {
    beginSweepFigure(plot);
    setupParamAxis(plot, sw);
    const std::vector<Series> series = collect(sw, Metric::Throughput);
    double lo = 0, hi = 0;
    bool any = false;
    for (const Series& s : series)
        for (double y : s.y)
            if (y > 0) {
                lo = any ? std::min(lo, y) : y;
                hi = any ? std::max(hi, y) : y;
                any = true;
            }
    setupValueAxis(plot, any && spansDecades(lo, hi, 20), QStringLiteral("throughput [tasks/s, median]"),
                   QStringLiteral("gb"));
    for (const Series& s : series)
        addSeries(plot, s, theme);
    addBaselineSeries(plot, sw, baseline, Metric::Throughput, theme);
    resetSweepView(plot, FigureKind::SweepThroughput);
}

void fillSweepPhases(QCustomPlot* plot, const SweepResult& sw, const QString& backend,
                     const PlotTheme& theme) {
    Q_UNUSED(theme);
    beginSweepFigure(plot);
    setupParamAxis(plot, sw);
    setupValueAxis(plot, false, QStringLiteral("share of %1's summed worker time [%]").arg(backend),
                   QStringLiteral("g"));
    const std::string id = backend.toStdString();
    for (Phase ph : kWorkerPhases) {
        QVector<double> x, y;
        for (const SweepPoint& p : sw.points)
            if (const BackendRun* r = runOf(p, id)) {
                x.push_back(effectiveValue(sw.param, p.value));
                y.push_back(r->summary.phaseShare[size_t(ph)] * 100);
            }
        const QCPScatterStyle::ScatterShape shapes[] = {QCPScatterStyle::ssDiamond, QCPScatterStyle::ssSquare,
                                                        QCPScatterStyle::ssCircle,
                                                        QCPScatterStyle::ssTriangle};
        QCPGraph* g =
            seriesGraph(plot, phaseLabel(ph), phaseColor(ph), Qt::SolidLine, shapes[size_t(ph) % 4]);
        g->setProperty("phase", int(ph));
        g->setData(x, y);
    }
    resetSweepView(plot, FigureKind::SweepPhases);
}

std::optional<FigureKind> sweepFigureFromName(const QString& name) {
    if (name == QLatin1String("speedup") || name == QLatin1String("summary")) return FigureKind::SweepSpeedup;
    if (name == QLatin1String("throughput") || name == QLatin1String("sweep-throughput"))
        return FigureKind::SweepThroughput;
    if (name == QLatin1String("phases")) return FigureKind::SweepPhases;
    return std::nullopt;
}

std::unique_ptr<QCustomPlot> makeSweepFigure(FigureKind kind, const SweepResult& sw,
                                             const SweepFigureOptions& options, const PlotTheme& theme) {
    auto plot = std::make_unique<QCustomPlot>();
    const QString backend =
        options.phasesBackend.isEmpty() ? defaultPhasesBackend(sw) : options.phasesBackend;
    prepareFigure(plot.get(), sweepFigureTitle(kind, sw, backend));
    applyTheme(plot.get(), theme);
    switch (kind) {
    case FigureKind::SweepThroughput:
        fillSweepThroughput(plot.get(), sw, theme, options.baseline.get());
        break;
    case FigureKind::SweepPhases:
        fillSweepPhases(plot.get(), sw, backend, theme);
        break;
    default:
        fillSweepSpeedup(plot.get(), sw, theme, options.baseline.get());
        break;
    }
    applyTheme(plot.get(), theme);
    return plot;
}

bool renderSweepFigureHeadless(const SweepResult& full, const QString& path, const QString& figure,
                               QSize size, double scale, QString* error) {
    const bool capped = full.backends.size() > size_t(kMaxFigureRuns); // figure_caps.h
    SweepResult shownBackends;
    if (capped) shownBackends = firstBackends(full);
    const SweepResult& sw = capped ? shownBackends : full;
    std::unique_ptr<QApplication> app;
    if (!headlessApplication(app, error)) return false;
    const QString name = figure.isEmpty() ? QStringLiteral("speedup") : figure;
    if (sw.values.size() == 1 && sweepFigureFromName(name)) {
        // A comparison (one value, e.g. the pool-reuse lesson): the run figures of its point.
        Experiment ex;
        ex.spec = sw.points.empty() ? sw.base : sw.points.front().spec;
        ex.machine = sw.machine;
        ex.calibration = sw.calibration;
        ex.createdUtc = sw.createdUtc;
        if (!sw.points.empty()) ex.runs = sw.points.front().runs;
        const QString runFigure = name == QLatin1String("phases")       ? QStringLiteral("breakdown")
                                  : name == QLatin1String("throughput") ? QStringLiteral("throughput")
                                                                        : QStringLiteral("summary");
        return renderFigureHeadless(ex, path, runFigure, size, scale, error);
    }
    const PlotTheme paper = PlotTheme::paper();
    std::vector<std::unique_ptr<QCustomPlot>> plots;
    if (name == QLatin1String("summary")) {
        plots.push_back(makeSweepFigure(FigureKind::SweepSpeedup, sw, {}, paper));
        plots.push_back(makeSweepFigure(FigureKind::SweepThroughput, sw, {}, paper));
        if (!size.isValid())
            size = QSize(kDefaultFigureSize.width(), kDefaultFigureSize.height() * 2 * 3 / 4);
    } else if (auto kind = sweepFigureFromName(name)) {
        plots.push_back(makeSweepFigure(*kind, sw, {}, paper));
    } else {
        if (error)
            *error = QStringLiteral("--figure: '%1' is not a sweep figure (allowed: speedup, summary, "
                                    "throughput, phases)")
                         .arg(figure);
        return false;
    }
    if (!size.isValid()) size = kDefaultFigureSize;
    QList<QCustomPlot*> panels;
    for (auto& p : plots)
        panels << p.get();
    noteFigureCap(panels, full.backends.size(), "backends");
    return saveFigure(panels, path, size, scale, error);
}

bool exportSweepReport(const QString& dir, const SweepResult& sw, const QByteArray& json,
                       const QJsonObject& lessonInfo, const SweepFigureOptions& options, QString* error,
                       QStringList* written) {
    if (!QDir().mkpath(dir)) {
        if (error) *error = QStringLiteral("cannot create the folder %1").arg(dir);
        return false;
    }
    QDir d(dir);
    QStringList files, pngs;
    const PlotTheme paper = PlotTheme::paper();
    for (FigureKind kind : {FigureKind::SweepSpeedup, FigureKind::SweepThroughput, FigureKind::SweepPhases}) {
        auto plot = makeSweepFigure(kind, sw, options, paper);
        for (const char* ext : {"png", "svg", "pdf"}) {
            const QString name = figureName(kind) + QLatin1Char('.') + QLatin1String(ext);
            if (!saveFigure({plot.get()}, d.filePath(name), kDefaultFigureSize, 2.0, error)) return false;
            files << name;
            if (QLatin1String(ext) == QLatin1String("png")) pngs << name;
        }
    }
    if (!writeFileAtomically(d.filePath("sweep.csv"), QByteArray::fromStdString(formatSweepCsv(sw)), error))
        return false;
    if (!writeFileAtomically(d.filePath("sweep.json"), json, error)) return false;
    QString md;
    QTextStream out(&md);
    if (lessonInfo.contains(QLatin1String("lesson"))) {
        out << "# Lesson: " << lessonInfo.value(QLatin1String("lesson_title")).toString() << "\n\n"
            << lessonInfo.value(QLatin1String("explanation")).toString() << "\n\n**Verdict:** "
            << QString::fromStdString(verdictHeadline(verdictFromLessonInfo(lessonInfo).verdict)) << " "
            << lessonInfo.value(QLatin1String("verdict")).toString() << "\n\n";
        if (const LessonVerdict v = verdictFromLessonInfo(lessonInfo); v.verdict == Verdict::Inconclusive)
            out << "Why: " << q(v.reason) << ". What to do: " << q(v.advice) << "\n\n";
    } else {
        out << "# Concurrency Lab sweep\n\n";
    }
    out << "Created " << q(sw.createdUtc) << " with conlab " << CONLAB_VERSION << " on "
        << q(sw.machine.cpuModel) << ", " << sw.machine.onlineCores << " online cores.\n\n";
    out << "Workload: " << sweepWorkloadLine(sw) << "; backends: ";
    for (size_t i = 0; i < sw.backends.size(); ++i)
        out << (i ? ", " : "") << "`" << q(sw.backends[i]) << "`";
    out << ".\n\n## Break-even points\n\n| backend | break-even | reading |\n|---|---|---|\n";
    for (const BreakEven& be : breakEvenPoints(sw))
        out << "| " << q(be.backend) << " | "
            << (be.value ? (be.paysOffAbove ? "> " : "< ") + breakEvenValueText(sw.param, *be.value)
                         : QStringLiteral("–"))
            << " | " << breakEvenSentence(be, sw.param) << " |\n";
    out << "\nInterpolated where the speedup over sequential crosses 1 (docs/measurement.md).\n\n## "
           "Advice\n\n";
    for (const std::string& line : adviseSweep(sw))
        out << "- " << q(line) << "\n";
    out << warningsMarkdown(runWarnings(sw)) << "\n## Figures\n\n";
    for (const QString& f : pngs)
        out << "![" << QFileInfo(f).completeBaseName() << "](" << f << ")\n\n";
    out << "Data: `sweep.csv` (one row per point and backend), `sweep.json` (conlab.results/1 with the "
           "`sweep` extension, docs/results-format.md).\n";
    if (!writeFileAtomically(d.filePath("README.md"), md.toUtf8(), error)) return false;
    files << "sweep.csv"
          << "sweep.json"
          << "README.md";
    if (written) *written = files;
    return true;
}

} // namespace conlab::ui
