#pragma once
// An experiment's worker timelines as Chrome trace-event JSON (Perfetto, chrome://tracing):
// `conlab trace` and the GUI's trace export. Qt Core only.
//
// Each phase interval of a worker lane is one complete ("X") event on the OS process and thread
// that ran it: a thread backend's lanes are threads of conlab's process, a process backend's
// lanes are its worker processes (WorkerRecord::osPid/osTid, docs/measurement.md). Where no
// worker record says which process or thread it was (library lanes, python workers, workers past
// the first RunContext::kDetailedWorkers, older files), the lane gets a stand-in id above the
// kernel's largest pid, named as such. Backends and repetitions are laid end to end, in run
// order, 1 ms apart (files keep times relative to each repetition's start). Metadata events
// (process_name, thread_name, sort indexes) name every pid and tid used.
#include "../phase.h"
#include "../run_result.h"

#include <QByteArray>
#include <vector>

namespace conlab {

QByteArray buildChromeTrace(const Experiment& ex);

// A lane's timeline as phase intervals: single-phase segments as they are, reduced or mixed
// segments split in proportion to their phases (the GUI's timeline bars are these).
std::vector<PhaseInterval> laneIntervals(const LaneRecord& lane);

// Stand-in ids start here: above Linux's largest pid (PID_MAX_LIMIT, 2^22), never a real one.
inline constexpr int64_t kStandInIdBase = int64_t(1) << 23;

} // namespace conlab
