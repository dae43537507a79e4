#pragma once
// Files written from an experiment: figures (PNG/PDF/SVG), data (CSV/JSON), the timeline as a
// Chrome trace, the Markdown summary and the one-click report folder. Widget-free callers
// (the CLI) use the same functions on the offscreen platform.
#include "figures.h"
#include "measurement/run_warnings.h"

#include <QList>
#include <QSize>
#include <QString>
#include <QStringList>
#include <memory>
#include <optional>

class QApplication;
class QCustomPlot;

namespace conlab::ui {

enum class ImageFormat { Png, Pdf, Svg };
std::optional<ImageFormat> imageFormatForPath(const QString& path);

inline constexpr QSize kDefaultFigureSize{1200, 700};

// Renders the panels stacked vertically (each size.height / n tall) into one file. PNG is
// rasterised at size × scale pixels; PDF and SVG are vector. Atomic for every format.
bool saveFigure(const QList<QCustomPlot*>& panels, const QString& path, QSize size, double scale,
                QString* error);

// Chrome trace-event JSON (Perfetto, chrome://tracing) on the workers' real pids and tids, one
// complete event per phase interval; backends and repetitions laid end to end. The same as
// `conlab trace` (core/files/trace_json.h).
QByteArray chromeTraceJson(const Experiment& ex);
QString markdownSummary(const Experiment& ex, const QStringList& figureFiles);
// A report's "Warnings" section (empty when there are none).
QString warningsMarkdown(const std::vector<RunWarning>& warnings);

bool writeFileAtomically(const QString& path, const QByteArray& bytes, QString* error);

// Writes figures (throughput, breakdown, timeline as PNG, SVG and PDF), results.csv,
// results.json, trace.json and README.md into dir (created if needed).
bool exportReport(const QString& dir, const Experiment& ex, const FigureOptions& options, QString* error,
                  QStringList* written = nullptr);

// The QApplication figures need when the caller has none (`conlab plot`, `--plot`): created in
// `app` on the offscreen platform; false, with the error, under a QCoreApplication only.
bool headlessApplication(std::unique_ptr<QApplication>& app, QString* error);

// `conlab plot` / `conlab run --plot`: figure is "summary" (breakdown over throughput),
// drawing at most kMaxFigureRuns runs (figure_caps.h), the rest noted in the title;
// "throughput", "breakdown" or "timeline". Creates an offscreen QApplication when none exists.
bool renderFigureHeadless(const Experiment& ex, const QString& path, const QString& figure, QSize size,
                          double scale, QString* error);

} // namespace conlab::ui
