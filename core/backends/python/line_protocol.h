#pragma once
// The driver's line protocol (docs/python.md): JSON lines in the engine's phase model, read
// and checked by Session, which feeds the RunContext (completed tasks, live lanes, worker
// records, round trips) and names the driver and its workers in errors.
#include "driver_process.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>

namespace conlab::python::detail {

int64_t asInt(const QJsonValue& v);
[[noreturn]] void malformed(const std::string& who, const char* type, const std::string& line);
// A phase array of the driver (spawn, ipc, compute, idle; or every phase).
PhaseTotals phasesOf(const QJsonValue& v, bool& ok);

// Reads the driver's JSON lines and feeds the RunContext.
class Session {
  public:
    // tasksInDriver: the mode runs its tasks in the driver process itself (sequential, threads,
    // asyncio), so the driver is the worker that crashes, is killed or exits.
    Session(RunContext& ctx, std::string id, DriverProcess& proc, bool tasksInDriver)
        : m_ctx(ctx), m_id(std::move(id)), m_proc(proc), m_lastLane(size_t(ctx.workers())),
          m_lastLaneTasks(size_t(ctx.workers()), 0) {
        m_who = m_id + ": python driver pid " + std::to_string(proc.pid());
        m_workerWho = m_who;
        if (tasksInDriver) m_who += " (it runs the tasks itself)";
    }

    bool ended() const { return m_ended; }
    bool helloSeen() const { return m_hello; }
    const std::string& who() const { return m_who; }

    // Consumes every complete line in buf.
    void consume(std::string& buf) {
        size_t pos = 0;
        for (;;) {
            size_t nl = buf.find('\n', pos);
            if (nl == std::string::npos) break;
            handleLine(buf.substr(pos, nl - pos));
            pos = nl + 1;
        }
        buf.erase(0, pos);
        if (buf.size() > kMaxLine) fail("printed a line longer than 64 MiB: '" + clip(buf) + "'");
    }

    [[noreturn]] void fail(const std::string& cause) {
        std::string err = m_proc.stderrTail();
        throw BackendError(m_who + " " + cause + (err.empty() ? "" : "; stderr: " + err));
    }

    // The driver's own error line, with the limit that caused it; its stderr only when it adds
    // something (the traceback's last line repeats the message).
    [[noreturn]] void failReported(const std::string& msg) {
        std::string err = m_proc.stderrTail();
        if (err.find(msg) != std::string::npos && err.size() <= msg.size() + 2) err.clear();
        throw BackendError(m_who + " reported: " + msg + pythonErrorHint(msg) +
                           (err.empty() ? "" : "; stderr: " + err));
    }

    int64_t lastProgressNs = nowNs();

  private:
    void handleLine(const std::string& line) {
        if (m_ended) fail("printed after its end line: '" + clip(line) + "'");
        QJsonParseError pe{};
        QJsonDocument doc =
            QJsonDocument::fromJson(QByteArray::fromRawData(line.data(), qsizetype(line.size())), &pe);
        if (pe.error != QJsonParseError::NoError || !doc.isObject())
            fail("printed something that is not a protocol line: '" + clip(line) + "'");
        QJsonObject o = doc.object();
        const QString t = o.value("t").toString();
        if (!m_hello && t != "hello" && t != "error")
            fail("did not start with a hello line: '" + clip(line) + "'");
        if (t == "hello")
            onHello(o, line);
        else if (t == "done")
            onDone(o, line);
        else if (t == "lanes")
            onLanes(o, line);
        else if (t == "worker")
            onWorker(o, line);
        else if (t == "rtt")
            m_ctx.addRoundTrips(asInt(o.value("n")), asInt(o.value("ns")));
        else if (t == "end")
            m_ended = true;
        else if (t == "error")
            failReported(o.value("msg").toString().toStdString());
        else
            fail("sent an unknown line type: '" + clip(line) + "'");
    }

    void onHello(const QJsonObject& o, const std::string& line) {
        if (m_hello || o.value("protocol").toInt() != kProtocol) malformed(m_who, "hello", line);
        bool ok = false;
        m_base = o.value("base").toString().toLongLong(&ok);
        if (!ok) malformed(m_who, "hello", line);
        m_hello = true;
        lastProgressNs = nowNs(); // --task-timeout counts from the driver's start, not conlab's
    }

    void onDone(const QJsonObject& o, const std::string& line) {
        const QJsonArray d = o.value("d").toArray();
        for (const QJsonValue& v : d) {
            const QJsonArray e = v.toArray();
            if (e.size() != 4 || !e[0].isDouble() || !e[1].isString()) malformed(m_who, "done", line);
            bool ok = false;
            uint64_t sum = e[1].toString().toULongLong(&ok);
            int64_t lane = asInt(e[3]);
            if (!ok || lane < 0 || lane >= m_ctx.workers()) malformed(m_who, "done", line);
            m_ctx.completeTask(asInt(e[0]), sum, asInt(e[2]), m_workerWho.c_str());
        }
        if (!d.isEmpty()) lastProgressNs = nowNs();
    }

    void onLanes(const QJsonObject& o, const std::string& line) {
        const QJsonArray ph = o.value("ph").toArray(), n = o.value("n").toArray();
        if (ph.size() != m_ctx.workers() || n.size() != m_ctx.workers()) malformed(m_who, "lanes", line);
        for (int i = 0; i < m_ctx.workers(); ++i) {
            bool ok = false;
            PhaseTotals t = phasesOf(ph[i], ok);
            if (!ok) malformed(m_who, "lanes", line);
            m_ctx.lane(i).add(t - m_lastLane[size_t(i)]);
            m_lastLane[size_t(i)] = t;
            int64_t k = asInt(n[i]);
            m_ctx.lane(i).tasksDone.fetch_add(k - m_lastLaneTasks[size_t(i)], std::memory_order_relaxed);
            m_lastLaneTasks[size_t(i)] = k;
        }
    }

    void onWorker(const QJsonObject& o, const std::string& line) {
        WorkerRecord w;
        bool ok = false;
        w.lane = int(asInt(o.value("lane")));
        w.id = asInt(o.value("id"));
        w.tRequestNs = m_base + asInt(o.value("req"));
        w.tReadyNs = m_base + asInt(o.value("ready"));
        w.tDoneNs = m_base + asInt(o.value("done"));
        w.tReapedNs = m_base + asInt(o.value("reaped"));
        w.phases = phasesOf(o.value("ph"), ok);
        w.tasks = asInt(o.value("tasks"));
        w.cpuFirst = int(asInt(o.value("cpu0")));
        w.cpuLast = int(asInt(o.value("cpu1")));
        // Optional (protocol 1 drivers before it): the worker thread's involuntary switches.
        w.involuntarySwitches = o.contains("nivcsw") ? asInt(o.value("nivcsw")) : -1;
        if (w.involuntarySwitches < -1) malformed(m_who, "worker", line);
        if (!ok || w.lane < 0 || w.lane >= m_ctx.workers() || w.tReadyNs < w.tRequestNs ||
            w.tReapedNs < w.tDoneNs)
            malformed(m_who, "worker", line);
        for (int64_t p : w.phases.ns)
            if (p < 0) malformed(m_who, "worker", line);
        // The driver's totals include the spawn parts; RunContext::addWorker adds them again.
        const int64_t spawnParts = (w.tReadyNs - w.tRequestNs) + (w.tReapedNs - w.tDoneNs);
        if (w.phases[Phase::Spawn] < spawnParts) malformed(m_who, "worker", line);
        w.phases[Phase::Spawn] -= spawnParts;
        w.timeline = Timeline(m_ctx.intervalBudget());
        int64_t lastEnd = INT64_MIN;
        for (const QJsonValue& v : o.value("iv").toArray()) {
            // [start, end, phase], or a reduced segment [start, end, -1, [ns of phases 0–3]].
            const QJsonArray a = v.toArray();
            const int64_t p = a.size() >= 3 ? asInt(a[2]) : -2;
            TimelineSegment seg;
            seg.startNs = m_base + asInt(a.at(0));
            seg.endNs = m_base + asInt(a.at(1));
            if (a.size() == 3 && p >= 0 && p < kPhaseCount) {
                seg.ns[Phase(p)] = seg.endNs - seg.startNs;
            } else if (a.size() == 4 && p == -1 && a[3].toArray().size() == 4) {
                const QJsonArray sh = a[3].toArray();
                for (int i = 0; i < 4; ++i)
                    seg.ns.ns[size_t(i)] = asInt(sh[i]);
                seg.merged = 2;
            } else {
                malformed(m_who, "worker", line);
            }
            for (int64_t x : seg.ns.ns)
                if (x < 0) malformed(m_who, "worker", line);
            if (seg.endNs < seg.startNs || seg.startNs < lastEnd) malformed(m_who, "worker", line);
            lastEnd = seg.endNs;
            w.timeline.addSegment(seg);
        }
        m_ctx.addWorker(std::move(w));
    }

    RunContext& m_ctx;
    std::string m_id, m_who, m_workerWho;
    DriverProcess& m_proc;
    bool m_hello = false, m_ended = false;
    int64_t m_base = 0;
    std::vector<PhaseTotals> m_lastLane;
    std::vector<int64_t> m_lastLaneTasks;
};

} // namespace conlab::python::detail
