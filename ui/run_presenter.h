#pragma once
// The run in progress as the window's status bar shows it: the progress bar and the status line
// follow the engine's progress, and during a sweep of several points the live-throughput tab
// shows the point that runs. The window still says how a run ended (its texts depend on the
// results); this class only draws what is running.
#include "engine_controller.h"

#include <QObject>

class QLabel;
class QProgressBar;

namespace conlab::ui {

class ThroughputView;

class RunPresenter : public QObject {
    Q_OBJECT
  public:
    RunPresenter(QProgressBar* progress, QLabel* status, ThroughputView* liveThroughput, QObject* parent);

    void runStarted(const QString& statusText);
    // `severalPoints`: a real sweep, whose points arrive whole (sweepPointFinished); one value
    // is a comparison, shown like a run.
    void sweepStarted(const WorkloadSpec& base, SweepParam param, bool severalPoints,
                      const QString& statusText);
    bool showsSweepPoints() const { return m_sweepPoints; }
    void showProgress(const RunProgress& progress);
    void ended(const QString& barText); // the bar full, with `barText` ("done", "stopped: …")
    void failed();
    void idle(); // an opened file: no run to show

  private:
    QProgressBar* m_progress;
    QLabel* m_status;
    ThroughputView* m_liveThroughput;
    bool m_sweepPoints = false;
    WorkloadSpec m_sweepBase;
    SweepParam m_sweepParam = SweepParam::TaskUs;
    int m_shownPoint = -1; // the point whose live throughput is shown
};

} // namespace conlab::ui
