#include "results_lanes.h"

#include "../clock.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace conlab {

namespace {
constexpr double kMaxLaneSeconds = 1e9;
constexpr qsizetype kMaxLanes = 4096, kMaxSegments = 1 << 20;

QJsonObject phasesObject(const PhaseTotals& p) {
    QJsonObject o;
    for (Phase ph : kAllPhases)
        o[QString::fromLatin1(phaseKey(ph)) + QStringLiteral("_s")] = nsToSeconds(p[ph]);
    return o;
}

bool secondsOk(double v, bool signedOk) {
    return std::isfinite(v) && std::abs(v) <= kMaxLaneSeconds && (signedOk || v >= 0);
}
} // namespace

QJsonArray lanesToJson(const std::vector<LaneRecord>& lanes, int64_t origin) {
    QJsonArray out;
    for (const auto& l : lanes) {
        QJsonArray segs;
        for (const auto& s : l.timeline.segments()) {
            QJsonArray e{nsToSeconds(s.startNs - origin), nsToSeconds(s.endNs - origin)};
            if (s.single() && !s.reduced()) {
                e.append(int(s.dominant()));
            } else {
                // A reduced segment: -1, then the seconds of every phase inside it.
                e.append(-1);
                QJsonArray sh;
                for (auto v : s.ns.ns)
                    sh.append(nsToSeconds(v));
                e.append(sh);
                e.append(qint64(s.merged));
            }
            segs.append(e);
        }
        const int64_t reducedFrom = l.timeline.reducedFromNs();
        out.append(
            QJsonObject{{"lane", l.lane},
                        {"workers", qint64(l.workers)},
                        {"tasks", qint64(l.tasks)},
                        {"t_first_request_s", nsToSeconds(l.tFirstRequestNs - origin)},
                        {"t_last_reaped_s", nsToSeconds(l.tLastReapedNs - origin)},
                        {"phases", phasesObject(l.phases)},
                        {"reduced_from_s", reducedFrom < 0 ? QJsonValue(QJsonValue::Null)
                                                           : QJsonValue(nsToSeconds(reducedFrom - origin))},
                        {"segments", segs}});
    }
    return out;
}

bool lanesFromJson(const QJsonArray& a, std::vector<LaneRecord>& out, QString& error) {
    if (a.size() > kMaxLanes) {
        error =
            QStringLiteral("field 'lanes' has %1 entries (at most %2 allowed)").arg(a.size()).arg(kMaxLanes);
        return false;
    }
    for (qsizetype i = 0; i < a.size(); ++i) {
        const QJsonObject o = a[i].toObject();
        auto bad = [&](const QString& what) {
            error = QStringLiteral("lanes[%1]: %2").arg(i).arg(what);
            return false;
        };
        LaneRecord l;
        const double lane = o.value("lane").toDouble(-1), workers = o.value("workers").toDouble(-1),
                     tasks = o.value("tasks").toDouble(-1);
        if (lane < 0 || lane > 1e6 || lane != std::floor(lane)) return bad(QStringLiteral("bad lane number"));
        if (workers < 0 || workers > 1e12 || tasks < 0 || tasks > 1e12)
            return bad(QStringLiteral("bad counts"));
        l.lane = int(lane);
        l.workers = int64_t(workers);
        l.tasks = int64_t(tasks);
        const double t0 = o.value("t_first_request_s").toDouble(NAN),
                     t1 = o.value("t_last_reaped_s").toDouble(NAN);
        // Times since the repetition started: never negative.
        if (!secondsOk(t0, false) || !secondsOk(t1, false) || t1 < t0)
            return bad(QStringLiteral("bad lane times"));
        l.tFirstRequestNs = int64_t(t0 * 1e9);
        l.tLastReapedNs = int64_t(t1 * 1e9);
        const QJsonObject ph = o.value("phases").toObject();
        for (Phase p : kAllPhases) {
            const double v = ph.value(QString::fromLatin1(phaseKey(p)) + QStringLiteral("_s")).toDouble(0);
            if (!secondsOk(v, false)) return bad(QStringLiteral("bad phase time"));
            l.phases[p] = int64_t(v * 1e9);
        }
        const QJsonArray segs = o.value("segments").toArray();
        if (segs.size() > kMaxSegments) return bad(QStringLiteral("too many segments"));
        std::vector<TimelineSegment> v;
        v.reserve(size_t(segs.size()));
        double lastEnd = -kMaxLaneSeconds;
        for (const auto& sv : segs) {
            const QJsonArray e = sv.toArray();
            const double a0 = e.at(0).toDouble(NAN), a1 = e.at(1).toDouble(NAN);
            const double p = e.at(2).toDouble(-2);
            if (!secondsOk(a0, false) || !secondsOk(a1, false) || a1 < a0 || a0 < lastEnd - 1e-9)
                return bad(QStringLiteral("bad timeline segment"));
            lastEnd = a1;
            TimelineSegment s;
            s.startNs = int64_t(a0 * 1e9);
            s.endNs = int64_t(a1 * 1e9);
            if (e.size() == 3 && p >= 0 && p < kPhaseCount && p == std::floor(p)) {
                s.ns[Phase(int(p))] = s.endNs - s.startNs;
            } else if (e.size() == 5 && p == -1 && e.at(3).toArray().size() == kPhaseCount) {
                const QJsonArray sh = e.at(3).toArray();
                for (int k = 0; k < kPhaseCount; ++k) {
                    const double x = sh.at(k).toDouble(-1);
                    if (!secondsOk(x, false) || x > (a1 - a0) * 1.001 + 1e-9)
                        return bad(QStringLiteral("bad timeline segment share"));
                    s.ns.ns[size_t(k)] = int64_t(x * 1e9);
                }
                const double merged = e.at(4).toDouble(0);
                if (merged < 1 || merged > 1e12) return bad(QStringLiteral("bad timeline segment count"));
                s.merged = uint32_t(std::min(merged, 4e9));
            } else {
                return bad(QStringLiteral("bad timeline segment"));
            }
            v.push_back(s);
        }
        l.timeline = Timeline(std::max<size_t>(4, v.size()));
        l.timeline.assign(std::move(v));
        out.push_back(std::move(l));
    }
    return true;
}

void lanesFromV1Workers(const std::vector<WorkerRecord>& workers,
                        const std::vector<std::vector<V1Interval>>& intervals, std::vector<LaneRecord>& out) {
    std::map<int, LaneRecord> lanes;
    for (size_t i = 0; i < workers.size(); ++i) {
        const WorkerRecord& w = workers[i];
        LaneRecord& l = lanes[w.lane];
        if (l.workers == 0) {
            l.lane = w.lane;
            l.tFirstRequestNs = w.tRequestNs;
            l.timeline = Timeline(4096);
        }
        ++l.workers;
        l.tasks += w.tasks;
        for (Phase p : kAllPhases) // saturating: a file's worker times may each be at the limit
            l.phases[p] = std::min(l.phases[p] + w.phases[p], int64_t(kMaxLaneSeconds * 1e9));
        l.tLastReapedNs = std::max(l.tLastReapedNs, w.tReapedNs);
        // A schema-1 file lists each worker's pieces separately; the lane's timeline needs them
        // in order and after the repetition's start (what a schema-2 file must hold). A piece
        // reaching back before what is already drawn is clipped there: the timeline is drawn
        // from the file, while the phase totals above come from its own fields.
        int64_t drawnUntil = 0;
        if (!l.timeline.segments().empty()) drawnUntil = l.timeline.segments().back().endNs;
        auto draw = [&](int64_t a, int64_t b, Phase p) {
            a = std::max(a, drawnUntil);
            if (b <= a) return;
            l.timeline.add(a, b, p);
            drawnUntil = b;
        };
        draw(w.tRequestNs, w.tReadyNs, Phase::Spawn);
        if (i < intervals.size())
            for (const auto& iv : intervals[i])
                draw(iv.startNs, iv.endNs, iv.phase);
        if (w.tReapedNs > w.tDoneNs) draw(w.tDoneNs, w.tReapedNs, Phase::Spawn);
    }
    for (auto& [_, l] : lanes) {
        l.tFirstRequestNs = std::max<int64_t>(0, l.tFirstRequestNs); // as the timeline above
        l.tLastReapedNs = std::max(l.tLastReapedNs, l.tFirstRequestNs);
        out.push_back(std::move(l));
    }
}

} // namespace conlab
