#pragma once
// One colour-blind-safe palette for the whole app and every export: phases always have the same
// colour (Okabe & Ito, 2008), backends keep theirs across views and files. A backend family is a
// hue (threads green, processes purple, async olive, library cyan, python brown, the baseline
// black), its members are shades of it from dark to light and carry distinct marker shapes;
// python backends draw dashed lines. No backend colour is a phase colour.
#include "phase.h"

#include <QColor>
#include <QPalette>
#include <QString>

namespace conlab::ui {

QColor phaseColor(Phase p);
QString phaseLabel(Phase p); // "spawn", "IPC", "compute", "idle"
// A backend's colour: its family's hue, its shade within the family (registry order). Unknown
// ids get a grey shade (stable by name). `dark`: for a dark plot background.
QColor backendColor(const QString& backendId, bool dark = false);
// Line style: dashed for the python family (the CPython twins of native backends), else solid.
Qt::PenStyle backendPenStyle(const QString& backendId);
// Marker shape: distinct among the members of one family.
enum class MarkerShape {
    Circle,
    Square,
    Diamond,
    Triangle,
    TriangleDown,
    Cross,
    Plus,
    Star,
    CrossSquare,
    PlusSquare,
    CrossCircle,
    PlusCircle
};
inline constexpr int kMarkerShapes = 12; // members of one family beyond this share a shape
MarkerShape backendMarker(const QString& backendId);

// Plot colours derived from the application palette, or the paper theme used in exports.
struct PlotTheme {
    QColor background, foreground, grid, subGrid;
    bool dark = false;
    static PlotTheme fromPalette(const QPalette& palette);
    static PlotTheme paper(); // white background: exports and the CLI
};

} // namespace conlab::ui
