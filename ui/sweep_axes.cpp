#include "sweep_axes.h"

#include <algorithm>
#include <cmath>
#include <qcustomplot.h>

namespace conlab::ui {

void resetSweepView(QCustomPlot* plot, FigureKind kind) {
    const bool logX = plot->xAxis->scaleType() == QCPAxis::stLogarithmic;
    const bool logY = plot->property(kSweepLogYProperty).toBool();
    QVector<double> values = plot->xAxis->property(kSweepValuesProperty).value<QVector<double>>();
    double x0 = 0, x1 = 1;
    if (!values.isEmpty()) {
        x0 = values.front();
        x1 = values.back();
    }
    if (logX && x0 > 0) {
        const double pad = std::pow(x1 / x0, 0.05);
        plot->xAxis->setRange(x0 / std::max(pad, 1.15), x1 * std::max(pad, 1.15));
    } else {
        const double span = x1 > x0 ? x1 - x0 : std::max(1.0, std::abs(x0));
        plot->xAxis->setRange(x0 - span * 0.06, x1 + span * 0.06);
    }
    if (kind == FigureKind::SweepPhases) {
        plot->yAxis->setRange(0, 105);
        return;
    }
    bool found = false;
    QCPRange y;
    for (int i = 0; i < plot->plottableCount(); ++i) {
        // The points, not their intervals: with few repetitions a 95% CI can span decades.
        if (qobject_cast<QCPErrorBars*>(plot->plottable(i))) continue;
        bool f = false;
        const QCPRange r = plot->plottable(i)->getValueRange(f, logY ? QCP::sdPositive : QCP::sdBoth);
        if (!f) continue;
        if (!found)
            y = r;
        else
            y.expand(r);
        found = true;
    }
    if (kind == FigureKind::SweepSpeedup) {
        if (!found) y = QCPRange(1, 1);
        y.expand(1.0); // break-even always in view
    }
    if (!found && kind != FigureKind::SweepSpeedup) y = QCPRange(logY ? 1 : 0, 1);
    // Headroom above the data for the break-even labels (one row each, from the top).
    int labels = 0;
    for (int i = 0; i < plot->itemCount(); ++i)
        labels += qobject_cast<QCPItemText*>(plot->item(i)) != nullptr;
    const double room = 0.08 + 0.085 * labels; // fraction of the axis height
    if (logY) {
        const double lo = std::max(y.lower, 1e-9) / 1.6, hi = std::max(y.upper, lo) * 1.3;
        plot->yAxis->setRange(lo, hi * std::pow(hi / lo, room / (1 - room)));
    } else {
        const double hi = std::max(y.upper, kind == FigureKind::SweepSpeedup ? 1.1 : 1.0);
        plot->yAxis->setRange(0, hi * (1 + room / (1 - room)));
    }
}

} // namespace conlab::ui
