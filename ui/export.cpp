#include "export.h"
#include "figure_caps.h"
#include "qt_text.h"

#include "files/trace_json.h"
#include "report.h"
#include "results_json.h"

#include <QApplication>
#include <QBuffer>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPdfWriter>
#include <QSvgGenerator>
#include <qcustomplot.h>

namespace conlab::ui {

namespace {
constexpr int kDpi = 96; // fonts in points render alike in PNG, PDF and SVG

QColor backgroundOf(const QCustomPlot* plot) {
    const QVariant v = plot->property("conlabBackground");
    return v.isValid() ? v.value<QColor>() : QColor(Qt::white);
}

void paintPanels(QCPPainter& painter, const QList<QCustomPlot*>& panels, QSize size) {
    const int n = int(panels.size());
    const int h = n > 0 ? size.height() / n : size.height();
    for (int i = 0; i < n; ++i) {
        painter.save();
        painter.translate(0, i * h);
        painter.fillRect(QRect(0, 0, size.width(), h), backgroundOf(panels[i]));
        fitLegendColumns(panels[i], size.width());
        panels[i]->toPainter(&painter, size.width(), h);
        painter.restore();
    }
}
} // namespace

std::optional<ImageFormat> imageFormatForPath(const QString& path) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("png")) return ImageFormat::Png;
    if (suffix == QLatin1String("pdf")) return ImageFormat::Pdf;
    if (suffix == QLatin1String("svg")) return ImageFormat::Svg;
    return std::nullopt;
}

bool writeFileAtomically(const QString& path, const QByteArray& bytes, QString* error) {
    return conlab::writeFileAtomically(path, bytes, error); // core/results_json.h
}

bool saveFigure(const QList<QCustomPlot*>& panels, const QString& path, QSize size, double scale,
                QString* error) {
    auto format = imageFormatForPath(path);
    if (!format) {
        if (error) *error = QStringLiteral("%1: unknown figure format (allowed: .png, .pdf, .svg)").arg(path);
        return false;
    }
    if (panels.isEmpty() || size.width() < 16 || size.height() < 16 || size.width() > 20000 ||
        size.height() > 20000 || !(scale >= 0.25 && scale <= 8)) {
        if (error)
            *error = QStringLiteral(
                         "%1: figure size %2×%3 at scale %4 is out of range (16 … 20000 px, scale 0.25 … 8)")
                         .arg(path)
                         .arg(size.width())
                         .arg(size.height())
                         .arg(scale);
        return false;
    }
    // Rendered in memory, then written like a results file (file_io.h): atomically through an
    // unnamed temporary file for a regular file, in place for a pipe or device, every byte
    // checked. (A predictable "<path>.part" followed a symlink planted there.)
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    bool ok = false;
    switch (*format) {
    case ImageFormat::Png: {
        const QSize pixels(qRound(size.width() * scale), qRound(size.height() * scale));
        // At most 2 GiB of pixels (20000×20000 at scale 8 would be 95 GiB); beyond that, or when
        // the allocation fails, say so: it is not a write error.
        constexpr qint64 kMaxImageBytes = qint64(2) << 30;
        const bool tooBig = qint64(pixels.width()) * pixels.height() * 4 > kMaxImageBytes;
        QImage image = tooBig ? QImage() : QImage(pixels, QImage::Format_ARGB32_Premultiplied);
        if (image.isNull()) { // over the 2 GiB cap, Qt's image allocation limit, or out of memory
            if (error)
                *error = QStringLiteral(
                             "%1: cannot allocate a %2×%3 pixel image (%4 MiB, at most 2048 MiB; --size "
                             "%5x%6 at --scale %7): choose a smaller --size or --scale")
                             .arg(path)
                             .arg(pixels.width())
                             .arg(pixels.height())
                             .arg(qint64(pixels.width()) * pixels.height() * 4 >> 20)
                             .arg(size.width())
                             .arg(size.height())
                             .arg(scale);
            return false;
        }
        const int dpm = qRound(kDpi / 0.0254);
        image.setDotsPerMeterX(dpm); // paint at 96 dpi so point sizes match the vector formats
        image.setDotsPerMeterY(dpm);
        image.fill(backgroundOf(panels.front()));
        {
            QCPPainter painter(&image);
            painter.setRenderHint(QPainter::TextAntialiasing);
            painter.scale(scale, scale);
            painter.setMode(QCPPainter::pmNoCaching);
            paintPanels(painter, panels, size);
        }
        image.setDotsPerMeterX(qRound(dpm * scale)); // then record the true density
        image.setDotsPerMeterY(qRound(dpm * scale));
        ok = image.save(&buffer, "PNG");
        break;
    }
    case ImageFormat::Pdf: {
        {
            QPdfWriter writer(&buffer);
            writer.setResolution(kDpi);
            writer.setCreator(QStringLiteral("conlab " CONLAB_VERSION));
            writer.setTitle(QFileInfo(path).completeBaseName());
            writer.setPageMargins(QMarginsF(0, 0, 0, 0));
            writer.setPageSize(QPageSize(QSizeF(size.width() * 72.0 / kDpi, size.height() * 72.0 / kDpi),
                                         QPageSize::Point, QString(), QPageSize::ExactMatch));
            QCPPainter painter;
            if (painter.begin(&writer)) {
                painter.setMode(QCPPainter::pmVectorized);
                painter.setMode(QCPPainter::pmNoCaching);
                paintPanels(painter, panels, size);
                ok = painter.end();
            }
        }
        break;
    }
    case ImageFormat::Svg: {
        {
            QSvgGenerator gen;
            gen.setOutputDevice(&buffer);
            gen.setSize(size);
            gen.setViewBox(QRect(QPoint(0, 0), size));
            gen.setResolution(kDpi);
            gen.setTitle(QFileInfo(path).completeBaseName());
            gen.setDescription(QStringLiteral("Concurrency Lab figure"));
            QCPPainter painter;
            if (painter.begin(&gen)) {
                painter.setMode(QCPPainter::pmVectorized);
                painter.setMode(QCPPainter::pmNoCaching);
                paintPanels(painter, panels, size);
                ok = painter.end();
            }
        }
        break;
    }
    }
    buffer.close();
    if (!ok || bytes.isEmpty()) {
        if (error) *error = QStringLiteral("cannot render %1: the figure could not be drawn").arg(path);
        return false;
    }
    return writeFileAtomically(path, bytes, error); // "cannot write PATH: reason"
}

QByteArray chromeTraceJson(const Experiment& ex) {
    return buildChromeTrace(ex); // core/files/trace_json.h: `conlab trace` writes the same
}

QString warningsMarkdown(const std::vector<RunWarning>& warnings) {
    if (warnings.empty()) return {};
    QString md = QStringLiteral("\n## Warnings\n\nThese results may not be trustworthy (docs/measurement.md, "
                                "\"Noise and warnings\"):\n\n");
    for (const auto& w : warnings)
        md += QStringLiteral("- ") + q(w.text) + QStringLiteral("\n");
    return md;
}

QString markdownSummary(const Experiment& ex, const QStringList& figureFiles) {
    QString md;
    QTextStream out(&md);
    const WorkloadSpec& s = ex.spec;
    out << "# Concurrency Lab report\n\n";
    out << "Created " << q(ex.createdUtc) << " with conlab "
        << q(ex.conlabVersion.empty() ? CONLAB_VERSION : ex.conlabVersion) << ".\n\n## Workload\n\n";
    out << "| field | value |\n|---|---|\n";
    out << "| tasks | " << s.tasks << " |\n| kind | " << q(toString(s.kind)) << " |\n| task time | "
        << s.taskUs << " µs |\n| workers | " << s.resolvedWorkers()
        << (s.workers == 0 ? " (online cores)" : "") << " |\n";
    if (s.kind == TaskKind::Memory) out << "| working set | " << q(formatBytes(s.workingSet)) << " |\n";
    out << "| input / result | " << q(formatBytes(s.inputBytes)) << " / " << q(formatBytes(s.resultBytes))
        << " |\n";
    out << "| messages × payload | " << s.messages << " × " << q(formatBytes(s.payload)) << " |\n";
    out << "| chunksize | " << s.chunksize << " |\n| CPUs | "
        << (s.cpus.empty() ? QStringLiteral("all") : q(formatCpuList(s.cpus))) << " |\n| repetitions | "
        << s.repeat << " (+" << s.warmup << " warmup) |\n\n";
    const MachineInfo& m = ex.machine;
    out << "## Machine\n\n"
        << q(m.cpuModel) << ", " << m.onlineCores << " online cores, " << q(m.kernel) << ", " << q(m.compiler)
        << " (" << q(m.buildType) << ").\n\n";
    out << "## Results\n\nMedians over repetitions; phase shares are of summed worker time "
           "(docs/measurement.md).\n\n";
    out << "| backend | workers | wall | tasks/s | 95% CI | speedup | efficiency | spawn | IPC | compute | "
           "idle | p50 | p95 | p99 |\n";
    out << "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n";
    auto pct = [](double v) { return QString::number(v * 100, 'f', 0) + QLatin1Char('%'); };
    for (const BackendRun& r : ex.runs) {
        const RunSummary& sm = r.summary;
        out << "| " << q(r.backend) << (r.cancelled ? " (partial)" : "")
            << (r.error.empty() ? "" : " (failed)") << " | " << r.workers << " | ";
        if (sm.repetitions == 0) {
            out << "– | – | – | – | – | – | – | – | – | – | – | – |\n";
            continue;
        }
        out << q(formatDuration(sm.wallS.median)) << " | " << QString::number(sm.throughput.median, 'f', 0)
            << " | "
            << (sm.repetitions > 1 ? QString::number(sm.throughput.ciLow, 'f', 0) + QStringLiteral("–") +
                                         QString::number(sm.throughput.ciHigh, 'f', 0)
                                   : QStringLiteral("–")) // one repetition: no interval, as in the GUI
            << " | "
            << (sm.speedup ? QString::number(*sm.speedup, 'f', 2) + QStringLiteral("×") : QStringLiteral("–"))
            << " | " << (sm.efficiency ? pct(*sm.efficiency) : QStringLiteral("–")) << " | "
            << pct(sm.phaseShare[0]) << " | " << pct(sm.phaseShare[1]) << " | " << pct(sm.phaseShare[2])
            << " | " << pct(sm.phaseShare[3]) << " | " << q(formatDuration(sm.latencyP50S)) << " | "
            << q(formatDuration(sm.latencyP95S)) << " | " << q(formatDuration(sm.latencyP99S)) << " |\n";
    }
    bool notes = false;
    for (const BackendRun& r : ex.runs)
        if (!r.error.empty()) {
            if (!notes) out << "\n";
            notes = true;
            out << "- error: " << q(r.error) << "\n";
        }
    out << warningsMarkdown(runWarnings(ex));
    if (!figureFiles.isEmpty()) {
        out << "\n## Figures\n\n";
        for (const QString& f : figureFiles)
            out << "![" << QFileInfo(f).completeBaseName() << "](" << f << ")\n\n";
    }
    out << "\nData: `results.csv`, `results.json` (conlab.results/1), timeline trace `trace.json` (open in "
           "https://ui.perfetto.dev).\n";
    return md;
}

bool exportReport(const QString& dir, const Experiment& ex, const FigureOptions& options, QString* error,
                  QStringList* written) {
    if (!QDir().mkpath(dir)) {
        if (error) *error = QStringLiteral("cannot create the folder %1").arg(dir);
        return false;
    }
    QDir d(dir);
    QStringList files, pngs;
    const PlotTheme paper = PlotTheme::paper();
    const Experiment shown = firstRuns(ex); // figure_caps.h; the data files keep every run
    for (FigureKind kind : {FigureKind::Breakdown, FigureKind::Throughput, FigureKind::Timeline}) {
        auto plot = makeFigure(kind, shown, options, paper);
        if (auto* title = qobject_cast<QCPTextElement*>(plot->plotLayout()->element(0, 0)))
            title->setText(title->text() + capNote(ex.runs.size(), "runs"));
        for (const char* ext : {"png", "svg", "pdf"}) {
            const QString name = figureName(kind) + QLatin1Char('.') + QLatin1String(ext);
            if (!saveFigure({plot.get()}, d.filePath(name), kDefaultFigureSize, 2.0, error)) return false;
            files << name;
            if (QLatin1String(ext) == QLatin1String("png")) pngs << name;
        }
    }
    const std::string csv = formatCsv(ex);
    if (!writeFileAtomically(d.filePath("results.csv"), QByteArray::fromStdString(csv), error)) return false;
    QString err;
    if (!saveResultsFile(d.filePath("results.json"), ex, &err)) {
        if (error) *error = err;
        return false;
    }
    if (!writeFileAtomically(d.filePath("trace.json"), chromeTraceJson(ex), error)) return false;
    if (!writeFileAtomically(d.filePath("README.md"), markdownSummary(ex, pngs).toUtf8(), error))
        return false;
    files << "results.csv"
          << "results.json"
          << "trace.json"
          << "README.md";
    if (written) *written = files;
    return true;
}

bool headlessApplication(std::unique_ptr<QApplication>& app, QString* error) {
    if (!QCoreApplication::instance()) {
        // No display needed: widgets render into images, PDF and SVG on the offscreen platform.
        qputenv("QT_QPA_PLATFORM", "offscreen");
        static int argc = 1;
        static char arg0[] = "conlab";
        static char* argv[] = {arg0, nullptr};
        app = std::make_unique<QApplication>(argc, argv);
        return true;
    }
    if (qobject_cast<QApplication*>(QCoreApplication::instance())) return true;
    if (error) *error = QStringLiteral("rendering figures needs a QApplication");
    return false;
}

bool renderFigureHeadless(const Experiment& full, const QString& path, const QString& figure, QSize size,
                          double scale, QString* error) {
    const bool capped = full.runs.size() > size_t(kMaxFigureRuns); // figure_caps.h
    Experiment shownRuns;
    if (capped) shownRuns = firstRuns(full);
    const Experiment& ex = capped ? shownRuns : full;
    std::unique_ptr<QApplication> app;
    if (!headlessApplication(app, error)) return false;
    const PlotTheme paper = PlotTheme::paper();
    FigureOptions options;
    std::vector<std::unique_ptr<QCustomPlot>> plots;
    if (figure == QLatin1String("summary")) {
        plots.push_back(makeFigure(FigureKind::Breakdown, ex, options, paper));
        plots.push_back(makeFigure(FigureKind::Throughput, ex, options, paper));
        if (!size.isValid())
            size = QSize(kDefaultFigureSize.width(), kDefaultFigureSize.height() * 2 * 3 / 4);
    } else if (auto kind = figureFromName(figure)) {
        plots.push_back(makeFigure(*kind, ex, options, paper));
    } else {
        if (error)
            *error = QStringLiteral(
                         "--figure: '%1' is not a figure (allowed: summary, throughput, breakdown, timeline)")
                         .arg(figure);
        return false;
    }
    if (!size.isValid()) size = kDefaultFigureSize;
    QList<QCustomPlot*> panels;
    for (auto& p : plots)
        panels << p.get();
    noteFigureCap(panels, full.runs.size(), "runs");
    return saveFigure(panels, path, size, scale, error);
}

} // namespace conlab::ui
