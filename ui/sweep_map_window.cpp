#include "sweep_map_window.h"

#include "colors.h"
#include "export.h"
#include "figures.h"
#include "qt_text.h"
#include "sweep_figures.h"
#include "sweep_map_figures.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>
#include <qcustomplot.h>

namespace conlab::ui {

namespace {
// The widget's figure redrawn (the same fills as the exported figure, in the window's palette).
void refill(QCustomPlot* plot, const QString& figure, const SweepMap& map, const QString& backend) {
    plot->clearItems();
    plot->clearPlottables();
    const bool best = figure == QLatin1String("best");
    prepareFigure(plot,
                  best ? QStringLiteral("Best backend per cell (highest median throughput)")
                       : QStringLiteral("%1: speedup over sequential (dashed: break-even)").arg(backend));
    const PlotTheme theme = PlotTheme::fromPalette(plot->palette());
    applyTheme(plot, theme);
    if (best)
        fillBestBackendMap(plot, map, theme);
    else
        fillSpeedupMap(plot, map, backend, theme);
    applyTheme(plot, theme);
    plot->xAxis->grid()->setVisible(false);
    plot->yAxis->grid()->setVisible(false);
    plot->replot();
}
} // namespace

SweepMapWindow::SweepMapWindow(SweepMap map, const QString& path, QWidget* parent)
    : QDialog(parent), m_map(std::move(map)) {
    setObjectName(QStringLiteral("sweepMapWindow"));
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(
        tr("Map: %1 × %2 — %3")
            .arg(q(toString(m_map.param())), q(toString(m_map.param2)), QFileInfo(path).fileName()));
    auto* layout = new QVBoxLayout(this);
    auto* bar = new QHBoxLayout;
    m_summary = new QLabel(this);
    // The base workload: each cell overrides the two swept parameters.
    m_summary->setText(
        tr("%1 of %2 cells measured · %3 (columns) × %4 (rows) over %5")
            .arg(m_map.finishedCells())
            .arg(m_map.values().size() * m_map.values2.size())
            .arg(q(toString(m_map.param())), q(toString(m_map.param2)), workloadLine(m_map.base)));
    bar->addWidget(m_summary, 1);
    bar->addWidget(new QLabel(tr("Speedup of"), this));
    m_backend = new QComboBox(this);
    m_backend->setObjectName(QStringLiteral("mapBackend"));
    for (const auto& b : m_map.backends())
        if (b != "sequential") m_backend->addItem(q(b));
    bar->addWidget(m_backend);
    auto* save = new QPushButton(tr("Save figures…"), this);
    save->setObjectName(QStringLiteral("saveMapFigures"));
    bar->addWidget(save);
    layout->addLayout(bar);
    m_best = new QCustomPlot(this);
    m_speedup = new QCustomPlot(this);
    for (QCustomPlot* p : {m_best, m_speedup}) {
        p->setMinimumHeight(220);
        layout->addWidget(p, 1);
    }
    refill(m_best, QStringLiteral("best"), m_map, QString());
    showBackend(q(defaultMapBackend(m_map)));
    connect(m_backend, &QComboBox::currentTextChanged, this, &SweepMapWindow::showBackend);
    connect(save, &QPushButton::clicked, this, &SweepMapWindow::saveDialog);
    resize(1000, 760);
}

void SweepMapWindow::showBackend(const QString& backend) {
    if (backend.isEmpty()) return;
    if (m_backend->currentText() != backend) m_backend->setCurrentText(backend);
    refill(m_speedup, QStringLiteral("speedup"), m_map, backend);
}

bool SweepMapWindow::saveFigures(const QString& path, QString* error) const {
    const PlotTheme paper = PlotTheme::paper();
    auto best = makeSweepMapFigure(QStringLiteral("best"), m_map, QString(), paper);
    auto speedup = makeSweepMapFigure(QStringLiteral("speedup"), m_map, m_backend->currentText(), paper);
    return saveFigure({best.get(), speedup.get()}, path,
                      QSize(kDefaultFigureSize.width(), kDefaultFigureSize.height() * 3 / 2), 2.0, error);
}

void SweepMapWindow::saveDialog() {
    const QString path = QFileDialog::getSaveFileName(this, tr("Save map figures"), QStringLiteral("map.png"),
                                                      tr("Figures (*.png *.pdf *.svg)"));
    if (path.isEmpty()) return;
    QString error;
    if (!saveFigures(path, &error)) QMessageBox::warning(this, tr("Save map figures"), error);
}

} // namespace conlab::ui
