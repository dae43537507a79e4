#pragma once
// A worker's timeline in bounded memory that always covers its whole life. While the budget
// lasts, every phase interval is kept exactly; when it is full, neighbouring segments are
// merged pairwise into time buckets that keep how long each phase took inside them (never
// cut), and later intervals are appended at the coarser grain. Detail is reduced, time is
// never lost: the segments tile [first start, last end] and their phase times add up to the
// recorded totals. Plain data (trivially copyable segments) so worker processes can send it.
#include "../phase.h"

#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <vector>

namespace conlab {

struct TimelineSegment {
    int64_t startNs = 0, endNs = 0; // CLOCK_MONOTONIC
    PhaseTotals ns;                 // time of each phase inside [startNs, endNs]
    uint32_t merged = 1;            // how many recorded intervals it stands for (> 1: reduced detail)
    uint32_t reserved = 0;

    // A segment of one phase only is drawn as that phase; others as their shares.
    bool single() const;
    Phase dominant() const;
    bool reduced() const { return merged > 1; }
    bool operator==(const TimelineSegment&) const = default;
};
static_assert(std::is_trivially_copyable_v<TimelineSegment>);

class Timeline {
  public:
    static constexpr size_t kDefaultBudget = 512;
    explicit Timeline(size_t budget = 0) : m_budget(budget < 4 && budget > 0 ? 4 : budget) {}

    size_t budget() const { return m_budget; }
    bool enabled() const { return m_budget > 0; }
    // Appends [startNs, endNs] in phase p (intervals come in time order).
    void add(int64_t startNs, int64_t endNs, Phase p);
    // Moves `ns` of the time after `fromNs` into cpu-wait, from each segment in proportion to
    // its time there (exact segments are split: the cpu-wait part becomes its own segment at
    // the end of the interval it interrupted).
    void moveToCpuWait(int64_t fromNs, int64_t ns);
    // Appends a segment (possibly reduced), or another timeline (a later worker on the same
    // lane), coarsening as needed.
    void addSegment(const TimelineSegment& s);
    void append(const Timeline& later);
    void assign(std::vector<TimelineSegment> segments);

    const std::vector<TimelineSegment>& segments() const { return m_segments; }
    bool reduced() const;
    // Where detail starts being reduced (the first merged segment's start); -1 when exact.
    int64_t reducedFromNs() const;
    PhaseTotals totals() const;
    size_t size() const { return m_segments.size(); }
    bool empty() const { return m_segments.empty(); }

  private:
    void push(const TimelineSegment& s);
    void coarsen();
    size_t m_budget;
    int64_t m_grainNs = 0; // after a coarsening: the last segment absorbs intervals until this long
    std::vector<TimelineSegment> m_segments;
};

} // namespace conlab
