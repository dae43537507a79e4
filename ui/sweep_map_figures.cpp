#include "sweep_map_figures.h"

#include "export.h"
#include "figures.h"
#include "qt_text.h"
#include "sweep_figures.h"

#include <QApplication>
#include <algorithm>
#include <cmath>

namespace conlab::ui {

namespace {

const BackendRun* runIn(const SweepPoint& p, const std::string& backend) {
    for (const auto& r : p.runs)
        if (r.backend == backend) return &r;
    return nullptr;
}

// Index axes labelled with the values; rows run downwards in the order of values2, as in the table.
void setupGridAxes(QCustomPlot* plot, const SweepMap& map) {
    QSharedPointer<QCPAxisTickerText> x(new QCPAxisTickerText), y(new QCPAxisTickerText);
    for (size_t i = 0; i < map.values().size(); ++i)
        x->addTick(double(i), formatSweepTick(map.param(), map.values()[i]));
    for (size_t j = 0; j < map.values2.size(); ++j)
        y->addTick(double(j), formatSweepTick(map.param2, map.values2[j]));
    plot->xAxis->setTicker(x);
    plot->yAxis->setTicker(y);
    plot->xAxis->setSubTicks(false);
    plot->yAxis->setSubTicks(false);
    plot->xAxis->grid()->setVisible(false);
    plot->yAxis->grid()->setVisible(false);
    plot->xAxis->setLabel(sweepParamLabel(map.param()));
    plot->yAxis->setLabel(sweepParamLabel(map.param2));
    plot->xAxis->setRange(-0.5, double(map.values().size()) - 0.5);
    plot->yAxis->setRange(-0.5, double(map.values2.size()) - 0.5);
    plot->yAxis->setRangeReversed(true);
    // No legend: the cells say what they are. Taken out of the layout, not only hidden: an empty
    // legend's row otherwise squeezes the axis rect to a fraction of the width.
    if (plot->plotLayout()->take(plot->legend)) plot->plotLayout()->simplify();
    plot->legend->setVisible(false);
}

void cell(QCustomPlot* plot, double x, double y, const QColor& fill, const QString& label,
          const QColor& ink) {
    auto* rect = new QCPItemRect(plot);
    rect->topLeft->setCoords(x - 0.5, y - 0.5);
    rect->bottomRight->setCoords(x + 0.5, y + 0.5);
    rect->setBrush(fill);
    rect->setPen(QPen(QColor(255, 255, 255, 160), 1));
    rect->setClipToAxisRect(true);
    auto* text = new QCPItemText(plot);
    text->position->setCoords(x, y);
    text->setText(label);
    text->setColor(ink);
    text->setClipToAxisRect(true);
}

// Where along a row's index axis its crossing lies: between columns i and i+1, interpolated as
// the sweep's spacing (log or linear), the same way the break-even itself was.
std::optional<double> columnPosition(const std::vector<double>& values, double at, bool logScale) {
    for (size_t i = 0; i + 1 < values.size(); ++i) {
        const double a = values[i], b = values[i + 1];
        if ((at - a) * (at - b) > 0) continue;
        if (a == b) return double(i);
        const bool useLog = logScale && a > 0 && b > 0 && at > 0;
        const double f = useLog ? std::log(at / a) / std::log(b / a) : (at - a) / (b - a);
        return double(i) + std::clamp(f, 0.0, 1.0);
    }
    return std::nullopt;
}

// Full red at 1/8 of sequential's throughput, full green at the map's best speedup (at least
// 2×): on a 2-core machine 1.9× is as good as it gets and should look it.
QColor speedupColor(double s, double best) {
    const double top = std::log2(std::max(2.0, best));
    const double level =
        std::clamp(s < 1 ? -std::log2(std::max(s, 1e-9)) / 3.0 : std::log2(s) / top, 0.0, 1.0);
    const QColor full = s < 1 ? QColor(0xc0, 0x39, 0x2b) : QColor(0x1e, 0x84, 0x49);
    auto mix = [&](int a, int b) { return int(std::lround(a + (b - a) * level)); };
    return QColor(mix(250, full.red()), mix(250, full.green()), mix(250, full.blue()));
}

} // namespace

void fillBestBackendMap(QCustomPlot* plot, const SweepMap& map, const PlotTheme& theme) {
    setupGridAxes(plot, map);
    for (size_t j = 0; j < map.rows.size(); ++j)
        for (size_t i = 0; i < map.rows[j].points.size(); ++i) {
            const auto best = bestBackendAt(map.rows[j].points[i]);
            const QString id = best ? q(*best) : QStringLiteral("-");
            QColor fill = best ? backendColor(id, theme.dark) : theme.grid;
            fill.setAlpha(200);
            cell(plot, double(i), double(j), fill, id,
                 fill.lightness() > 140 ? QColor(Qt::black) : QColor(Qt::white));
        }
}

void fillSpeedupMap(QCustomPlot* plot, const SweepMap& map, const QString& backend, const PlotTheme& theme) {
    setupGridAxes(plot, map);
    const std::string b = backend.toStdString();
    double best = 0;
    for (const auto& row : map.rows)
        for (const auto& p : row.points)
            if (const BackendRun* r = runIn(p, b); r && r->error.empty() && r->summary.speedup)
                best = std::max(best, *r->summary.speedup);
    for (size_t j = 0; j < map.rows.size(); ++j)
        for (size_t i = 0; i < map.rows[j].points.size(); ++i) {
            const BackendRun* r = runIn(map.rows[j].points[i], b);
            if (!r || !r->error.empty() || !r->summary.speedup) {
                cell(plot, double(i), double(j), theme.grid, r && !r->error.empty() ? "failed" : "-",
                     theme.foreground);
                continue;
            }
            const double s = *r->summary.speedup;
            const QColor fill = speedupColor(s, best);
            cell(plot, double(i), double(j), fill, QString::number(s, 'f', 2) + QStringLiteral("×"),
                 fill.lightness() < 120 ? QColor(Qt::white) : QColor(Qt::black));
        }
    // The contour: in each row a vertical stroke at its crossing, joined from row to row; a row
    // without a crossing breaks the line.
    QPen pen(theme.foreground, 2.5, Qt::DashLine);
    QCPCurve* curve = nullptr;
    for (const ContourPoint& c : breakEvenContour(map, b)) {
        const auto row = std::find(map.values2.begin(), map.values2.end(), c.value2) - map.values2.begin();
        const auto pos = c.breakEven.value
                             ? columnPosition(map.values(), *c.breakEven.value, map.rows.front().logScale)
                             : std::nullopt;
        if (!pos) {
            curve = nullptr;
            continue;
        }
        if (!curve) {
            curve = new QCPCurve(plot->xAxis, plot->yAxis);
            curve->setPen(pen);
            curve->setName(QStringLiteral("break-even"));
        }
        curve->addData(*pos, double(row) - 0.5);
        curve->addData(*pos, double(row) + 0.5);
    }
}

std::unique_ptr<QCustomPlot> makeSweepMapFigure(const QString& figure, const SweepMap& map,
                                                const QString& given, const PlotTheme& theme) {
    auto plot = std::make_unique<QCustomPlot>();
    const QString backend = given.isEmpty() ? q(defaultMapBackend(map)) : given;
    const bool best = figure == QLatin1String("best");
    prepareFigure(plot.get(),
                  best ? QStringLiteral("Best backend per cell (highest median throughput)")
                       : QStringLiteral("%1: speedup over sequential (dashed: break-even)").arg(backend));
    applyTheme(plot.get(), theme);
    if (best)
        fillBestBackendMap(plot.get(), map, theme);
    else
        fillSpeedupMap(plot.get(), map, backend, theme);
    applyTheme(plot.get(), theme);
    plot->xAxis->grid()->setVisible(false);
    plot->yAxis->grid()->setVisible(false);
    return plot;
}

bool renderSweepMapHeadless(const SweepMap& map, const QString& path, const QString& figure,
                            const QString& backend, QSize size, double scale, QString* error) {
    std::unique_ptr<QApplication> app;
    if (!headlessApplication(app, error)) return false;
    if (map.rows.empty()) {
        if (error) *error = QStringLiteral("the map has no finished cell to draw");
        return false;
    }
    const QString name = figure.isEmpty() ? QStringLiteral("map") : figure;
    if (name != QLatin1String("map") && name != QLatin1String("best") && name != QLatin1String("speedup")) {
        if (error)
            *error =
                QStringLiteral("--figure: '%1' is not a map figure (allowed: map, best, speedup)").arg(name);
        return false;
    }
    const PlotTheme paper = PlotTheme::paper();
    std::vector<std::unique_ptr<QCustomPlot>> plots;
    if (name != QLatin1String("speedup"))
        plots.push_back(makeSweepMapFigure(QStringLiteral("best"), map, backend, paper));
    if (name != QLatin1String("best"))
        plots.push_back(makeSweepMapFigure(QStringLiteral("speedup"), map, backend, paper));
    if (!size.isValid())
        size = QSize(kDefaultFigureSize.width(), kDefaultFigureSize.height() * int(plots.size()) * 3 / 4);
    QList<QCustomPlot*> panels;
    for (auto& p : plots)
        panels << p.get();
    return saveFigure(panels, path, size, scale, error);
}

} // namespace conlab::ui
