#include "figure_caps.h"

#include <cstdio>
#include <qcustomplot.h>

namespace conlab::ui {

void noteFigureCap(const QList<QCustomPlot*>& panels, size_t total, const char* what) {
    if (total <= size_t(kMaxFigureRuns)) return;
    for (QCustomPlot* plot : panels)
        if (auto* title = qobject_cast<QCPTextElement*>(plot->plotLayout()->element(0, 0)))
            title->setText(title->text() + capNote(total, what));
    std::fprintf(stderr, "conlab: the figure shows the first %d of %zu %s\n", kMaxFigureRuns, total, what);
}

} // namespace conlab::ui
