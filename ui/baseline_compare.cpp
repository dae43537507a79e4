#include "baseline_compare.h"

#include "results_json.h"

#include <QFileInfo>
#include <stdexcept>

namespace conlab::ui {

BaselineCompare::BaselineCompare(QObject* parent) : QObject(parent) {}

bool BaselineCompare::load(const QString& path, QString* error) {
    FileLoad load = loadResultsFileWithSweep(path);
    if (!load.results.experiment) {
        if (error) *error = load.results.error;
        return false;
    }
    if (load.sweep) {
        if (error)
            *error = tr("%1 is a sweep file: a baseline is a run's results file (compare a sweep's points "
                        "with `conlab compare`)")
                         .arg(path);
        return false;
    }
    m_baseline = std::make_shared<const Experiment>(*load.results.experiment);
    m_path = QFileInfo(path).absoluteFilePath();
    emit changed();
    return true;
}

void BaselineCompare::clear() {
    if (!m_baseline) return;
    m_baseline.reset();
    m_path.clear();
    emit changed();
}

QString BaselineCompare::name() const {
    return QFileInfo(m_path).fileName();
}

std::optional<Comparison> BaselineCompare::compare(const Experiment& current) const {
    if (!m_baseline) return std::nullopt;
    CompareOptions options;
    options.force = true; // a GUI user compares what they chose; the differences are listed
    try {
        return compareExperiments(*m_baseline, current, options);
    } catch (const std::invalid_argument&) { // no backend in common
        return std::nullopt;
    }
}

QString BaselineCompare::summary(const Comparison& c) const {
    int faster = 0, slower = 0;
    for (const auto& b : c.backends)
        if (const FigureComparison* t = b.throughput(); t && t->significant)
            (t->verdict == "faster" ? faster : slower) += 1;
    QString text = tr("Compared with baseline %1: %2 faster, %3 slower, %4 without a significant difference")
                       .arg(name())
                       .arg(faster)
                       .arg(slower)
                       .arg(int(c.backends.size()) - faster - slower);
    if (!c.differences.empty())
        text += tr(" — differs: %1").arg(QString::fromStdString(c.differences.front())) +
                (c.differences.size() > 1 ? tr(" (+%1 more)").arg(c.differences.size() - 1) : QString());
    return text;
}

} // namespace conlab::ui
