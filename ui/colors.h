#pragma once
// One colour-blind-safe palette (Okabe & Ito, 2008) for the whole app and every export:
// phases always have the same colour, backends keep theirs across views and files.
#include "phase.h"

#include <QColor>
#include <QPalette>
#include <QString>

namespace conlab::ui {

QColor phaseColor(Phase p);
QString phaseLabel(Phase p); // "spawn", "IPC", "compute", "idle"
// Colour of the index-th backend (registry order); cycles after eight.
QColor backendColor(int index, bool dark = false);
// Line style to tell backends apart beyond the eight colours.
Qt::PenStyle backendPenStyle(int index);
// Registry position of a backend id (unknown ids after the known ones, stable by name).
int backendColorIndex(const QString& backendId);

// Plot colours derived from the application palette, or the paper theme used in exports.
struct PlotTheme {
    QColor background, foreground, grid, subGrid;
    bool dark = false;
    static PlotTheme fromPalette(const QPalette& palette);
    static PlotTheme paper(); // white background: exports and the CLI
};

} // namespace conlab::ui
