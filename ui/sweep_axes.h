#pragma once
// Reset view of the sweep figures: fits the axes to the swept values and the drawn points. What
// it needs is kept on the plot when the figure is filled (sweep_figures.cpp), so the run figures'
// resetView (figures.cpp) can reset a sweep figure without knowing about sweeps.
#include "figure_kind.h"

class QCustomPlot;

namespace conlab::ui {

inline constexpr const char* kSweepValuesProperty =
    "conlabValues";                                             // x axis: the swept values, QVector<double>
inline constexpr const char* kSweepLogYProperty = "conlabLogY"; // plot: the y axis is logarithmic

void resetSweepView(QCustomPlot* plot, FigureKind kind);

} // namespace conlab::ui
