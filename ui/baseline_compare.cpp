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
    if (load.sweep && !load.sweep->sweep) {
        if (error) *error = load.sweep->error;
        return false;
    }
    if (load.sweep && load.sweep->sweep->values.size() > 1) {
        m_sweep = std::make_shared<const SweepResult>(*load.sweep->sweep);
        m_baseline.reset();
    } else {
        m_baseline = std::make_shared<const Experiment>(*load.results.experiment);
        m_sweep.reset();
    }
    m_path = QFileInfo(path).absoluteFilePath();
    emit changed();
    return true;
}

void BaselineCompare::clear() {
    if (!isSet()) return;
    m_baseline.reset();
    m_sweep.reset();
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

QString BaselineCompare::sweepSummary(const SweepResult& shown, QStringList* differences) const {
    if (!m_sweep) return tr("Baseline %1 is a run: it is compared with runs, not sweeps.").arg(name());
    // The machines and base workloads, as `conlab compare` compares two runs' (core/compare).
    Experiment a, b;
    a.machine = m_sweep->machine;
    a.spec = m_sweep->base;
    b.machine = shown.machine;
    b.spec = shown.base;
    if (differences) {
        differences->clear();
        if (m_sweep->param != shown.param)
            *differences << tr("swept parameter: %1 → %2")
                                .arg(QString::fromStdString(toString(m_sweep->param)),
                                     QString::fromStdString(toString(shown.param)));
        for (const auto& d : experimentDifferences(a, b))
            *differences << QString::fromStdString(d);
    }
    if (m_sweep->param != shown.param)
        return tr("Baseline %1 sweeps %2, these results %3: its curves are not drawn.")
            .arg(name(), QString::fromStdString(toString(m_sweep->param)),
                 QString::fromStdString(toString(shown.param)));
    return tr("Compared with baseline %1: its curves dashed in the speedup and throughput figures")
        .arg(name());
}

QString BaselineCompare::differsText(const QStringList& differences) {
    if (differences.isEmpty()) return {};
    return tr(" — differs: %1").arg(differences.front()) +
           (differences.size() > 1 ? tr(" (+%1 more)").arg(differences.size() - 1) : QString());
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
    QStringList differences;
    for (const auto& d : c.differences)
        differences << QString::fromStdString(d);
    text += differsText(differences);
    return text;
}

} // namespace conlab::ui
