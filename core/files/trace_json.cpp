#include "trace_json.h"

#include "../results_json.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <algorithm>
#include <map>
#include <set>

namespace conlab {

std::vector<PhaseInterval> laneIntervals(const LaneRecord& lane) {
    std::vector<PhaseInterval> out;
    out.reserve(lane.timeline.size() + 8);
    for (const TimelineSegment& s : lane.timeline.segments()) {
        if (s.single() && !s.reduced()) {
            out.push_back({s.startNs, s.endNs, s.dominant()});
            continue;
        }
        const double total = double(std::max<int64_t>(1, s.ns.total()));
        const double span = double(s.endNs - s.startNs);
        double t = double(s.startNs);
        for (Phase p : kAllPhases) {
            if (s.ns[p] <= 0) continue;
            const double len = span * double(s.ns[p]) / total;
            out.push_back({int64_t(t), int64_t(t + len), p});
            t += len;
        }
    }
    return out;
}

namespace {

bool runsInWorkerProcesses(const BackendRun& run) {
    return run.family == "processes" || run.family == "python";
}

// The worker record of `lane` whose life [request, reaped] holds time t, if it names its OS ids.
const WorkerRecord* workerRecordAt(const RepetitionResult& rep, int lane, int64_t t) {
    for (const WorkerRecord& w : rep.workers)
        if (w.lane == lane && w.osPid > 0 && w.osTid > 0 && t >= w.tRequestNs && t <= w.tReapedNs) return &w;
    return nullptr;
}

struct TraceTrack {
    std::set<std::string> names; // what ran on it: "thread-pool rep 1 lane 0", …
    int sortIndex = -1;          // Perfetto's order: the first backend or lane that used it
};

std::string joinedNames(const std::set<std::string>& names) {
    std::string out;
    for (const auto& n : names)
        out += (out.empty() ? "" : ", ") + n;
    return out;
}

} // namespace

QByteArray buildChromeTrace(const Experiment& ex) {
    QJsonArray events;
    std::map<int64_t, TraceTrack> processes;                   // pid → names
    std::map<std::pair<int64_t, int64_t>, TraceTrack> threads; // (pid, tid) → names
    int64_t nextStandIn = kStandInIdBase;
    double offsetUs = 0; // where the next repetition starts in the trace
    for (int b = 0; b < int(ex.runs.size()); ++b) {
        const BackendRun& run = ex.runs[size_t(b)];
        const std::string kind = runsInWorkerProcesses(run) ? "worker process" : "threads";
        for (const RepetitionResult& rep : run.repetitions) {
            const std::string repName = (rep.warmup ? " warmup " : " rep ") + std::to_string(rep.index + 1);
            // A lane without OS ids: one stand-in process per backend, one thread per lane.
            const int64_t standInPid = nextStandIn;
            bool usedStandIn = false;
            int64_t repEndNs = rep.startNs + int64_t(rep.wallS * 1e9);
            for (const LaneRecord& lane : rep.lanes) {
                const std::string laneName = run.backend + repName + " lane " + std::to_string(lane.lane);
                const int64_t standInTid = standInPid + 1 + lane.lane;
                for (const PhaseInterval& iv : laneIntervals(lane)) {
                    const WorkerRecord* w = workerRecordAt(rep, lane.lane, iv.startNs);
                    const int64_t pid = w ? w->osPid : standInPid, tid = w ? w->osTid : standInTid;
                    usedStandIn = usedStandIn || !w;
                    TraceTrack& process = processes[pid];
                    process.names.insert(w ? (runsInWorkerProcesses(run) ? run.backend + " worker process"
                                                                         : std::string("conlab"))
                                           : run.backend + " (ids not recorded)");
                    if (process.sortIndex < 0) process.sortIndex = b;
                    TraceTrack& thread = threads[{pid, tid}];
                    thread.names.insert(laneName);
                    if (thread.sortIndex < 0) thread.sortIndex = lane.lane;
                    repEndNs = std::max(repEndNs, iv.endNs);
                    const double ts = offsetUs + double(std::max<int64_t>(0, iv.startNs - rep.startNs)) / 1e3;
                    const double dur = std::max(0.0, double(iv.endNs - iv.startNs) / 1e3);
                    events.append(
                        QJsonObject{{"name", QString::fromLatin1(phaseName(iv.phase))},
                                    {"cat", "phase"},
                                    {"ph", "X"},
                                    {"ts", ts},
                                    {"dur", dur},
                                    {"pid", qint64(pid)},
                                    {"tid", qint64(tid)},
                                    {"args", QJsonObject{{"backend", QString::fromStdString(run.backend)},
                                                         {"repetition", rep.index + 1},
                                                         {"warmup", rep.warmup},
                                                         {"lane", lane.lane},
                                                         {"kind", QString::fromStdString(kind)}}}});
                }
            }
            if (usedStandIn) nextStandIn += 1 + int64_t(std::max<size_t>(rep.lanes.size(), 1)) + 1024;
            offsetUs += double(std::max<int64_t>(0, repEndNs - rep.startNs)) / 1e3 + 1000; // 1 ms gap
        }
    }
    for (const auto& [pid, track] : processes) {
        const std::string name = joinedNames(track.names) + " (pid " + std::to_string(pid) + ")";
        events.append(QJsonObject{{"name", "process_name"},
                                  {"ph", "M"},
                                  {"pid", qint64(pid)},
                                  {"args", QJsonObject{{"name", QString::fromStdString(name)}}}});
        events.append(QJsonObject{{"name", "process_sort_index"},
                                  {"ph", "M"},
                                  {"pid", qint64(pid)},
                                  {"args", QJsonObject{{"sort_index", track.sortIndex}}}});
    }
    for (const auto& [ids, track] : threads) {
        const std::string name = joinedNames(track.names) + " (tid " + std::to_string(ids.second) + ")";
        events.append(QJsonObject{{"name", "thread_name"},
                                  {"ph", "M"},
                                  {"pid", qint64(ids.first)},
                                  {"tid", qint64(ids.second)},
                                  {"args", QJsonObject{{"name", QString::fromStdString(name)}}}});
        events.append(QJsonObject{{"name", "thread_sort_index"},
                                  {"ph", "M"},
                                  {"pid", qint64(ids.first)},
                                  {"tid", qint64(ids.second)},
                                  {"args", QJsonObject{{"sort_index", track.sortIndex}}}});
    }
    QJsonObject doc{{"traceEvents", events},
                    {"displayTimeUnit", "ms"},
                    {"otherData", QJsonObject{{"generator", QStringLiteral("conlab " CONLAB_VERSION)},
                                              {"spec", specToJson(ex.spec)},
                                              {"created_utc", QString::fromStdString(ex.createdUtc)}}}};
    return QJsonDocument(doc).toJson(QJsonDocument::Compact);
}

} // namespace conlab
