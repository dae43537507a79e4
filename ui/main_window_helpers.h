#pragma once
// Small helpers shared by the MainWindow parts (ui/main_window*.cpp); not a public API.
#include "run_result.h"

#include <QString>
#include <QUrl>
#include <QtMath>

namespace conlab::ui::detail {

inline constexpr int kMaxRecent = 8;

// "12 s", "3 min 5 s"; "…" while unknown.
inline QString formatEta(double s) {
    if (s < 0) return QStringLiteral("…");
    if (s < 60) return QStringLiteral("%1 s").arg(qCeil(s));
    return QStringLiteral("%1 min %2 s").arg(int(s) / 60).arg(int(s) % 60);
}

inline bool isResultsFile(const QUrl& url) {
    return url.isLocalFile() && url.toLocalFile().endsWith(QLatin1String(".json"), Qt::CaseInsensitive);
}

// Worth an autosave: a run that finished (also with errors), or a stopped one with tasks done.
inline bool hasFinishedResults(const Experiment& ex) {
    for (const BackendRun& r : ex.runs) {
        if (!r.cancelled) return true;
        for (const RepetitionResult& rep : r.repetitions)
            if (rep.tasksDone > 0) return true;
    }
    return false;
}

} // namespace conlab::ui::detail
