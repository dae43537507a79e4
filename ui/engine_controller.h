#pragma once
// The bridge between the engine and the widgets (in the spirit of KDAB hotspot's PerfParser +
// JobTracker): Engine::run executes on a worker QThread; the EngineObserver callbacks only
// queue value-typed events under a short lock, and the GUI thread drains that queue at
// ~30 Hz, emitting the signals below in engine order. Every run has an id; events of a
// discarded run are dropped, so a late result never overwrites a newer one.
#include "engine.h"
#include "lesson_runner.h"
#include "run_result.h"
#include "sweep.h"

#include <QMetaType>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <memory>
#include <optional>

class QThread;

namespace conlab::ui {

struct RunProgress {
    QString backend;
    int backendIndex = 0, backendCount = 0;
    int repetition = 0, repetitionCount = 0; // warmups included
    bool warmup = false;
    qint64 tasksDone = 0, tasksPerRepetition = 0; // of the current repetition
    qint64 overallDone = 0, overallTotal = 0;     // task units over the whole run
    double throughput = 0;                        // tasks/s of the last snapshot window
    double elapsedS = 0;
    double etaS = -1; // -1 while unknown
    // Sweeps: the point in progress (0-based) of sweepPointCount; -1 / 0 for a plain run.
    int sweepPoint = -1, sweepPointCount = 0;
    double sweepValue = 0;
};

class EngineController : public QObject {
    Q_OBJECT
  public:
    static constexpr int kFlushIntervalMs = 33; // ~30 Hz to the widgets

    explicit EngineController(QObject* parent = nullptr);
    ~EngineController() override; // cancels and joins every run thread

    bool isRunning() const { return m_state != nullptr; }
    quint64 currentRunId() const { return m_currentId; }
    void setSnapshotIntervalMs(int ms) { m_snapshotMs = ms; }
    // The engine thread (and every thread and process the backends create from it) runs this
    // many nice levels below the GUI, so a saturating workload cannot starve the event loop.
    // It only matters when the CPUs are oversubscribed; 0 runs at the GUI's priority.
    static constexpr int kDefaultEngineNice = 5;
    void setEngineNice(int levels) { m_engineNice = levels; }

    // Starts a run on a worker thread. Refuses (false, *error set) when a run is active, the
    // spec is invalid or a backend id is unknown.
    bool start(const WorkloadSpec& spec, const QStringList& backends, QString* error = nullptr);
    // Starts a sweep (conlab::runSweep) on a worker thread: every backend at each value of
    // `param`. Each finished point arrives through sweepPointFinished(); stop() keeps the
    // finished points (sweepFinished() with cancelled set). Refuses like start(), and also
    // when a value makes the spec invalid.
    bool startSweep(const WorkloadSpec& base, SweepParam param, const std::vector<double>& values,
                    bool logScale, const QStringList& backends, QString* error = nullptr);
    bool isSweep() const { return m_state && m_sweepMode; }
    // Runs a lesson until its verdict is clear (conlab::runLesson): like a sweep of the lesson's
    // values, its backends interleaved; retries add repetitions (the progress total grows).
    // sweepFinished() carries the merged result; lessonVerdict() then holds its verdict.
    bool startLesson(const Lesson& lesson, const LessonRunOptions& options, QString* error = nullptr);
    // The verdict of the last lesson that finished (nullopt after a plain sweep or run).
    const std::optional<LessonVerdict>& lessonVerdict() const { return m_lessonVerdict; }

  public slots:
    // Cancels the run (the engine stops within ~200 ms); the partial result still arrives
    // through finished(), with the cancelled flags set.
    void stop();
    // Cancels and forgets the run: nothing it produces is delivered any more.
    void discard();

  signals:
    void started(quint64 runId);
    void runningChanged(bool running);
    void backendStarted(const QString& backend, int index, int count);
    void repetitionStarted(const QString& backend, int repetition, bool warmup);
    void snapshotAvailable(const QString& backend, int repetition, const conlab::Snapshot& snapshot);
    void progress(const conlab::ui::RunProgress& progress);
    // A backend finished: `run`, and the experiment so far — the spec (of the point, in a
    // sweep) and every backend finished since the run (or point) started, in finishing order,
    // speedups computed over them. Speedups of earlier backends appear when sequential
    // finishes after them, so the views redraw from `experimentSoFar`, not from `run` alone.
    void backendFinished(const conlab::BackendRun& run, const conlab::Experiment& experimentSoFar);
    void finished(const conlab::Experiment& experiment);
    // Sweeps: the sweep so far after each finished point (its last point is the new one),
    // then the whole result (finished() is not emitted for sweeps).
    void sweepPointFinished(const conlab::SweepResult& sweepSoFar);
    void sweepFinished(const conlab::SweepResult& sweep);
    void failed(const QString& message);

  private slots:
    void flush();

  private:
    struct RunState;
    class Observer;
    void finishRun();
    bool launch(std::shared_ptr<RunState> state, QString* error);
    bool launchSweep(const WorkloadSpec& base, SweepParam param, const std::vector<double>& values,
                     bool logScale, const QStringList& backends, const Lesson* lesson,
                     const LessonRunOptions& lessonOptions, QString* error);

    std::shared_ptr<RunState> m_state; // the active run (null when idle)
    quint64 m_nextId = 1, m_currentId = 0;
    QList<QPointer<QThread>> m_threads; // joined in the destructor, including discarded runs
    QTimer m_flushTimer;
    int m_snapshotMs = 50;
    int m_engineNice = kDefaultEngineNice;
    RunProgress m_progress;
    qint64 m_unitsDone = 0;
    bool m_sweepMode = false;
    std::vector<qint64> m_pointTasks; // sweeps: tasks per repetition at each point
    qint64 m_pointBase = 0;           // sweeps: task units of the points before the current one
    // Task units done at the current point per backend index: repetitions may alternate
    // between backends (WorkloadSpec::interleave), so progress is counted per backend.
    std::vector<qint64> m_backendUnits;
    std::optional<LessonVerdict> m_lessonVerdict;
    Experiment m_experimentSoFar; // what backendFinished carries; restarts at every sweep point
};

} // namespace conlab::ui

Q_DECLARE_METATYPE(conlab::Snapshot)
Q_DECLARE_METATYPE(conlab::BackendRun)
Q_DECLARE_METATYPE(conlab::Experiment)
Q_DECLARE_METATYPE(conlab::ui::RunProgress)
Q_DECLARE_METATYPE(conlab::SweepResult)
