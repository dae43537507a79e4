#include "results_model.h"

#include "colors.h"
#include "report.h"

#include <QBrush>
#include <QColor>
#include <QSet>

namespace conlab::ui {

namespace {
QString dur(double s) {
    return QString::fromStdString(formatDuration(s));
}
QString pct(double v) {
    return QString::number(v * 100, 'f', 1) + QLatin1Char('%');
}
QString dash() {
    return QStringLiteral("–");
}
} // namespace

ResultsModel::ResultsModel(QObject* parent) : QAbstractTableModel(parent) {}

void ResultsModel::setExperiment(const Experiment& ex) {
    beginResetModel();
    m_runs = ex.runs;
    endResetModel();
}

void ResultsModel::upsertRun(const BackendRun& run) {
    for (size_t i = 0; i < m_runs.size(); ++i)
        if (m_runs[i].backend == run.backend) {
            m_runs[i] = run;
            emit dataChanged(index(int(i), 0), index(int(i), columnCount() - 1));
            return;
        }
    const int row = int(m_runs.size());
    beginInsertRows({}, row, row);
    m_runs.push_back(run);
    endInsertRows();
}

void ResultsModel::clear() {
    beginResetModel();
    m_runs.clear();
    endResetModel();
}

void ResultsModel::setComparison(std::optional<Comparison> comparison, const QString& baselineName) {
    if (!m_comparison && !comparison) return; // nothing compared before or after: no reset
    beginResetModel();                        // the number of columns changes
    m_comparison = std::move(comparison);
    m_baselineName = baselineName;
    endResetModel();
}

const FigureComparison* ResultsModel::throughputAgainstBaseline(const std::string& backend) const {
    if (!m_comparison) return nullptr;
    for (const auto& b : m_comparison->backends)
        if (b.backend == backend) return b.throughput();
    return nullptr;
}

QVariant ResultsModel::baselineData(const BackendRun& r, int col, int role) const {
    const FigureComparison* f = throughputAgainstBaseline(r.backend);
    if (role == SortRole) {
        if (!f) return -1.0;
        return col == VsBaseline ? f->ratio.value_or(-1.0) : f->pVerdict;
    }
    if (role == Qt::DisplayRole || role == Qt::EditRole) {
        if (!f) return dash();
        if (col == VsBaseline) {
            if (!f->ratio) return dash();
            QString text = QString::number(*f->ratio, 'f', 3) + QStringLiteral("×");
            if (f->ratioLow && f->ratioHigh)
                text +=
                    QStringLiteral(" [%1, %2]").arg(*f->ratioLow, 0, 'f', 2).arg(*f->ratioHigh, 0, 'f', 2);
            return text;
        }
        const QString p =
            f->pVerdict < 0.0001 ? QStringLiteral("<0.0001") : QString::number(f->pVerdict, 'f', 4);
        return QString::fromStdString(f->verdict) + QStringLiteral(" (p %1)").arg(p);
    }
    if (role == Qt::ToolTipRole) {
        QString tip = headerData(col, Qt::Horizontal, Qt::ToolTipRole).toString();
        if (!f)
            return tip + tr("\n\n%1 is not in the baseline, or has no completed repetition on one side.")
                             .arg(QString::fromStdString(r.backend));
        return tip + tr("\n\nBaseline %1: %2 tasks/s (median of %3); this run: %4 tasks/s (median of %5).")
                         .arg(m_baselineName)
                         .arg(f->baseMedian, 0, 'f', 0)
                         .arg(f->nBase)
                         .arg(f->newMedian, 0, 'f', 0)
                         .arg(f->nNew);
    }
    if (role == Qt::ForegroundRole && col == BaselineVerdict && f && f->significant)
        return QBrush(f->verdict == "faster" ? QColor(0x00, 0x9E, 0x73) : QColor(0xD5, 0x5E, 0x00));
    if (role == Qt::TextAlignmentRole)
        return QVariant::fromValue(col == VsBaseline ? (Qt::AlignRight | Qt::AlignVCenter)
                                                     : (Qt::AlignLeft | Qt::AlignVCenter));
    return {};
}

int ResultsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_runs.size());
}
int ResultsModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : m_comparison ? ColumnCount : VsBaseline;
}

QVariant ResultsModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= int(m_runs.size()) || index.column() >= columnCount()) return {};
    const BackendRun& r = m_runs[size_t(index.row())];
    if (index.column() >= VsBaseline) return baselineData(r, index.column(), role);
    const RunSummary& s = r.summary;
    const bool has = s.repetitions > 0;
    const int col = index.column();
    const QString status = !r.error.empty() ? QStringLiteral("failed")
                           : r.cancelled    ? QStringLiteral("partial")
                                            : QStringLiteral("ok");

    if (role == SortRole) {
        switch (col) {
        case Backend:
            return QString::fromStdString(r.backend);
        case Family:
            return QString::fromStdString(r.family);
        case Workers:
            return r.workers;
        case Repetitions:
            return s.repetitions;
        case Wall:
            return has ? s.wallS.median : -1.0;
        case Throughput:
            return has ? s.throughput.median : -1.0;
        case ThroughputCi:
            return has ? s.throughput.ciHigh - s.throughput.ciLow : -1.0;
        case Speedup:
            return s.speedup.value_or(-1.0);
        case Efficiency:
            return s.efficiency.value_or(-1.0);
        case CoresBusy:
            return has ? s.coresBusy : -1.0;
        case SpawnShare:
        case StartupShare:
        case IpcShare:
        case ComputeShare:
        case CpuWaitShare:
        case IdleShare:
            return has ? s.phaseShare[size_t(kWorkerPhases[size_t(col - SpawnShare)])] : -1.0;
        case LatencyP50:
            return has ? s.latencyP50S : -1.0;
        case LatencyP95:
            return has ? s.latencyP95S : -1.0;
        case LatencyP99:
            return has ? s.latencyP99S : -1.0;
        case SpawnCost:
            return has ? s.spawnCostS : -1.0;
        case Status:
            return status;
        }
        return {};
    }
    if (role == Qt::DisplayRole || role == Qt::EditRole) {
        switch (col) {
        case Backend: // a stopped run is marked where it is always in view, not only under Status
            return QString::fromStdString(r.backend) +
                   (r.cancelled && r.error.empty() && role == Qt::DisplayRole ? QStringLiteral(" (partial)")
                                                                              : QString());
        case Family:
            return QString::fromStdString(r.family);
        case Workers:
            return r.workers;
        case Repetitions:
            return s.repetitions;
        case Status:
            return status;
        default:
            break;
        }
        if (!has) return dash();
        switch (col) {
        case Wall:
            return dur(s.wallS.median);
        case Throughput:
            return QString::number(s.throughput.median, 'f', 0);
        case ThroughputCi:
            return s.throughput.n < 2 ? dash()
                                      : QStringLiteral("%1 – %2")
                                            .arg(s.throughput.ciLow, 0, 'f', 0)
                                            .arg(s.throughput.ciHigh, 0, 'f', 0);
        case Speedup:
            return s.speedup ? QString::number(*s.speedup, 'f', 2) + QStringLiteral("×") : dash();
        case Efficiency:
            return s.efficiency ? pct(*s.efficiency) : dash();
        case CoresBusy:
            return QString::number(s.coresBusy, 'f', 2);
        case SpawnShare:
        case StartupShare:
        case IpcShare:
        case ComputeShare:
        case CpuWaitShare:
        case IdleShare:
            if (col == CpuWaitShare && !s.cpuWaitMeasured) return QStringLiteral("n/m");
            return pct(s.phaseShare[size_t(kWorkerPhases[size_t(col - SpawnShare)])]);
        case LatencyP50:
            return dur(s.latencyP50S);
        case LatencyP95:
            return dur(s.latencyP95S);
        case LatencyP99:
            return dur(s.latencyP99S);
        case SpawnCost:
            return s.spawnCostS > 0 ? dur(s.spawnCostS) : dash();
        case StartupOnce:
            return s.startupS > 0 ? dur(s.startupS) : dash();
        }
        return {};
    }
    if (role == Qt::TextAlignmentRole)
        return QVariant::fromValue(col <= Family || col == Status ? (Qt::AlignLeft | Qt::AlignVCenter)
                                                                  : (Qt::AlignRight | Qt::AlignVCenter));
    if (role == Qt::ToolTipRole) {
        if (!r.error.empty()) return QString::fromStdString(r.error);
        if (r.cancelled)
            return QStringLiteral("Stopped before the end: the numbers cover the tasks that completed.");
        QString tip = headerData(col, Qt::Horizontal, Qt::ToolTipRole).toString();
        if (const ChildUsage& u = r.summary.children; col == SpawnCost && u.processes > 0)
            tip += tr("\n\nPer worker process (wait4): %1 minor page faults, peak RSS %2 (pages shared with "
                      "conlab included).")
                       .arg(u.minorFaults, 0, 'f', 0)
                       .arg(QString::fromStdString(formatBytes(int64_t(u.maxRssBytes))));
        if (const auto& c = r.summary.instrumentation) // --probes compare: the observer effect
            tip +=
                tr("\n\nInstrumentation cost (measured beside %n bare repetition(s)): %1 of the wall time, "
                   "%2 per task; bare: %3 tasks/s.",
                   nullptr, c->pairs)
                    .arg(QString::number(c->shareOfWall * 100, 'f', 1) + QLatin1Char('%'),
                         QString::fromStdString(formatDuration(c->perTaskS)),
                         QString::number(c->bareThroughput, 'f', 0));
        return tip;
    }
    if (role == Qt::DecorationRole && col == Backend) return backendColor(QString::fromStdString(r.backend));
    if (role == Qt::ForegroundRole && col == Status && !r.error.empty())
        return QBrush(QColor(0xD5, 0x5E, 0x00));
    return {};
}

QVariant ResultsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal) return QAbstractTableModel::headerData(section, orientation, role);
    static const char* names[ColumnCount] = {
        "Backend",      "Family",      "Workers",        "Reps",
        "Wall",         "Tasks/s",     "95% CI tasks/s", "Speedup",
        "Efficiency",   "Cores busy",  "Spawn",          "Startup",
        "IPC",          "Compute",     "CPU wait",       "Idle",
        "p50 latency",  "p95 latency", "p99 latency",    "Spawn cost",
        "Startup once", "Status",      "vs baseline",    "Baseline verdict"};
    static const char* tips[ColumnCount] = {
        "Backend id (as on the command line)",
        "Backend family",
        "Workers the backend actually used",
        "Measured repetitions (warmups excluded)",
        "Wall-clock time of one repetition (median)",
        "Completed tasks per second of wall time (median over repetitions)",
        "95% confidence interval of the mean throughput (Student t; needs ≥ 2 repetitions)",
        "Median throughput ÷ the sequential backend's median throughput (same experiment)",
        "Speedup ÷ workers",
        "CPU time (user + system) of the run's threads and reaped child processes ÷ wall time, median "
        "over repetitions: how many cores the backend kept busy (Python threads under the GIL: about 1)",
        "Share of summed worker time spent starting and tearing down workers",
        "Share of summed worker time in a library's or interpreter's one-time start-up and teardown (TBB "
        "arena, OpenMP team, Python driver)",
        "Share of summed worker time spent moving data and messages",
        "Share of summed worker time running task code",
        "Share of summed worker time runnable but not running: waiting for a core (more workers than "
        "cores, or other programs); n/m where it cannot be measured",
        "Share of summed worker time waiting for work",
        "Median task latency (request → result), median over repetitions",
        "95th percentile task latency",
        "99th percentile task latency",
        "Mean start-up + teardown per worker (less cpu-wait)",
        "One-time start-up of the run (library or interpreter), wall time",
        "ok, partial (stopped) or failed (hover for the error)",
        "Throughput against the baseline (File → Compare with baseline…): this run's median ÷ the "
        "baseline's, with the 95% interval of the ratio (Hodges–Lehmann, docs/compare.md)",
        "Faster, slower or no significant difference in throughput: two-sided Mann–Whitney U over the "
        "repetitions of both, significant when p < 0.05 (docs/compare.md)"};
    if (section < 0 || section >= columnCount()) return {};
    if (role == Qt::DisplayRole) return QString::fromUtf8(names[section]);
    if (role == Qt::ToolTipRole) return QString::fromUtf8(tips[section]);
    return {};
}

QString ResultsModel::toTsv(const QAbstractItemModel* model, const QModelIndexList& rows) {
    QString out;
    const int cols = model->columnCount();
    for (int c = 0; c < cols; ++c)
        out += (c ? QStringLiteral("\t") : QString()) + model->headerData(c, Qt::Horizontal).toString();
    out += QLatin1Char('\n');
    QList<int> rowList;
    if (rows.isEmpty())
        for (int r = 0; r < model->rowCount(); ++r)
            rowList << r;
    else {
        QSet<int> seen;
        for (const QModelIndex& i : rows)
            if (!seen.contains(i.row())) {
                seen.insert(i.row());
                rowList << i.row();
            }
        std::sort(rowList.begin(), rowList.end());
    }
    for (int r : rowList) {
        for (int c = 0; c < cols; ++c)
            out += (c ? QStringLiteral("\t") : QString()) + model->index(r, c).data().toString();
        out += QLatin1Char('\n');
    }
    return out;
}

} // namespace conlab::ui
