#pragma once
// A QCustomPlot plottable that draws rectangles [start, end] × [row - h/2, row + h/2]: one
// instance per phase in the timeline, so the legend and the colours come for free.
#include <qcustomplot.h>

namespace conlab::ui {

class GanttPlottable : public QCPAbstractPlottable {
  public:
    struct Bar {
        double start = 0, end = 0; // key axis (time)
        double row = 0;            // value axis (worker row)
    };

    GanttPlottable(QCPAxis* keyAxis, QCPAxis* valueAxis);
    void setBars(QVector<Bar> bars);
    const QVector<Bar>& bars() const { return m_bars; }
    void setRowHeight(double h) { m_rowHeight = h; }
    // Index of the bar under a pixel position, or -1.
    int barAt(const QPointF& pos) const;

    double selectTest(const QPointF& pos, bool onlySelectable, QVariant* details = nullptr) const override;
    QCPRange getKeyRange(bool& foundRange, QCP::SignDomain inSignDomain = QCP::sdBoth) const override;
    QCPRange getValueRange(bool& foundRange, QCP::SignDomain inSignDomain = QCP::sdBoth,
                           const QCPRange& inKeyRange = QCPRange()) const override;

  protected:
    void draw(QCPPainter* painter) override;
    void drawLegendIcon(QCPPainter* painter, const QRectF& rect) const override;

  private:
    QVector<Bar> m_bars;
    double m_rowHeight = 0.7;
};

} // namespace conlab::ui
