#include "python_backend.h"

#include "python/line_protocol.h"

#include "../calibration.h"
#include "../clock.h"

#include <QByteArray>
#include <QJsonDocument>

#include <cerrno>
#include <cstring>
#include <poll.h>
#include <sys/wait.h>

namespace conlab::python {

using namespace detail;

// ------------------------------------------------------------------ the backend

Availability PythonBackend::availability() const {
    Interpreter in = probeInterpreter();
    if (!in.ok) return {false, in.reason};
    return {};
}

void PythonBackend::prepare(const WorkloadSpec&) {
    try {
        loadOrMeasurePythonCalibration();
    } catch (const BackendError& e) {
        std::string msg = e.what();
        if (msg.rfind("python: ", 0) == 0) msg = msg.substr(8);
        throw BackendError(m_info.id + ": " + msg);
    }
}

int PythonBackend::effectiveWorkers(const WorkloadSpec& spec) const {
    return m_mode == "sequential" ? 1 : spec.resolvedWorkers();
}

namespace {

QByteArray specJson(const RunContext& ctx, const std::string& mode, const std::string& token) {
    const WorkloadSpec& s = ctx.spec();
    const TaskWork& w = ctx.work();
    QJsonObject o{{"mode", QString::fromStdString(mode)},
                  {"tasks", double(s.tasks)},
                  {"workers", ctx.workers()},
                  {"kind", QString::fromStdString(toString(s.kind))},
                  {"iterations", double(w.iterations)},
                  {"words", double(w.words)},
                  {"wait_ns", double(w.waitNs)},
                  {"input_bytes", double(s.inputBytes)},
                  {"result_bytes", double(s.resultBytes)},
                  {"messages", double(s.messages)},
                  {"payload", double(s.payload)},
                  {"chunksize", s.chunksize},
                  {"salt", QString::number(qulonglong(ctx.salt()))},
                  {"token", QString::fromStdString(token)},
                  {"max_intervals", double(RunContext::kTimelineBudget)},
                  {"detailed_workers", double(1 << 30)}, // every worker's timeline (lanes keep them)
                  {"snapshot_ms", 50},
                  {"task_timeout_s", s.taskTimeoutS},
                  {"parent_memory", double(s.parentMemory)}, // held by the driver too (its workers' parent)
                  {"child_touch", s.childTouch},
                  {"probes", s.probes == Probes::Off ? "off" : "on"}};
    if (s.fault.kind != FaultKind::None) // testing only (--inject-fault), docs/reliability.md
        o.insert("fault", QJsonObject{{"kind", QString::fromStdString(toString(s.fault.kind))},
                                      {"task", double(s.fault.taskId)}});
    return QJsonDocument(o).toJson(QJsonDocument::Compact) + "\n";
}

} // namespace

void PythonBackend::run(RunContext& ctx) {
    const std::string& id = m_info.id;
    Interpreter in = probeInterpreter();
    if (!in.ok) throw BackendError(id + ": unavailable: " + in.reason);
    PythonCalibration cal;
    try {
        cal = loadOrMeasurePythonCalibration();
    } catch (const BackendError& e) {
        throw BackendError(id + ": " + e.what());
    }
    ctx.setWork(cal.workFor(ctx.spec()));
    ctx.setCpuWaitMeasured(false); // the driver records spawn, ipc, compute and idle only

    PhaseRecorder& rec = ctx.coordinator();
    const std::string token = randomToken();
    // The interpreter's start and imports, and its exit, are the run's one-time start-up.
    rec.switchTo(Phase::Startup);
    DriverProcess proc(token);
    proc.start(id, {in.path, "-I", in.driver, "run", std::to_string(getpid())},
               specJson(ctx, m_mode, token).toStdString());
    setLastRun({proc.pgid(), token});
    const bool tasksInDriver = m_mode == "sequential" || m_mode == "threads" || m_mode == "asyncio";
    Session session(ctx, id, proc, tasksInDriver);
    std::string buf;
    bool outOpen = true, errOpen = true;
    const int64_t startNs = nowNs();
    // The backstop of --task-timeout: the driver watches each running task itself where it
    // can tell when a task starts (docs/python.md) and reports which one overstayed; a pool
    // cannot tell, and a driver can be wedged, so conlab also fails the run when no task
    // completes for timeout × chunksize, plus 1 s so that the driver's precise report wins.
    const double taskLimitS = ctx.spec().taskTimeoutS * std::max(1, ctx.spec().chunksize);
    constexpr double kBackstopGraceS = 1.0;
    const int cancelFd = ctx.cancel().fd();
    while (outOpen && !session.ended()) {
        rec.switchTo(session.helloSeen() ? Phase::Idle : Phase::Startup);
        pollfd fds[3] = {
            {proc.outFd(), POLLIN, 0}, {errOpen ? proc.errFd() : -1, POLLIN, 0}, {cancelFd, POLLIN, 0}};
        int r = poll(fds, 3, 100);
        if (r < 0 && errno != EINTR) throw BackendError(session.who() + ": poll: " + std::strerror(errno));
        if (ctx.cancelled()) {
            rec.switchTo(Phase::Startup);
            proc.killGroup(); // within milliseconds; the destructor unlinks leftovers
            return;
        }
        rec.switchTo(Phase::Other);
        if (errOpen && (fds[1].revents & (POLLIN | POLLHUP)) && !proc.readErr()) {
            errOpen = false;
            proc.closeErr();
        }
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            if (!proc.readOut(buf)) outOpen = false;
            try {
                session.consume(buf);
            } catch (...) {
                ctx.cancel().cancel();
                throw;
            }
        }
        const int64_t now = nowNs();
        if (!session.helloSeen() && now - startNs > 60'000'000'000)
            session.fail("did not say hello within 60 s of starting");
        if (session.helloSeen() && !ctx.allDone() &&
            double(now - session.lastProgressNs) > (taskLimitS + kBackstopGraceS) * 1e9) {
            char what[200];
            std::snprintf(what, sizeof what,
                          "timed out: completed no task for %.3g s (--task-timeout %g s × chunksize %d, + %g "
                          "s grace): a worker is hung or was lost",
                          double(now - session.lastProgressNs) * 1e-9, ctx.spec().taskTimeoutS,
                          std::max(1, ctx.spec().chunksize), kBackstopGraceS);
            session.fail(what);
        }
    }
    rec.switchTo(Phase::Startup);
    if (!session.ended()) {
        std::optional<int> st = proc.waitExit(2000);
        if (errOpen) proc.readErr();
        std::string status = st ? describeWaitStatus(*st) : "still running";
        if (!buf.empty())
            session.fail("output ended in the middle of a line (" + status + "): '" + clip(buf) + "'");
        if (st) // it died: say how first (a crash, a kill, an early exit)
            session.fail(std::string(WIFSIGNALED(*st) ? "was " : "") + status + " before finishing");
        session.fail("ended its output before finishing (" + status + ")");
    }
    // Normal end: the interpreter exits by itself; give its helpers a moment, then reap.
    std::optional<int> st = proc.waitExit(10000);
    proc.finishGroup(2000);
    if (!st) session.fail("did not exit after its end line");
    if (!WIFEXITED(*st) || WEXITSTATUS(*st) != 0) session.fail("finished but " + describeWaitStatus(*st));
    rec.switchTo(Phase::Other);
}

} // namespace conlab::python
