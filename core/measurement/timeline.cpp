#include "timeline.h"

#include <algorithm>

namespace conlab {

bool TimelineSegment::single() const {
    int phases = 0;
    for (auto v : ns.ns)
        phases += v > 0 ? 1 : 0;
    return phases <= 1;
}

Phase TimelineSegment::dominant() const {
    Phase best = Phase::Idle;
    int64_t most = -1;
    for (Phase p : kAllPhases)
        if (ns[p] > most) {
            most = ns[p];
            best = p;
        }
    return best;
}

void Timeline::add(int64_t startNs, int64_t endNs, Phase p) {
    if (!enabled() || endNs <= startNs) return;
    if (!m_segments.empty()) {
        TimelineSegment& last = m_segments.back();
        // The same phase, contiguous: extends an exact segment.
        if (last.endNs == startNs && !last.reduced() && last.single() && last.ns[p] > 0) {
            last.endNs = endNs;
            last.ns[p] += endNs - startNs;
            return;
        }
        // At a reduced grain, a bucket shorter than the grain absorbs what follows (also across
        // a gap between two workers of a lane: the gap is in no phase).
        if (m_grainNs > 0 && last.endNs <= startNs && startNs - last.startNs < m_grainNs) {
            ++last.merged;
            last.endNs = endNs;
            last.ns[p] += endNs - startNs;
            return;
        }
    }
    TimelineSegment s;
    s.startNs = startNs;
    s.endNs = endNs;
    s.ns[p] = endNs - startNs;
    push(s);
}

void Timeline::push(const TimelineSegment& s) {
    if (m_segments.size() >= m_budget) coarsen();
    m_segments.push_back(s);
}

void Timeline::coarsen() {
    // Pairwise merge: half the segments, twice the grain; the time of each phase is kept.
    std::vector<TimelineSegment> out;
    out.reserve(m_budget);
    for (size_t i = 0; i < m_segments.size(); i += 2) {
        TimelineSegment s = m_segments[i];
        if (i + 1 < m_segments.size()) {
            const TimelineSegment& b = m_segments[i + 1];
            s.endNs = b.endNs;
            s.ns += b.ns;
            s.merged += b.merged;
        }
        out.push_back(s);
    }
    m_segments.swap(out);
    if (!m_segments.empty()) {
        const int64_t span = m_segments.back().endNs - m_segments.front().startNs;
        m_grainNs = std::max<int64_t>(m_grainNs * 2, span / int64_t(std::max<size_t>(1, m_segments.size())));
    }
}

void Timeline::moveToCpuWait(int64_t fromNs, int64_t ns) {
    if (!enabled() || ns <= 0 || m_segments.empty()) return;
    // The segments after fromNs (a few at the end) and how much of them is not cpu-wait yet.
    size_t first = m_segments.size();
    int64_t window = 0;
    while (first > 0 && m_segments[first - 1].endNs > fromNs) {
        --first;
        const auto& s = m_segments[first];
        window += (s.ns.total() - s.ns[Phase::CpuWait]);
    }
    if (window <= 0) return;
    ns = std::min(ns, window);
    std::vector<TimelineSegment> tail(m_segments.begin() + std::ptrdiff_t(first), m_segments.end());
    m_segments.resize(first);
    int64_t left = ns, weightLeft = window;
    for (TimelineSegment s : tail) {
        const int64_t weight = s.ns.total() - s.ns[Phase::CpuWait];
        const int64_t take = weightLeft > 0 ? int64_t(double(left) * double(weight) / double(weightLeft)) : 0;
        left -= take;
        weightLeft -= weight;
        if (take <= 0) {
            push(s);
            continue;
        }
        if (s.single() && !s.reduced()) {
            // [start, end − take] keeps its phase, [end − take, end] is cpu-wait.
            const Phase p = s.dominant();
            TimelineSegment head = s, waitPart = s;
            head.endNs = s.endNs - take;
            head.ns = {};
            head.ns[p] = s.ns[p] - take;
            waitPart.startNs = head.endNs;
            waitPart.ns = {};
            waitPart.ns[Phase::CpuWait] = take;
            if (head.endNs > head.startNs) push(head);
            push(waitPart);
            continue;
        }
        // A reduced bucket: move time between its shares, in proportion.
        int64_t rest = take;
        const int64_t w = weight;
        for (Phase p : kAllPhases) {
            if (p == Phase::CpuWait || s.ns[p] <= 0) continue;
            const int64_t part =
                std::min<int64_t>(s.ns[p], int64_t(double(take) * double(s.ns[p]) / double(w)));
            s.ns[p] -= part;
            rest -= part;
            s.ns[Phase::CpuWait] += part;
        }
        for (Phase p : kAllPhases) { // rounding remainder
            if (rest <= 0) break;
            if (p == Phase::CpuWait) continue;
            const int64_t part = std::min(rest, s.ns[p]);
            s.ns[p] -= part;
            s.ns[Phase::CpuWait] += part;
            rest -= part;
        }
        push(s);
    }
}

void Timeline::addSegment(const TimelineSegment& s) {
    if (!enabled() || s.endNs <= s.startNs) return;
    if (s.single() && !s.reduced()) {
        add(s.startNs, s.endNs, s.dominant());
        return;
    }
    if (!m_segments.empty() && m_grainNs > 0 && m_segments.back().endNs <= s.startNs &&
        s.startNs - m_segments.back().startNs < m_grainNs) {
        TimelineSegment& last = m_segments.back();
        last.endNs = s.endNs;
        last.ns += s.ns;
        last.merged += s.merged;
        return;
    }
    push(s);
}

void Timeline::append(const Timeline& later) {
    for (const auto& s : later.segments())
        addSegment(s);
}

void Timeline::assign(std::vector<TimelineSegment> segments) {
    m_segments = std::move(segments);
    while (m_budget > 0 && m_segments.size() > m_budget)
        coarsen();
}

bool Timeline::reduced() const {
    return std::any_of(m_segments.begin(), m_segments.end(), [](const auto& s) { return s.reduced(); });
}

int64_t Timeline::reducedFromNs() const {
    for (const auto& s : m_segments)
        if (s.reduced()) return s.startNs;
    return -1;
}

PhaseTotals Timeline::totals() const {
    PhaseTotals t;
    for (const auto& s : m_segments)
        t += s.ns;
    return t;
}

} // namespace conlab
