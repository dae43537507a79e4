#pragma once
// QCustomPlot forms of the app's styles (ui/colors.h): backend marker shapes.
#include "colors.h"

#include <qcustomplot.h>

namespace conlab::ui {

inline QCPScatterStyle::ScatterShape scatterShape(MarkerShape m) {
    switch (m) {
    case MarkerShape::Circle:
        return QCPScatterStyle::ssCircle;
    case MarkerShape::Square:
        return QCPScatterStyle::ssSquare;
    case MarkerShape::Diamond:
        return QCPScatterStyle::ssDiamond;
    case MarkerShape::Triangle:
        return QCPScatterStyle::ssTriangle;
    case MarkerShape::TriangleDown:
        return QCPScatterStyle::ssTriangleInverted;
    case MarkerShape::Cross:
        return QCPScatterStyle::ssCross;
    case MarkerShape::Plus:
        return QCPScatterStyle::ssPlus;
    case MarkerShape::Star:
        return QCPScatterStyle::ssStar;
    case MarkerShape::CrossSquare:
        return QCPScatterStyle::ssCrossSquare;
    case MarkerShape::PlusSquare:
        return QCPScatterStyle::ssPlusSquare;
    case MarkerShape::CrossCircle:
        return QCPScatterStyle::ssCrossCircle;
    case MarkerShape::PlusCircle:
        return QCPScatterStyle::ssPlusCircle;
    }
    return QCPScatterStyle::ssCircle;
}

} // namespace conlab::ui
