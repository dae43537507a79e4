#include "engine_controller.h"

#include "calibration.h"

#include <QElapsedTimer>
#include <QThread>
#include <algorithm>
#include <cerrno>
#include <mutex>
#include <optional>
#include <pthread.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include <variant>

namespace conlab::ui {

// Named, not anonymous: RunState (declared in the header) queues them.
namespace controller_events {
struct EvBackendStarted {
    std::string backend;
    int index, count;
};
struct EvRepStarted {
    std::string backend;
    int rep;
    bool warmup;
};
struct EvSnapshot {
    std::string backend;
    int rep;
    Snapshot s;
};
struct EvRepFinished {
    std::string backend;
    int rep;
};
struct EvBackendFinished {
    BackendRun run;
};
struct EvFinished {
    Experiment ex;
};
struct EvFailed {
    std::string message;
};
struct EvPoint {
    SweepResult soFar;
};
struct EvSweepFinished {
    SweepResult sweep;
    std::optional<LessonVerdict> verdict; // lessons
};
struct EvRetry { // a lesson adds repetitions to every backend and point
    int repetitions;
};
using Event = std::variant<EvBackendStarted, EvRepStarted, EvSnapshot, EvRepFinished, EvBackendFinished,
                           EvFinished, EvFailed, EvPoint, EvSweepFinished, EvRetry>;
} // namespace controller_events
using namespace controller_events;

struct EngineController::RunState {
    quint64 id = 0;
    WorkloadSpec spec;
    std::vector<std::string> backends;
    bool sweep = false;
    SweepParam param = SweepParam::TaskUs;
    std::vector<double> values;
    bool logScale = false;
    const Lesson* lesson = nullptr; // lessons (static storage: core/lessons.h)
    LessonRunOptions lessonOptions;
    CancelToken cancel;
    std::mutex mutex;
    std::vector<Event> queue;
    QElapsedTimer clock;

    void push(Event e) {
        std::lock_guard lock(mutex);
        queue.push_back(std::move(e));
    }
};

// Runs on engine threads: copies values into the queue and returns at once.
class EngineController::Observer final : public EngineObserver {
  public:
    explicit Observer(RunState& state) : m_state(state) {}
    void backendStarted(const std::string& backend, int index, int count) override {
        m_state.push(EvBackendStarted{backend, index, count});
    }
    void repetitionStarted(const std::string& backend, int rep, bool warmup) override {
        m_state.push(EvRepStarted{backend, rep, warmup});
    }
    void snapshot(const std::string& backend, int rep, const Snapshot& s) override {
        m_state.push(EvSnapshot{backend, rep, s});
    }
    void repetitionFinished(const std::string& backend, const RepetitionResult& r) override {
        m_state.push(EvRepFinished{backend, r.index});
    }
    void backendFinished(const BackendRun& run) override { m_state.push(EvBackendFinished{run}); }

  private:
    RunState& m_state;
};

EngineController::EngineController(QObject* parent) : QObject(parent) {
    qRegisterMetaType<conlab::Snapshot>();
    qRegisterMetaType<conlab::BackendRun>();
    qRegisterMetaType<conlab::Experiment>();
    qRegisterMetaType<conlab::ui::RunProgress>();
    qRegisterMetaType<conlab::SweepResult>();
    m_flushTimer.setInterval(kFlushIntervalMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &EngineController::flush);
}

EngineController::~EngineController() {
    if (m_state) m_state->cancel.cancel();
    for (const QPointer<QThread>& t : std::as_const(m_threads)) {
        if (!t) continue;
        t->wait();
        delete t.data();
    }
}

bool EngineController::start(const WorkloadSpec& spec, const QStringList& backends, QString* error) {
    auto fail = [&](const QString& why) {
        if (error) *error = why;
        return false;
    };
    if (m_state) return fail(QStringLiteral("a run is already in progress"));
    if (auto errors = validate(spec); !errors.empty())
        return fail(QString::fromStdString(errors.front().message()));
    if (backends.isEmpty()) return fail(QStringLiteral("no backend selected"));
    auto state = std::make_shared<RunState>();
    for (const QString& b : backends) {
        if (!BackendRegistry::instance().contains(b.toStdString()))
            return fail(QStringLiteral("unknown backend '%1'").arg(b));
        state->backends.push_back(b.toStdString());
    }
    state->spec = spec;
    m_experimentSoFar = Experiment{};
    m_experimentSoFar.spec = spec;
    m_sweepMode = false;
    m_pointTasks.clear();
    m_backendUnits.assign(backends.size(), 0);
    m_lessonVerdict.reset();
    m_progress = RunProgress{};
    m_progress.backendCount = int(backends.size());
    m_progress.repetitionCount = spec.warmup + spec.repeat;
    m_progress.tasksPerRepetition = spec.tasks;
    m_progress.overallTotal = qint64(backends.size()) * m_progress.repetitionCount * spec.tasks;
    return launch(std::move(state), error);
}

bool EngineController::startSweep(const WorkloadSpec& base, SweepParam param,
                                  const std::vector<double>& values, bool logScale,
                                  const QStringList& backends, QString* error) {
    return launchSweep(base, param, values, logScale, backends, nullptr, {}, error);
}

bool EngineController::launchSweep(const WorkloadSpec& base, SweepParam param,
                                   const std::vector<double>& values, bool logScale,
                                   const QStringList& backends, const Lesson* lesson,
                                   const LessonRunOptions& lessonOptions, QString* error) {
    auto fail = [&](const QString& why) {
        if (error) *error = why;
        return false;
    };
    if (m_state) return fail(QStringLiteral("a run is already in progress"));
    if (values.empty()) return fail(QStringLiteral("the sweep has no values"));
    if (backends.isEmpty()) return fail(QStringLiteral("no backend selected"));
    std::vector<qint64> pointTasks;
    for (double v : values) {
        WorkloadSpec s = base;
        applySweepValue(s, param, v);
        if (auto errors = validate(s); !errors.empty())
            return fail(QStringLiteral("%1 = %2: %3")
                            .arg(QString::fromStdString(toString(param)))
                            .arg(v)
                            .arg(QString::fromStdString(errors.front().message())));
        pointTasks.push_back(s.tasks);
    }
    if (logScale)
        for (double v : values)
            if (v <= 0) return fail(QStringLiteral("a log-scale sweep needs values > 0"));
    auto state = std::make_shared<RunState>();
    for (const QString& b : backends) {
        if (!BackendRegistry::instance().contains(b.toStdString()))
            return fail(QStringLiteral("unknown backend '%1'").arg(b));
        state->backends.push_back(b.toStdString());
    }
    state->spec = base;
    state->sweep = true;
    state->param = param;
    state->values = values;
    state->logScale = logScale;
    state->lesson = lesson;
    state->lessonOptions = lessonOptions;
    m_sweepMode = true;
    m_pointTasks = pointTasks;
    m_pointBase = 0;
    m_backendUnits.assign(backends.size(), 0);
    m_lessonVerdict.reset();
    m_progress = RunProgress{};
    m_progress.backendCount = int(backends.size());
    m_progress.repetitionCount = base.warmup + base.repeat;
    m_progress.sweepPointCount = int(values.size());
    for (qint64 t : pointTasks)
        m_progress.overallTotal += qint64(backends.size()) * m_progress.repetitionCount * t;
    return launch(std::move(state), error);
}

bool EngineController::startLesson(const Lesson& lesson, const LessonRunOptions& options, QString* error) {
    if (const std::string problem = lessonRunOptionsProblem(options); !problem.empty()) {
        if (error) *error = QString::fromStdString(problem);
        return false;
    }
    WorkloadSpec base = lesson.base;
    base.interleave = true;
    base.repeat = std::max(options.initialRepetitions, lesson.base.repeat); // as runLesson
    QStringList backends;
    for (const std::string& b : lesson.backends)
        backends << QString::fromStdString(b);
    return launchSweep(base, lesson.param, lesson.values, lesson.logScale, backends, &lesson, options, error);
}

bool EngineController::launch(std::shared_ptr<RunState> state, QString*) {
    state->id = m_nextId++;
    state->clock.start();
    m_state = state;
    m_currentId = state->id;
    m_unitsDone = 0;

    const int snapshotMs = m_snapshotMs, nice = m_engineNice;
    // launch() runs on the GUI thread: its drawing must not count as the backend's CPU time.
    std::optional<clockid_t> guiCpuClock;
    if (clockid_t c; pthread_getcpuclockid(pthread_self(), &c) == 0) guiCpuClock = c;
    QThread* thread = QThread::create([state, snapshotMs, nice, guiCpuClock] {
        if (nice > 0) { // Linux: the nice value is per thread and inherited by threads and forks
            const id_t tid = id_t(gettid());
            errno = 0;
            const int current = getpriority(PRIO_PROCESS, tid);
            if (errno == 0) setpriority(PRIO_PROCESS, tid, std::min(19, current + nice));
        }
        try {
            Engine engine(loadOrMeasureCalibration());
            Observer observer(*state);
            EngineOptions options;
            options.snapshotIntervalMs = snapshotMs;
            options.observer = &observer;
            options.cancel = &state->cancel;
            options.excludedThreadCpuClock = guiCpuClock;
            if (state->lesson) {
                LessonRunResult run = runLesson(
                    engine, *state->lesson, state->lessonOptions, options,
                    [&](const SweepResult& soFar, const SweepPoint&) { state->push(EvPoint{soFar}); },
                    [&](int, int repetitions) { state->push(EvRetry{repetitions}); });
                state->push(EvSweepFinished{std::move(run.sweep), std::move(run.verdict)});
            } else if (state->sweep) {
                SweepResult sw =
                    runSweep(engine, state->spec, state->param, state->values, state->logScale,
                             state->backends, options, [&](const SweepResult& soFar, const SweepPoint&) {
                                 state->push(EvPoint{soFar});
                             });
                state->push(EvSweepFinished{std::move(sw), std::nullopt});
            } else {
                Experiment ex = engine.run(state->spec, state->backends, options);
                ex.conlabVersion = CONLAB_VERSION;
                state->push(EvFinished{std::move(ex)});
            }
        } catch (const std::exception& e) {
            state->push(EvFailed{e.what()});
        }
    });
    thread->setObjectName(QStringLiteral("conlab-engine-%1").arg(state->id));
    // Deliver the end without waiting for the next tick.
    connect(thread, &QThread::finished, this, &EngineController::flush);
    m_threads.push_back(thread);
    thread->start();
    m_flushTimer.start();
    emit started(state->id);
    emit runningChanged(true);
    return true;
}

void EngineController::stop() {
    if (m_state) m_state->cancel.cancel();
}

void EngineController::discard() {
    if (!m_state) return;
    m_state->cancel.cancel();
    m_state.reset(); // the thread keeps its own reference; its events go nowhere
    m_currentId = 0;
    m_flushTimer.stop();
    emit runningChanged(false);
}

void EngineController::flush() {
    // Reap threads that have ended (including those of discarded runs).
    for (auto it = m_threads.begin(); it != m_threads.end();) {
        QThread* t = it->data();
        if (!t) {
            it = m_threads.erase(it);
        } else if (t->isFinished()) {
            t->wait();
            delete t;
            it = m_threads.erase(it);
        } else {
            ++it;
        }
    }
    if (!m_state) return;
    std::shared_ptr<RunState> state = m_state; // signals below may start a new run
    std::vector<Event> events;
    {
        std::lock_guard lock(state->mutex);
        events.swap(state->queue);
    }
    bool sawSnapshot = false;
    for (Event& ev : events) {
        if (m_state != state) return; // a slot discarded or replaced the run
        // The backend's position in the run (by name: interleaved repetitions alternate).
        const auto indexOf = [&](const std::string& backend) {
            const auto it = std::find(state->backends.begin(), state->backends.end(), backend);
            return it == state->backends.end() ? m_progress.backendIndex : int(it - state->backends.begin());
        };
        const auto credit = [&](int index, qint64 units, bool all) {
            if (index < 0 || size_t(index) >= m_backendUnits.size()) return;
            m_backendUnits[size_t(index)] = all ? units : m_backendUnits[size_t(index)] + units;
            m_unitsDone = m_pointBase;
            for (qint64 u : m_backendUnits)
                m_unitsDone += u;
        };
        if (auto* e = std::get_if<EvBackendStarted>(&ev)) {
            if (m_sweepMode && e->index == 0) { // every point starts with its first backend
                if (m_progress.sweepPoint >= 0)
                    m_pointBase += qint64(m_progress.backendCount) * m_progress.repetitionCount *
                                   m_progress.tasksPerRepetition;
                ++m_progress.sweepPoint;
                std::fill(m_backendUnits.begin(), m_backendUnits.end(), 0);
                credit(0, 0, false);
                const size_t i = size_t(std::max(0, m_progress.sweepPoint));
                if (i < m_pointTasks.size()) {
                    m_progress.tasksPerRepetition = m_pointTasks[i];
                    m_progress.sweepValue = state->values[i];
                }
                m_experimentSoFar = Experiment{};
                m_experimentSoFar.spec = state->spec;
                applySweepValue(m_experimentSoFar.spec, state->param, m_progress.sweepValue);
            }
            m_progress.backend = QString::fromStdString(e->backend);
            m_progress.backendIndex = e->index;
            m_progress.repetition = 0;
            m_progress.tasksDone = 0;
            emit backendStarted(m_progress.backend, e->index, e->count);
        } else if (auto* e = std::get_if<EvRepStarted>(&ev)) {
            m_progress.backend = QString::fromStdString(e->backend);
            m_progress.backendIndex = indexOf(e->backend);
            m_progress.repetition = e->rep;
            m_progress.warmup = e->warmup;
            m_progress.tasksDone = 0;
            emit repetitionStarted(QString::fromStdString(e->backend), e->rep, e->warmup);
        } else if (auto* e = std::get_if<EvSnapshot>(&ev)) {
            m_progress.tasksDone = e->s.tasksDone;
            m_progress.throughput = e->s.windowThroughput;
            sawSnapshot = true;
            emit snapshotAvailable(QString::fromStdString(e->backend), e->rep, e->s);
        } else if (auto* e = std::get_if<EvRepFinished>(&ev)) {
            credit(indexOf(e->backend), m_progress.tasksPerRepetition, false);
            m_progress.tasksDone = 0;
        } else if (auto* e = std::get_if<EvBackendFinished>(&ev)) {
            // Done, even when it stopped early (an error): the rest of its share counts as done.
            credit(indexOf(e->run.backend),
                   qint64(m_progress.repetitionCount) * m_progress.tasksPerRepetition, true);
            m_progress.tasksDone = 0;
            m_experimentSoFar.runs.push_back(e->run);
            computeSpeedups(m_experimentSoFar); // once, here: every view of the run shares them
            emit backendFinished(e->run, m_experimentSoFar);
        } else if (auto* e = std::get_if<EvRetry>(&ev)) {
            // A lesson's retry: every point again with more repetitions; the total grows.
            m_pointBase = m_progress.overallTotal;
            m_progress.sweepPoint = -1;
            m_progress.repetitionCount = e->repetitions;
            std::fill(m_backendUnits.begin(), m_backendUnits.end(), 0);
            credit(0, 0, false);
            for (qint64 t : m_pointTasks)
                m_progress.overallTotal += qint64(m_progress.backendCount) * e->repetitions * t;
        } else if (auto* e = std::get_if<EvFinished>(&ev)) {
            Experiment ex = std::move(e->ex);
            finishRun();
            emit finished(ex);
            return;
        } else if (auto* e = std::get_if<EvPoint>(&ev)) {
            emit sweepPointFinished(e->soFar);
        } else if (auto* e = std::get_if<EvSweepFinished>(&ev)) {
            SweepResult sw = std::move(e->sweep);
            m_lessonVerdict = std::move(e->verdict);
            finishRun();
            emit sweepFinished(sw);
            return;
        } else if (auto* e = std::get_if<EvFailed>(&ev)) {
            const QString message = QString::fromStdString(e->message);
            finishRun();
            emit failed(message);
            return;
        }
    }
    if (sawSnapshot || !events.empty()) {
        m_progress.overallDone = std::min(m_progress.overallTotal, m_unitsDone + m_progress.tasksDone);
        m_progress.elapsedS = double(state->clock.nsecsElapsed()) / 1e9;
        m_progress.etaS = m_progress.overallDone > 0
                              ? m_progress.elapsedS *
                                    double(m_progress.overallTotal - m_progress.overallDone) /
                                    double(m_progress.overallDone)
                              : -1;
        emit progress(m_progress);
    }
}

void EngineController::finishRun() {
    m_state.reset();
    m_flushTimer.stop();
    emit runningChanged(false);
}

} // namespace conlab::ui
