#pragma once
// The per-lane timelines of a results file (docs/results-format.md, "lanes"), and the
// conversion of schema 1's per-worker interval prefixes into lanes.
#include "../run_result.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

namespace conlab {

QJsonArray lanesToJson(const std::vector<LaneRecord>& lanes, int64_t origin);
// Reads "lanes"; on a bad value returns false with `error` set.
bool lanesFromJson(const QJsonArray& a, std::vector<LaneRecord>& out, QString& error);
// Schema 1 kept up to 512 intervals of the first 64 workers, without spawn bars; this builds
// lanes from them (spawn bars added from the workers' timestamps).
struct V1Interval {
    int64_t startNs, endNs;
    Phase phase;
};
void lanesFromV1Workers(const std::vector<WorkerRecord>& workers,
                        const std::vector<std::vector<V1Interval>>& intervals, std::vector<LaneRecord>& out);

} // namespace conlab
