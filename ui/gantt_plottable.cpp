#include "gantt_plottable.h"

namespace conlab::ui {

GanttPlottable::GanttPlottable(QCPAxis* keyAxis, QCPAxis* valueAxis)
    : QCPAbstractPlottable(keyAxis, valueAxis) {}

void GanttPlottable::setBars(QVector<Bar> bars) {
    m_bars = std::move(bars);
}

int GanttPlottable::barAt(const QPointF& pos) const {
    QCPAxis* k = mKeyAxis.data();
    QCPAxis* v = mValueAxis.data();
    if (!k || !v) return -1;
    const double t = k->pixelToCoord(pos.x()), row = v->pixelToCoord(pos.y());
    // Sub-pixel bars: accept a hit within one pixel.
    const double slack = std::abs(k->pixelToCoord(pos.x() + 1) - t);
    for (int i = 0; i < m_bars.size(); ++i) {
        const Bar& b = m_bars[i];
        if (std::abs(row - b.row) <= m_rowHeight / 2 && t >= b.start - slack && t <= b.end + slack) return i;
    }
    return -1;
}

double GanttPlottable::selectTest(const QPointF& pos, bool onlySelectable, QVariant* details) const {
    if (onlySelectable && !mSelectable) return -1;
    const int i = barAt(pos);
    if (i < 0) return -1;
    if (details) details->setValue(QCPDataSelection(QCPDataRange(i, i + 1)));
    return 0;
}

QCPRange GanttPlottable::getKeyRange(bool& foundRange, QCP::SignDomain) const {
    foundRange = !m_bars.isEmpty();
    if (!foundRange) return {};
    QCPRange r(m_bars.front().start, m_bars.front().end);
    for (const Bar& b : m_bars) {
        r.lower = std::min(r.lower, b.start);
        r.upper = std::max(r.upper, b.end);
    }
    return r;
}

QCPRange GanttPlottable::getValueRange(bool& foundRange, QCP::SignDomain, const QCPRange&) const {
    foundRange = !m_bars.isEmpty();
    if (!foundRange) return {};
    QCPRange r(m_bars.front().row, m_bars.front().row);
    for (const Bar& b : m_bars) {
        r.lower = std::min(r.lower, b.row);
        r.upper = std::max(r.upper, b.row);
    }
    r.lower -= m_rowHeight / 2;
    r.upper += m_rowHeight / 2;
    return r;
}

void GanttPlottable::draw(QCPPainter* painter) {
    QCPAxis* k = mKeyAxis.data();
    QCPAxis* v = mValueAxis.data();
    if (!k || !v || m_bars.isEmpty()) return;
    const QCPRange visible = k->range();
    applyDefaultAntialiasingHint(painter);
    painter->setPen(Qt::NoPen);
    painter->setBrush(mBrush);
    for (const Bar& b : m_bars) {
        if (b.end < visible.lower || b.start > visible.upper) continue;
        double x0 = k->coordToPixel(b.start), x1 = k->coordToPixel(b.end);
        const double y0 = v->coordToPixel(b.row - m_rowHeight / 2),
                     y1 = v->coordToPixel(b.row + m_rowHeight / 2);
        if (std::abs(x1 - x0) < 0.5) x1 = x0 + 0.5; // keep very short intervals visible
        painter->drawRect(
            QRectF(QPointF(std::min(x0, x1), std::min(y0, y1)), QPointF(std::max(x0, x1), std::max(y0, y1))));
    }
}

void GanttPlottable::drawLegendIcon(QCPPainter* painter, const QRectF& rect) const {
    painter->setPen(Qt::NoPen);
    painter->setBrush(mBrush);
    painter->drawRect(rect.adjusted(0, rect.height() * 0.15, 0, -rect.height() * 0.15));
}

} // namespace conlab::ui
