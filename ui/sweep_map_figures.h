#pragma once
// Heat-maps of a two-parameter sweep (core/sweep_map/): the best backend per cell, and one
// backend's speedup over sequential with its break-even contour. Cells sit on an index grid
// (one column per value of the sweep's parameter, one row per value of the second), labelled
// with the values, so a log-spaced axis reads like a linear one.
#include "colors.h"
#include "sweep_map/sweep_map.h"

#include <QSize>
#include <QString>
#include <memory>
#include <qcustomplot.h>

namespace conlab::ui {

void fillBestBackendMap(QCustomPlot* plot, const SweepMap& map, const PlotTheme& theme);
// Cells below 1 shade towards red (full at 1/8), above 1 towards green (full at the map's best
// speedup, at least 2×), on a log scale; the dashed line separates, in every row, the cells where `backend`
// is slower than sequential from those where it is faster (its break-even along the row's parameter).
void fillSpeedupMap(QCustomPlot* plot, const SweepMap& map, const QString& backend, const PlotTheme& theme);

// figure: "best" or "speedup"; backend empty: defaultMapBackend.
std::unique_ptr<QCustomPlot> makeSweepMapFigure(const QString& figure, const SweepMap& map,
                                                const QString& backend, const PlotTheme& theme);

// `conlab plot MAP.json` / `conlab sweep --param2 … --plot`: figure "map" (both, side by side
// vertically), "best" or "speedup".
bool renderSweepMapHeadless(const SweepMap& map, const QString& path, const QString& figure,
                            const QString& backend, QSize size, double scale, QString* error);

} // namespace conlab::ui
