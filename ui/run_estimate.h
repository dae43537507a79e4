#pragma once
// Before Run: a rough duration ("about 20 s") and the sanity warnings that deserve a
// confirmation (a run of hours, a timeout shorter than a task, far more workers than cores,
// millions of processes). Rough on purpose: it orders of magnitude right, not seconds.
#include "workload_spec.h"

#include <QString>
#include <QStringList>

namespace conlab::ui {

// Expected wall time of running `backends` one after another on `cores` cores, in seconds.
double estimateRunSeconds(const WorkloadSpec& spec, const QStringList& backends, int cores);
// "about 20 s", "about 3 min", "about 2 h".
QString formatEstimate(double seconds);
// Reasons to ask before running (empty: none).
QStringList sanityWarnings(const WorkloadSpec& spec, const QStringList& backends, int cores);

} // namespace conlab::ui
