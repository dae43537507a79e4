#pragma once
// The sweep-map file (docs/results-format.md, "sweep_map"): a results document of the map's
// base spec whose "sweep_map" object holds one ordinary sweep object per row, so each row
// loads, and is checked, exactly as a sweep file does.
#include "sweep_map.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <optional>

namespace conlab {

QJsonObject sweepMapToJson(const SweepMap& map);

struct SweepMapLoad {
    std::optional<SweepMap> map;
    QString error; // what is wrong and where (the row), when map is empty
};
// nullopt when the document is not a map (no "sweep_map" object): load it as results or sweep.
std::optional<SweepMapLoad> sweepMapFromJsonBytes(const QByteArray& bytes);
// The same from a file (regular files of at most kMaxResultsFileBytes); errors start with the
// path. nullopt also when the file cannot be read (readError says why) — a file without the
// text "sweep_map" is not parsed at all.
std::optional<SweepMapLoad> loadSweepMapFile(const QString& path, QString* readError);

} // namespace conlab
