#include "run_estimate.h"

#include <QCoreApplication>
#include <algorithm>
#include <cmath>

namespace conlab::ui {

namespace {
bool isSerial(const QString& id) {
    return id == QLatin1String("sequential") || id == QLatin1String("py-sequential");
}
bool perTaskProcess(const QString& id) {
    return id.startsWith(QLatin1String("process-per-task")) || id == QLatin1String("py-process-per-task");
}
QString tr(const char* text) {
    return QCoreApplication::translate("RunEstimate", text);
}
} // namespace

double estimateRunSeconds(const WorkloadSpec& spec, const QStringList& backends, int cores) {
    // --probes compare runs every repetition twice (instrumented, then bare).
    const double reps = (spec.repeat + spec.warmup) * (spec.probes == Probes::Compare ? 2 : 1);
    const int workers = spec.workers > 0 ? spec.workers : std::max(1, cores);
    const double work = double(spec.tasks) * spec.taskUs * 1e-6; // one core's worth
    double total = 0;
    for (const QString& id : backends) {
        // io tasks wait: they overlap up to the worker count; cpu/memory up to the cores.
        const int parallel =
            isSerial(id) ? 1 : (spec.kind == TaskKind::Io ? workers : std::min(workers, std::max(1, cores)));
        double s = work / parallel;
        if (perTaskProcess(id)) // a spawn per task: ~1 ms native, ~20 ms for a Python process
            s += double(spec.tasks) * (id.startsWith(QLatin1String("py-")) ? 20e-3 : 1e-3) /
                 std::max(1, cores);
        if (id.startsWith(QLatin1String("py-")))
            s += 0.3 + double(spec.tasks) * 20e-6;                                    // interpreter, pickling
        s += double(spec.tasks) * double(spec.messages) * 10e-6 / std::max(1, cores); // round trips
        total += reps * (s + 0.02);
    }
    return total;
}

QString formatEstimate(double s) {
    if (s < 1) return tr("under a second");
    if (s < 90) return tr("about %1 s").arg(std::max(1, int(std::lround(s))));
    if (s < 5400) return tr("about %1 min").arg(int(std::lround(s / 60)));
    return tr("about %1 h").arg(s / 3600, 0, 'f', 1);
}

QStringList sanityWarnings(const WorkloadSpec& spec, const QStringList& backends, int cores) {
    QStringList out;
    const double eta = estimateRunSeconds(spec, backends, cores);
    if (eta > 120)
        out << tr("This run will take %1 (%2 backend(s) one after another).")
                   .arg(formatEstimate(eta))
                   .arg(backends.size());
    const double taskS = spec.taskUs * 1e-6;
    if (spec.kind != TaskKind::Memory && spec.taskTimeoutS < taskS)
        out << tr("The task timeout (%1 s) is shorter than one task (%2 s): every worker will be stopped "
                  "as hung.")
                   .arg(spec.taskTimeoutS)
                   .arg(taskS);
    if (spec.workers > 4 * std::max(1, cores))
        out << tr("%1 workers on %2 cores: beyond the core count, more workers only add context switches "
                  "and idle time (and memory for each).")
                   .arg(spec.workers)
                   .arg(cores);
    int perTask = 0;
    for (const QString& id : backends)
        perTask += perTaskProcess(id);
    if (perTask > 0 && spec.tasks * (spec.repeat + spec.warmup) > 100000)
        out << tr("%L1 processes will be created per backend that starts one per task.")
                   .arg(spec.tasks * (spec.repeat + spec.warmup));
    return out;
}

} // namespace conlab::ui
