#include "results_json.h"

#include "clock.h"
#include "files/advice_json.h"
#include "files/calibration_json.h"
#include "files/child_usage_json.h"
#include "files/json_keys.h"
#include "files/noise_json.h"
#include "files/results_lanes.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <algorithm>
#include <cmath>

namespace conlab {

namespace {

double finite(double v) {
    return std::isfinite(v) ? v : 0.0;
}

QJsonArray intArray(const std::vector<int>& v) {
    QJsonArray a;
    for (int x : v)
        a.append(x);
    return a;
}

QJsonObject estimateJson(const Estimate& e) {
    return {{"n", e.n},
            {"median", finite(e.median)},
            {"mean", finite(e.mean)},
            {"stddev", finite(e.stddev)},
            {"min", finite(e.min)},
            {"max", finite(e.max)},
            {"ci95_low", finite(e.ciLow)},
            {"ci95_high", finite(e.ciHigh)}};
}

QString phaseField(Phase p) {
    return QString::fromLatin1(phaseKey(p)) + QStringLiteral("_s");
}

// Worker phases (a worker has no "other"; the coordinator has no compute or cpu-wait).
QJsonObject phasesJson(const PhaseTotals& p) {
    QJsonObject o;
    for (Phase ph : kWorkerPhases)
        o[phaseField(ph)] = nsToSeconds(p[ph]);
    return o;
}

QJsonArray phasesArray(const PhaseTotals& p) {
    QJsonArray a;
    for (auto v : p.ns)
        a.append(nsToSeconds(v));
    return a;
}

QJsonValue optionalNumber(const std::optional<double>& v) {
    return v && std::isfinite(*v) ? QJsonValue(*v) : QJsonValue(QJsonValue::Null);
}

QJsonObject summaryJson(const RunSummary& s) {
    QJsonObject phases;
    for (Phase p : kWorkerPhases)
        phases[phaseField(p)] = finite(s.phaseS[size_t(p)].median);
    QJsonObject phaseEstimates, shares;
    for (Phase p : kAllPhases) {
        phaseEstimates[QString::fromLatin1(phaseName(p))] = estimateJson(s.phaseS[size_t(p)]);
        shares[QString::fromLatin1(phaseName(p))] = finite(s.phaseShare[size_t(p)]);
    }
    return {{"repetitions", s.repetitions},
            {"throughput", finite(s.throughput.median)},
            {"throughput_estimate", estimateJson(s.throughput)},
            {"wall_s", finite(s.wallS.median)},
            {"wall_estimate", estimateJson(s.wallS)},
            {"speedup", optionalNumber(s.speedup)},
            {"efficiency", optionalNumber(s.efficiency)},
            {"phases", phases},
            {"phase_estimates", phaseEstimates},
            {"phase_shares", shares},
            {"spawn_cost_s", finite(s.spawnCostS)},
            {"startup_s", finite(s.startupS)},
            {"cpu_wait_measured", s.cpuWaitMeasured},
            {"round_trip_s", finite(s.roundTripS)},
            {"cores_busy", finite(s.coresBusy)},
            {"children", childUsageToJson(s.children)},
            {"instrumentation",
             s.instrumentation
                 ? QJsonValue(QJsonObject{{"pairs", s.instrumentation->pairs},
                                          {"cost_per_task_s", finite(s.instrumentation->perTaskS)},
                                          {"share_of_wall", finite(s.instrumentation->shareOfWall)},
                                          {"bare_throughput", finite(s.instrumentation->bareThroughput)}})
                 : QJsonValue(QJsonValue::Null)},
            {"latency_s", QJsonObject{{"p50", finite(s.latencyP50S)},
                                      {"p95", finite(s.latencyP95S)},
                                      {"p99", finite(s.latencyP99S)}}}};
}

QJsonObject workerJson(const WorkerRecord& w, int64_t origin) {
    return {{"lane", w.lane},
            {"id", qint64(w.id)},
            {"os_pid", qint64(w.osPid)},
            {"os_tid", qint64(w.osTid)},
            {"t_request_s", nsToSeconds(w.tRequestNs - origin)},
            {"t_ready_s", nsToSeconds(w.tReadyNs - origin)},
            {"t_done_s", nsToSeconds(w.tDoneNs - origin)},
            {"t_reaped_s", nsToSeconds(w.tReapedNs - origin)},
            {"phases", phasesJson(w.phases)},
            {"cpu_first", w.cpuFirst},
            {"cpu_last", w.cpuLast},
            {"cpu_changes", qint64(w.cpuChanges)},
            {"involuntary_switches", qint64(w.involuntarySwitches)},
            {"tasks", qint64(w.tasks)}};
}

QJsonObject repetitionJson(const RepetitionResult& r) {
    QJsonArray workers, snapshots;
    for (const auto& w : r.workers)
        workers.append(workerJson(w, r.startNs));
    for (const auto& s : r.snapshots)
        snapshots.append(QJsonObject{{"t_s", s.tS},
                                     {"tasks_done", qint64(s.tasksDone)},
                                     {"window_throughput", finite(s.windowThroughput)},
                                     {"worker_phases_s", phasesArray(s.workerPhases)},
                                     {"coordinator_phases_s", phasesArray(s.coordinatorPhases)}});
    QJsonObject coord = {{"spawn_s", nsToSeconds(r.coordinator.phases[Phase::Spawn])},
                         {"startup_s", nsToSeconds(r.coordinator.phases[Phase::Startup])},
                         {"ipc_s", nsToSeconds(r.coordinator.phases[Phase::Ipc])},
                         {"idle_s", nsToSeconds(r.coordinator.phases[Phase::Idle])},
                         {"other_s", nsToSeconds(r.coordinator.otherNs)},
                         {"lifetime_s", nsToSeconds(r.coordinator.lifetimeNs)}};
    return {{"index", r.index},
            {"warmup", r.warmup},
            {"bare", r.bare},
            {"cancelled", r.cancelled},
            {"error", QString::fromStdString(r.error)},
            {"tasks_done", qint64(r.tasksDone)},
            {"wall_s", r.wallS},
            {"throughput", finite(r.throughput)},
            {"worker_count", qint64(r.workerCount)},
            {"worker_phases", phasesJson(r.workerPhases)},
            {"coordinator", coord},
            {"spawn_cost_s", r.spawnCostS},
            {"spawn_startup_s", r.spawnStartupS},
            {"startup_s", r.startupS},
            {"cpu_wait_measured", r.cpuWaitMeasured},
            {"detail_dropped", r.detailDropped},
            {"round_trip_s", r.roundTripS},
            {"round_trips", qint64(r.roundTrips)},
            {"latency_s", QJsonObject{{"p50", r.latencyP50S},
                                      {"p95", r.latencyP95S},
                                      {"p99", r.latencyP99S},
                                      {"mean", r.latencyMeanS}}},
            {"affinity", intArray(r.affinity)},
            {"partition_error_max", finite(r.partitionErrorMax)},
            {"cpu_s", finite(r.cpuS)},
            {"noise", noiseToJson(r.noise)},
            {"children", childUsageToJson(r.children)},
            {"workers", workers},
            {"lanes", lanesToJson(r.lanes, r.startNs)},
            {"snapshots", snapshots}};
}

// ------------------------------------------------------------------ reading

struct Reader {
    QString error;
    QString where;

    bool fail(const QString& what) {
        if (error.isEmpty()) error = where.isEmpty() ? what : where + ": " + what;
        return false;
    }
    double num(const QJsonObject& o, const char* key, double lo, double hi, double def = 0,
               bool required = false) {
        QJsonValue v = o.value(QLatin1String(key));
        if (v.isUndefined() || v.isNull()) {
            if (required) fail(QStringLiteral("missing field '%1'").arg(QLatin1String(key)));
            return def;
        }
        if (!v.isDouble()) {
            fail(QStringLiteral("field '%1' must be a number").arg(QLatin1String(key)));
            return def;
        }
        double d = v.toDouble();
        if (!std::isfinite(d) || d < lo || d > hi) {
            fail(QStringLiteral("field '%1' = %2 is out of range [%3, %4]")
                     .arg(QLatin1String(key))
                     .arg(d)
                     .arg(lo)
                     .arg(hi));
            return def;
        }
        return d;
    }
    std::optional<double> optNum(const QJsonObject& o, const char* key, double lo, double hi) {
        QJsonValue v = o.value(QLatin1String(key));
        if (v.isUndefined() || v.isNull()) return std::nullopt;
        return num(o, key, lo, hi);
    }
    QJsonArray arr(const QJsonObject& o, const char* key, qsizetype maxLen) {
        QJsonValue v = o.value(QLatin1String(key));
        if (v.isUndefined()) return {};
        if (!v.isArray()) {
            fail(QStringLiteral("field '%1' must be an array").arg(QLatin1String(key)));
            return {};
        }
        QJsonArray a = v.toArray();
        if (a.size() > maxLen) {
            fail(QStringLiteral("field '%1' has %2 entries (at most %3 allowed)")
                     .arg(QLatin1String(key))
                     .arg(a.size())
                     .arg(maxLen));
            return {};
        }
        return a;
    }
};

constexpr double kMaxSeconds = 1e9;
constexpr double kMaxCount = 1e12;

Estimate readEstimate(Reader& rd, const QJsonObject& o, double most) {
    Estimate e;
    e.n = int(rd.num(o, "n", 0, 1e6));
    // Estimates are of throughputs, wall times and phase times: never negative (the interval's
    // low end can be, with few repetitions).
    e.median = rd.num(o, "median", 0, most);
    e.mean = rd.num(o, "mean", 0, most);
    e.stddev = rd.num(o, "stddev", 0, most);
    e.min = rd.num(o, "min", 0, most);
    e.max = rd.num(o, "max", 0, most);
    e.ciLow = rd.num(o, "ci95_low", -most, most);
    e.ciHigh = rd.num(o, "ci95_high", -most, most);
    return e;
}

// Every phase key that is present (schema 1 had spawn, ipc, compute and idle only).
PhaseTotals readPhases(Reader& rd, const QJsonObject& o) {
    PhaseTotals p;
    for (Phase ph : kAllPhases) {
        const QByteArray key = phaseField(ph).toLatin1();
        p[ph] = int64_t(rd.num(o, key.constData(), 0, kMaxSeconds) * 1e9);
    }
    return p;
}

PhaseTotals readPhaseArray(Reader& rd, const QJsonArray& a) {
    PhaseTotals p;
    if (a.size() != kPhaseCount && a.size() != 4) {
        rd.fail(QStringLiteral("a phase array must have %1 entries (4 in schema 1)").arg(kPhaseCount));
        return p;
    }
    for (int i = 0; i < int(a.size()); ++i) {
        double v = a[i].toDouble(-1);
        if (!a[i].isDouble() || !std::isfinite(v) || v < 0 || v > kMaxSeconds)
            rd.fail(QStringLiteral("bad phase value"));
        else
            p.ns[size_t(i)] = int64_t(v * 1e9);
    }
    return p;
}

std::vector<int> readInts(Reader& rd, const QJsonArray& a, int hi) {
    std::vector<int> v;
    for (const auto& x : a) {
        double d = x.toDouble(-1);
        if (!x.isDouble() || d < 0 || d > hi || d != std::floor(d)) {
            rd.fail(QStringLiteral("bad CPU number"));
            return {};
        }
        v.push_back(int(d));
    }
    return v;
}

// `releaseRead`: `runs` is the only owner of its runs, and each is dropped once read, so that
// loading holds the document and the results together only one run at a time.
std::vector<BackendRun> readRuns(Reader& rd, QJsonArray& runs, bool releaseRead) {
    std::vector<BackendRun> out;
    for (qsizetype i = 0; i < runs.size() && rd.error.isEmpty(); ++i) {
        if (releaseRead && i > 0) runs[i - 1] = QJsonValue();
        if (!runs[i].isObject()) {
            rd.fail(QStringLiteral("runs[%1] must be an object").arg(i));
            break;
        }
        QJsonObject ro = runs[i].toObject();
        BackendRun r;
        r.backend = ro.value("backend").toString().toStdString();
        rd.where = QStringLiteral("runs[%1] (%2)").arg(i).arg(QString::fromStdString(r.backend));
        if (r.backend.empty()) rd.fail(QStringLiteral("missing backend id"));
        r.family = ro.value("family").toString().toStdString();
        r.workers = int(rd.num(ro, "workers", 0, 1e6));
        r.cancelled = ro.value("cancelled").toBool();
        r.error = ro.value("error").toString().toStdString();
        QJsonObject so = ro.value("summary").toObject();
        RunSummary& s = r.summary;
        s.repetitions = int(rd.num(so, "repetitions", 0, 1e6));
        s.throughput = readEstimate(rd, so.value("throughput_estimate").toObject(), 1e15);
        if (so.contains("throughput") && s.throughput.n == 0)
            s.throughput.median = rd.num(so, "throughput", 0, 1e15);
        s.wallS = readEstimate(rd, so.value("wall_estimate").toObject(), kMaxSeconds);
        if (so.contains("wall_s") && s.wallS.n == 0) s.wallS.median = rd.num(so, "wall_s", 0, kMaxSeconds);
        s.speedup = rd.optNum(so, "speedup", 0, 1e9);
        s.efficiency = rd.optNum(so, "efficiency", 0, 1e9);
        QJsonObject pe = so.value("phase_estimates").toObject(), sh = so.value("phase_shares").toObject();
        PhaseTotals medians = readPhases(rd, so.value("phases").toObject());
        for (Phase p : kAllPhases) {
            const QString key = QString::fromLatin1(phaseName(p));
            s.phaseS[size_t(p)] = readEstimate(rd, pe.value(key).toObject(), kMaxSeconds);
            if (s.phaseS[size_t(p)].n == 0) s.phaseS[size_t(p)].median = nsToSeconds(medians[p]);
            s.phaseShare[size_t(p)] = rd.num(sh, key.toLatin1().constData(), 0, 1.000001);
        }
        s.spawnCostS = rd.num(so, "spawn_cost_s", 0, kMaxSeconds);
        s.startupS = rd.num(so, "startup_s", 0, kMaxSeconds);
        s.cpuWaitMeasured = so.value("cpu_wait_measured").toBool(false);
        s.roundTripS = rd.num(so, "round_trip_s", 0, kMaxSeconds);
        s.coresBusy = rd.num(so, "cores_busy", 0, 1e6); // absent in files from before it existed: 0
        if (QString childError; !childUsageFromJson(so.value("children"), s.children, childError))
            rd.fail(childError);
        if (so.value("instrumentation").isObject()) { // --probes compare only
            const QJsonObject io = so.value("instrumentation").toObject();
            InstrumentationCost c;
            c.pairs = int(rd.num(io, "pairs", 1, 1e6, 0, true));
            c.perTaskS = rd.num(io, "cost_per_task_s", -kMaxSeconds, kMaxSeconds); // noise can make it < 0
            c.shareOfWall = rd.num(io, "share_of_wall", -1e6, 1);
            c.bareThroughput = rd.num(io, "bare_throughput", 0, 1e15);
            s.instrumentation = c;
        }
        QJsonObject lat = so.value("latency_s").toObject();
        s.latencyP50S = rd.num(lat, "p50", 0, kMaxSeconds);
        s.latencyP95S = rd.num(lat, "p95", 0, kMaxSeconds);
        s.latencyP99S = rd.num(lat, "p99", 0, kMaxSeconds);

        const QJsonArray reps = rd.arr(ro, "repetitions", 1100);
        for (qsizetype k = 0; k < reps.size() && rd.error.isEmpty(); ++k) {
            QJsonObject po = reps[k].toObject();
            RepetitionResult rep;
            rep.index = int(rd.num(po, "index", 0, 1e6));
            rep.warmup = po.value("warmup").toBool();
            rep.bare = po.value("bare").toBool(false);
            rep.cancelled = po.value("cancelled").toBool();
            rep.error = po.value("error").toString().toStdString();
            rep.tasksDone = int64_t(rd.num(po, "tasks_done", 0, kMaxCount));
            rep.wallS = rd.num(po, "wall_s", 0, kMaxSeconds);
            rep.throughput = rd.num(po, "throughput", 0, 1e15);
            rep.workerCount = int64_t(rd.num(po, "worker_count", 0, kMaxCount));
            rep.workerPhases = readPhases(rd, po.value("worker_phases").toObject());
            QJsonObject co = po.value("coordinator").toObject();
            rep.coordinator.phases[Phase::Spawn] = int64_t(rd.num(co, "spawn_s", 0, kMaxSeconds) * 1e9);
            rep.coordinator.phases[Phase::Ipc] = int64_t(rd.num(co, "ipc_s", 0, kMaxSeconds) * 1e9);
            rep.coordinator.phases[Phase::Idle] = int64_t(rd.num(co, "idle_s", 0, kMaxSeconds) * 1e9);
            rep.coordinator.phases[Phase::Startup] = int64_t(rd.num(co, "startup_s", 0, kMaxSeconds) * 1e9);
            rep.coordinator.otherNs = int64_t(rd.num(co, "other_s", 0, kMaxSeconds) * 1e9);
            rep.coordinator.phases[Phase::Other] = rep.coordinator.otherNs;
            rep.coordinator.lifetimeNs = int64_t(rd.num(co, "lifetime_s", 0, kMaxSeconds) * 1e9);
            rep.spawnCostS = rd.num(po, "spawn_cost_s", 0, kMaxSeconds);
            rep.spawnStartupS = rd.num(po, "spawn_startup_s", 0, kMaxSeconds);
            rep.startupS = rd.num(po, "startup_s", 0, kMaxSeconds);
            rep.cpuWaitMeasured = po.value("cpu_wait_measured").toBool(false); // schema 1: not measured
            rep.detailDropped = po.value("detail_dropped").toBool(false);
            rep.roundTripS = rd.num(po, "round_trip_s", 0, kMaxSeconds);
            rep.roundTrips = int64_t(rd.num(po, "round_trips", 0, kMaxCount));
            QJsonObject pl = po.value("latency_s").toObject();
            rep.latencyP50S = rd.num(pl, "p50", 0, kMaxSeconds);
            rep.latencyP95S = rd.num(pl, "p95", 0, kMaxSeconds);
            rep.latencyP99S = rd.num(pl, "p99", 0, kMaxSeconds);
            rep.latencyMeanS = rd.num(pl, "mean", 0, kMaxSeconds);
            rep.affinity = readInts(rd, rd.arr(po, "affinity", 4096), 4095);
            rep.partitionErrorMax = rd.num(po, "partition_error_max", 0, 1e9);
            rep.cpuS = rd.num(po, "cpu_s", 0, kMaxSeconds);
            if (QString noiseError; !noiseFromJson(po.value("noise"), rep.noise, noiseError))
                rd.fail(noiseError);
            if (QString childError; !childUsageFromJson(po.value("children"), rep.children, childError))
                rd.fail(childError);
            const QJsonArray ws = rd.arr(po, "workers", 4096);
            std::vector<std::vector<V1Interval>> v1Intervals;
            for (const auto& wv : ws) {
                QJsonObject wo = wv.toObject();
                WorkerRecord w;
                w.lane = int(rd.num(wo, "lane", 0, 1e6));
                w.id = int64_t(rd.num(wo, "id", -1, 1e12));
                w.osPid = int64_t(rd.num(wo, "os_pid", 0, 1e9)); // absent in older files: 0, not known
                w.osTid = int64_t(rd.num(wo, "os_tid", 0, 1e9));
                w.tRequestNs = int64_t(rd.num(wo, "t_request_s", -kMaxSeconds, kMaxSeconds) * 1e9);
                w.tReadyNs = int64_t(rd.num(wo, "t_ready_s", -kMaxSeconds, kMaxSeconds) * 1e9);
                w.tDoneNs = int64_t(rd.num(wo, "t_done_s", -kMaxSeconds, kMaxSeconds) * 1e9);
                w.tReapedNs = int64_t(rd.num(wo, "t_reaped_s", -kMaxSeconds, kMaxSeconds) * 1e9);
                w.phases = readPhases(rd, wo.value("phases").toObject());
                w.cpuFirst = int(rd.num(wo, "cpu_first", -1, 1e5, -1));
                w.cpuLast = int(rd.num(wo, "cpu_last", -1, 1e5, -1));
                w.cpuChanges = int64_t(rd.num(wo, "cpu_changes", -1, kMaxCount, -1));
                w.involuntarySwitches = int64_t(rd.num(wo, "involuntary_switches", -1, kMaxCount, -1));
                w.tasks = int64_t(rd.num(wo, "tasks", 0, kMaxCount));
                // Schema 1: a prefix of the worker's intervals (converted into lanes below).
                std::vector<V1Interval> ivs;
                const QJsonArray iv = rd.arr(wo, "intervals", 100000);
                for (const auto& x : iv) {
                    QJsonArray t = x.toArray();
                    double a = t.at(0).toDouble(NAN), b = t.at(1).toDouble(NAN), p = t.at(2).toDouble(-1);
                    if (t.size() != 3 || !std::isfinite(a) || !std::isfinite(b) || b < a || p < 0 || p > 3 ||
                        a < 0 || b > kMaxSeconds) { // times since the repetition started: never negative
                        rd.fail(QStringLiteral("bad timeline interval"));
                        break;
                    }
                    ivs.push_back({int64_t(a * 1e9), int64_t(b * 1e9), Phase(int(p))});
                }
                v1Intervals.push_back(std::move(ivs));
                rep.workers.push_back(std::move(w));
            }
            if (po.contains("lanes")) {
                QString laneError;
                if (!lanesFromJson(rd.arr(po, "lanes", 4096), rep.lanes, laneError)) rd.fail(laneError);
            } else {
                lanesFromV1Workers(rep.workers, v1Intervals, rep.lanes);
            }
            const QJsonArray snaps = rd.arr(po, "snapshots", 2'000'000);
            rep.snapshots.reserve(size_t(snaps.size()));
            for (const auto& sv : snaps) {
                QJsonObject so2 = sv.toObject();
                Snapshot sn;
                sn.tS = rd.num(so2, "t_s", 0, kMaxSeconds);
                sn.tasksDone = int64_t(rd.num(so2, "tasks_done", 0, kMaxCount));
                sn.windowThroughput = rd.num(so2, "window_throughput", 0, 1e15);
                sn.workerPhases = readPhaseArray(rd, so2.value("worker_phases_s").toArray());
                sn.coordinatorPhases = readPhaseArray(rd, so2.value("coordinator_phases_s").toArray());
                if (!rd.error.isEmpty()) break;
                rep.snapshots.push_back(sn);
            }
            r.repetitions.push_back(std::move(rep));
        }
        out.push_back(std::move(r));
    }
    if (releaseRead) runs = QJsonArray();
    return out;
}
std::vector<BackendRun> readRuns(Reader& rd, const QJsonArray& runs) {
    QJsonArray shared = runs;
    return readRuns(rd, shared, false);
}

} // namespace

QJsonObject specToJson(const WorkloadSpec& s) {
    QJsonObject o{{"tasks", qint64(s.tasks)},
                  {"workers", s.workers},
                  {"workers_resolved", s.resolvedWorkers()},
                  {"task_us", s.taskUs},
                  {"kind", QString::fromStdString(toString(s.kind))},
                  {"working_set", qint64(s.workingSet)},
                  {"input_bytes", qint64(s.inputBytes)},
                  {"result_bytes", qint64(s.resultBytes)},
                  {"messages", qint64(s.messages)},
                  {"payload", qint64(s.payload)},
                  {"chunksize", s.chunksize},
                  {"cpus", intArray(s.cpus)},
                  {"repeat", s.repeat},
                  {"warmup", s.warmup},
                  {"interleave", s.interleave},
                  {"task_timeout_s", s.taskTimeoutS},
                  {"probes", QString::fromStdString(toString(s.probes))}};
    // Written when set: files of workloads without them stay as they were.
    if (s.parentMemory > 0) o.insert("parent_memory", qint64(s.parentMemory));
    if (s.childTouch > 0) o.insert("child_touch", s.childTouch);
    return o;
}

std::optional<WorkloadSpec> specFromJson(const QJsonObject& o, QString* error) {
    Reader rd;
    rd.where = QStringLiteral("spec");
    WorkloadSpec s;
    s.tasks = int64_t(rd.num(o, "tasks", 1, double(SpecLimits::maxTasks), 0, true));
    s.workers = int(rd.num(o, "workers", 0, SpecLimits::maxWorkers));
    rd.num(o, "workers_resolved", 1, 1e6); // derived (online cores when workers is 0), but checked
    s.taskUs = rd.num(o, "task_us", 0, SpecLimits::maxTaskUs, 0, true);
    auto kind = taskKindFromString(o.value("kind").toString("cpu").toStdString());
    if (!kind)
        rd.fail(QStringLiteral("unknown kind '%1'").arg(o.value("kind").toString()));
    else
        s.kind = *kind;
    s.workingSet = int64_t(rd.num(o, "working_set", double(SpecLimits::minWorkingSet),
                                  double(SpecLimits::maxWorkingSet), 65536));
    s.inputBytes = int64_t(rd.num(o, "input_bytes", 0, double(SpecLimits::maxBytes)));
    s.resultBytes = int64_t(rd.num(o, "result_bytes", 0, double(SpecLimits::maxBytes)));
    s.messages = int64_t(rd.num(o, "messages", 0, double(SpecLimits::maxMessages)));
    s.payload = int64_t(rd.num(o, "payload", 0, double(SpecLimits::maxBytes), 64));
    s.chunksize = int(rd.num(o, "chunksize", 1, SpecLimits::maxChunksize, 1));
    s.cpus = readInts(rd, rd.arr(o, "cpus", 4096), 4095);
    s.repeat = int(rd.num(o, "repeat", 1, SpecLimits::maxRepeat, 1));
    s.warmup = int(rd.num(o, "warmup", 0, SpecLimits::maxWarmup, 0));
    if (const QJsonValue v = o.value("interleave"); v.isBool()) // absent in older files: one after the other
        s.interleave = v.toBool();
    else if (!v.isUndefined() && !v.isNull())
        rd.fail(QStringLiteral("field 'interleave' must be true or false"));
    s.taskTimeoutS =
        rd.num(o, "task_timeout_s", SpecLimits::minTaskTimeoutS, SpecLimits::maxTaskTimeoutS, 60);
    s.parentMemory = int64_t(rd.num(o, "parent_memory", 0, double(SpecLimits::maxParentMemory)));
    s.childTouch = rd.num(o, "child_touch", 0, 1);
    if (auto p = probesFromString(o.value("probes").toString("on").toStdString()))
        s.probes = *p;
    else
        rd.fail(QStringLiteral("unknown probes mode '%1' (allowed: on, off, compare)")
                    .arg(o.value("probes").toString()));
    if (!rd.error.isEmpty()) {
        if (error) *error = rd.error;
        return std::nullopt;
    }
    return s;
}

QJsonArray runsToJson(const std::vector<BackendRun>& list) {
    QJsonArray runs;
    for (const auto& r : list) {
        QJsonArray reps;
        for (const auto& rep : r.repetitions)
            reps.append(repetitionJson(rep));
        runs.append(QJsonObject{{"backend", QString::fromStdString(r.backend)},
                                {"family", QString::fromStdString(r.family)},
                                {"workers", r.workers},
                                {"cancelled", r.cancelled},
                                {"error", QString::fromStdString(r.error)},
                                {"summary", summaryJson(r.summary)},
                                {"repetitions", reps}});
    }
    return runs;
}

QJsonObject machineToJson(const MachineInfo& m) {
    return {{"cpu_model", QString::fromStdString(m.cpuModel)},
            {"online_cores", m.onlineCores},
            {"kernel", QString::fromStdString(m.kernel)},
            {"hostname", QString::fromStdString(m.hostname)},
            {"compiler", QString::fromStdString(m.compiler)},
            {"build_type", QString::fromStdString(m.buildType)},
            {"affinity", intArray(m.affinity)}};
}

QJsonObject toJson(const Experiment& ex) {
    QJsonArray runs = runsToJson(ex.runs);
    const QJsonArray warnings = experimentWarningsJson(ex); // files/noise_json.h
    return {{"schema", QString::fromLatin1(kResultsSchema)},
            {"conlab_version", QString::fromStdString(ex.conlabVersion)},
            {"created_utc", QString::fromStdString(ex.createdUtc)},
            {"spec", specToJson(ex.spec)},
            {"machine", machineToJson(ex.machine)},
            {"calibration", calibrationToJson(ex.calibration)},
            {"warnings", warnings},
            {"runs", runs}};
}

QByteArray toJsonBytes(const Experiment& ex, bool indented) {
    return QJsonDocument(toJson(ex)).toJson(indented ? QJsonDocument::Indented : QJsonDocument::Compact);
}

namespace {

// The document's top-level object, or an error. The text is released once parsed: a big file's
// load then holds the document, not the text too.
std::optional<QJsonObject> parseRoot(QByteArray bytes, QString* error) {
    QJsonParseError perr;
    QJsonDocument doc = QJsonDocument::fromJson(bytes, &perr);
    bytes = QByteArray();
    if (perr.error != QJsonParseError::NoError) {
        *error = QStringLiteral("not valid JSON at offset %1: %2").arg(perr.offset).arg(perr.errorString());
        return std::nullopt;
    }
    if (!doc.isObject()) {
        *error = QStringLiteral("not a conlab results file: the top level must be an object");
        return std::nullopt;
    }
    QJsonObject root = doc.object();
    doc = QJsonDocument(); // `root` is now the only owner: taking "runs" out of it copies nothing
    return root;
}

// The results of a parsed document. Its "runs" are taken out of `root` and each run released
// once read (readRuns).
LoadResult fromRoot(QJsonObject& root) {
    LoadResult out;
    if (hasNulInKeys(root)) {
        out.error = QStringLiteral("a key contains a NUL character");
        return out;
    }
    const QString schema = root.value("schema").toString();
    if (!schema.startsWith(QLatin1String("conlab.results/"))) {
        out.error = QStringLiteral("not a conlab results file: missing or unknown \"schema\" (expected %1)")
                        .arg(QLatin1String(kResultsSchema));
        return out;
    }
    bool ok = false;
    int version = schema.mid(int(qstrlen("conlab.results/"))).toInt(&ok);
    if (!ok || version < 1) {
        out.error = QStringLiteral("unknown schema version \"%1\"").arg(schema);
        return out;
    }
    if (version < kResultsSchemaVersion)
        out.note =
            QStringLiteral(
                "schema %1 (older conlab): no cpu-wait or startup phases (that time is inside the other "
                "phases), engine bookkeeping may be counted as worker ipc, and timelines cover only the "
                "first 512 intervals of the first 64 workers")
                .arg(schema);
    if (version > kResultsSchemaVersion) {
        out.error =
            QStringLiteral("this file uses schema %1, newer than this conlab understands (%2): update conlab")
                .arg(schema, QLatin1String(kResultsSchema));
        return out;
    }
    Experiment ex;
    QString specError;
    auto spec = specFromJson(root.value("spec").toObject(), &specError);
    if (!spec) {
        out.error = specError;
        return out;
    }
    ex.spec = *spec;
    ex.conlabVersion = root.value("conlab_version").toString().toStdString();
    ex.createdUtc = root.value("created_utc").toString().toStdString();
    Reader rd;
    QJsonObject m = root.value("machine").toObject();
    ex.machine.cpuModel = m.value("cpu_model").toString().toStdString();
    ex.machine.onlineCores = int(rd.num(m, "online_cores", 0, 1e6));
    ex.machine.kernel = m.value("kernel").toString().toStdString();
    ex.machine.hostname = m.value("hostname").toString().toStdString();
    ex.machine.compiler = m.value("compiler").toString().toStdString();
    ex.machine.buildType = m.value("build_type").toString().toStdString();
    ex.machine.affinity = readInts(rd, rd.arr(m, "affinity", 4096), 4095);
    QJsonObject c = root.value("calibration").toObject();
    // When present, a speed of 0 would turn every µs into 0 iterations (or a division by 0).
    ex.calibration.cpuStepsPerUs = rd.num(c, "cpu_steps_per_us", 1e-6, 1e9);
    ex.calibration.memoryVisitsPerUs = rd.num(c, "memory_visits_per_us", 1e-6, 1e9);
    ex.calibration.cpuModel = c.value("cpu_model").toString().toStdString();
    ex.calibration.build = c.value("build").toString().toStdString();
    ex.calibration.measuredAtUnix = int64_t(rd.num(c, "measured_at_unix", 0, 1e11));
    ex.calibration.fromCache = c.value("from_cache").toBool();
    ex.calibration.recalibratedReason = c.value("recalibrated_reason").toString().left(4096).toStdString();

    if (!root.value("runs").isArray()) rd.fail(QStringLiteral("missing \"runs\" array"));
    QJsonArray runs = rd.arr(root, "runs", 10000);
    root.remove(QLatin1String("runs")); // `runs` is now the only owner of the runs
    ex.runs = readRuns(rd, runs, true);
    if (QString adviceError; !adviceFromJson(root.value(QLatin1String(kAdviceKey)), out.advice, adviceError))
        rd.fail(adviceError);
    if (!rd.error.isEmpty()) {
        out.error = rd.error;
        return out;
    }
    out.experiment = std::move(ex);
    return out;
}

SweepLoad sweepFromRoot(const QJsonObject& root, const LoadResult& base);

} // namespace

LoadResult fromJsonBytes(const QByteArray& bytes) {
    LoadResult out;
    std::optional<QJsonObject> root = parseRoot(bytes, &out.error);
    return root ? fromRoot(*root) : out;
}

FileLoad fromJsonBytesWithSweep(QByteArray bytes) {
    FileLoad out;
    std::optional<QJsonObject> root = parseRoot(std::move(bytes), &out.results.error);
    if (!root) return out;
    return fromRootWithSweep(std::move(*root));
}

std::optional<QJsonObject> parseResultsRoot(QByteArray bytes, QString* error) {
    return parseRoot(std::move(bytes), error);
}

FileLoad fromRootWithSweep(QJsonObject root) {
    FileLoad out;
    out.results = fromRoot(root);
    if (out.results.experiment && root.contains(QLatin1String("sweep")))
        out.sweep = sweepFromRoot(root, out.results);
    return out;
}

LoadResult loadResultsFile(const QString& path) {
    LoadResult r;
    QByteArray bytes; // regular files only (not /dev/zero, not a FIFO), at most 1 GiB
    if (!readRegularFile(path, kMaxResultsFileBytes, &bytes, &r.error)) return r;
    r = fromJsonBytes(bytes);
    if (!r.experiment) r.error = path + ": " + r.error;
    return r;
}

FileLoad loadResultsFileWithSweep(const QString& path) {
    FileLoad out;
    QByteArray bytes;
    if (!readRegularFile(path, kMaxResultsFileBytes, &bytes, &out.results.error)) return out;
    out = fromJsonBytesWithSweep(std::move(bytes));
    if (!out.results.experiment) out.results.error = path + ": " + out.results.error;
    if (out.sweep && !out.sweep->sweep) out.sweep->error = path + ": " + out.sweep->error;
    return out;
}

SweepLoad sweepFromJsonBytes(const QByteArray& bytes) {
    FileLoad f = fromJsonBytesWithSweep(bytes);
    if (f.sweep) return std::move(*f.sweep);
    SweepLoad out;
    out.error = f.results.experiment ? QStringLiteral("not a sweep: the file has no \"sweep\" object")
                                     : f.results.error;
    return out;
}

namespace {
SweepLoad sweepFromRoot(const QJsonObject& root, const LoadResult& base) {
    SweepLoad out;
    if (!root.value("sweep").isObject()) {
        out.error = QStringLiteral("not a sweep: the file has no \"sweep\" object");
        return out;
    }
    const QJsonObject so = root.value("sweep").toObject();
    SweepResult sw;
    sw.base = base.experiment->spec;
    sw.machine = base.experiment->machine;
    sw.calibration = base.experiment->calibration;
    sw.createdUtc = base.experiment->createdUtc;
    auto param = sweepParamFromString(so.value("param").toString().toStdString());
    if (!param) {
        out.error = QStringLiteral("sweep: unknown parameter '%1'").arg(so.value("param").toString());
        return out;
    }
    sw.param = *param;
    sw.logScale = so.value("scale").toString() == QLatin1String("log");
    sw.cancelled = so.value("cancelled").toBool();
    Reader rd;
    rd.where = QStringLiteral("sweep");
    for (const auto& v : rd.arr(so, "values", 10000))
        sw.values.push_back(v.toDouble());
    for (const auto& b : rd.arr(so, "backends", 1000))
        sw.backends.push_back(b.toString().toStdString());
    const QJsonArray points = rd.arr(so, "points", 10000);
    for (qsizetype i = 0; i < points.size() && rd.error.isEmpty(); ++i) {
        const QJsonObject po = points[i].toObject();
        SweepPoint p;
        p.value = rd.num(po, "value", -1e15, 1e15, 0, true);
        QString specError;
        auto spec = specFromJson(po.value("spec").toObject(), &specError);
        if (!spec) {
            out.error = QStringLiteral("sweep point %1: %2").arg(i).arg(specError);
            return out;
        }
        p.spec = *spec;
        p.runs = readRuns(rd, rd.arr(po, "runs", 10000));
        sw.points.push_back(std::move(p));
    }
    if (!rd.error.isEmpty()) {
        out.error = rd.error;
        return out;
    }
    out.sweep = std::move(sw);
    out.extra = so;
    return out;
}
} // namespace

bool saveResultsFile(const QString& path, const Experiment& ex, QString* error) {
    return writeFileAtomically(path, toJsonBytes(ex), error);
}

} // namespace conlab
