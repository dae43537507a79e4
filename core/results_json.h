#pragma once
// The results file (docs/results-format.md): schema "conlab.results/2" (files of schema 1
// still load, with a note on what they lack). The CLI writes it,
// the GUI saves and loads it. Uses QtCore's JSON only; no widgets.
#include "file_io.h"
#include "run_result.h"
#include "sweep.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <optional>

namespace conlab {

inline constexpr const char* kResultsSchema = "conlab.results/2";
inline constexpr int kResultsSchemaVersion = 2;

QJsonObject toJson(const Experiment& ex);
QByteArray toJsonBytes(const Experiment& ex, bool indented = true);

struct LoadResult {
    std::optional<Experiment> experiment;
    QString error;                   // set when experiment is empty: what is wrong and where
    QString note;                    // set for files of an older schema: what they lack
    std::vector<std::string> advice; // `--advise` lines saved with the results (files/advice_json.h)
};
// Parses and validates a results document; refuses newer schema versions and hostile values.
LoadResult fromJsonBytes(const QByteArray& bytes);
// Reads a regular file of at most kMaxResultsFileBytes (refuses FIFOs, devices, /dev/zero).
LoadResult loadResultsFile(const QString& path);
inline constexpr qint64 kMaxResultsFileBytes = qint64(1) << 30;
// Atomic write (temporary file + rename): an existing file is never left half-written.
bool saveResultsFile(const QString& path, const Experiment& ex, QString* error);
// writeFileAtomically, the write behind every file conlab saves, is in file_io.h.

// Sweeps extend the results file with a "sweep" object (docs/results-format.md); `extra`
// adds fields to it (e.g. a lesson's name and verdict).
QJsonObject sweepToJson(const SweepResult& sweep, const std::vector<BreakEven>& breakEven,
                        const QJsonObject& extra = {});
struct SweepLoad {
    std::optional<SweepResult> sweep;
    QJsonObject extra; // the whole "sweep" object, for fields such as a lesson verdict
    QString error;
};
SweepLoad sweepFromJsonBytes(const QByteArray& bytes);

// A file's results and, when it has a "sweep" object, its sweep, from one parse. `bytes` is
// released once parsed and each run once read, so that the text, Qt's document and the results
// are not all held at once; the peak is the parse's (text + document: ~5.7x a 138 MB file's
// size, docs/reliability.md has the command).
struct FileLoad {
    LoadResult results;
    std::optional<SweepLoad> sweep; // only for a file with a "sweep" object
};
FileLoad fromJsonBytesWithSweep(QByteArray bytes);
// The same from a file read like loadResultsFile; both errors start with the path.
FileLoad loadResultsFileWithSweep(const QString& path);
// The two halves of fromJsonBytesWithSweep, for documents that hold results documents (a sweep
// map's rows, core/sweep_map/sweep_map_json.h): the top-level object, then its results and sweep.
std::optional<QJsonObject> parseResultsRoot(QByteArray bytes, QString* error);
FileLoad fromRootWithSweep(QJsonObject root);

QJsonArray runsToJson(const std::vector<BackendRun>& runs);
QJsonObject specToJson(const WorkloadSpec& spec);
QJsonObject machineToJson(const MachineInfo& machine);
std::optional<WorkloadSpec> specFromJson(const QJsonObject& o, QString* error);

} // namespace conlab
