// The python family: every py-* backend on the real interpreter (every task verified,
// phases partition, nothing left behind), cancel, and broken drivers (fake interpreters
// that print garbage, die, stop mid-line, lie about checksums or hang) failing cleanly.
#include "backend_registry.h"
#include "backends/python_backend.h"
#include "calibration.h"
#include "clock.h"
#include "engine.h"

#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <dirent.h>
#include <fstream>
#include <sys/stat.h>
#include <thread>

using namespace conlab;

namespace {

const std::vector<std::string> kPythonBackends = {"py-sequential",
                                                  "py-threads",
                                                  "py-process-per-task",
                                                  "py-pool",
                                                  "py-process-pool:fork",
                                                  "py-process-pool:spawn",
                                                  "py-process-pool:forkserver",
                                                  "py-shared-memory",
                                                  "py-shared-memory:array",
                                                  "py-shared-memory:array-lock",
                                                  "py-shared-memory:queue",
                                                  "py-asyncio"};

bool groupGone(int pgid) {
    return pgid > 0 && ::kill(-pgid, 0) < 0 && errno == ESRCH;
}

int shmObjectsWith(const std::string& token) {
    int n = 0;
    if (DIR* d = opendir("/dev/shm")) {
        while (dirent* e = readdir(d))
            if (std::string(e->d_name).find(token) != std::string::npos) ++n;
        closedir(d);
    }
    return n;
}

// Cancels the run once the first tasks completed (or after a deadline), records when.
class CancelAfterProgress final : public EngineObserver {
  public:
    explicit CancelAfterProgress(CancelToken& t) : m_token(t) {}
    void snapshot(const std::string&, int, const Snapshot& s) override {
        if (m_cancelNs.load() == 0 && (s.tasksDone >= 2 || s.tS > 3.0)) {
            m_cancelNs = nowNs();
            m_token.cancel();
        }
    }
    int64_t cancelNs() const { return m_cancelNs.load(); }

  private:
    CancelToken& m_token;
    std::atomic<int64_t> m_cancelNs{0};
};

} // namespace

class TestPythonBackends : public QObject {
    Q_OBJECT

    Calibration m_cal;
    bool m_python = false;
    QTemporaryDir m_dir;

    // A fake interpreter: answers probe and calibrate like a driver, then `runBody` for run.
    std::string fake(const std::string& name, const std::string& runBody,
                     const std::string& version = "3.11.0") {
        std::string path = m_dir.filePath(QString::fromStdString(name)).toStdString();
        std::ofstream f(path);
        f << "#!/bin/sh\n"
             "# argv: -I driver command\n"
             "case \"$3\" in\n"
             "probe) echo '{\"t\":\"probe\",\"protocol\":1,\"version\":\""
          << version
          << "\",\"executable\":\"'\"$0\"'\",\"start_method\":\"fork\"}' ;;\n"
             "calibrate) echo '{\"t\":\"calibration\",\"cpu_steps_per_us\":5,\"memory_visits_per_us\":5}' "
             ";;\n"
             "run)\n"
          << runBody
          << "\n;;\n"
             "esac\n";
        f.close();
        ::chmod(path.c_str(), 0755);
        return path;
    }

    BackendRun runWith(const std::string& interpreter, const std::string& backend, WorkloadSpec spec = {}) {
        python::setInterpreterOverride(interpreter);
        Engine engine(m_cal);
        auto run = engine.run(spec, {backend}, {}).runs.at(0);
        python::setInterpreterOverride("");
        return run;
    }

  private slots:
    void initTestCase() {
        m_cal = loadOrMeasureCalibration();
        QVERIFY(m_dir.isValid());
        auto in = python::probeInterpreter();
        m_python = in.ok;
        if (!in.ok)
            qWarning("python backends unavailable: %s", in.reason.c_str());
        else
            qInfo("python: %s %s (default start method %s)", in.path.c_str(), in.version.c_str(),
                  in.startMethod.c_str());
    }

    void registeredWithFamily() {
        auto& reg = BackendRegistry::instance();
        for (const auto& id : kPythonBackends) {
            QVERIFY2(reg.contains(id), id.c_str());
            QCOMPARE(reg.create(id)->info().family, std::string("python"));
        }
    }

    void unavailableWithReason() {
        python::setInterpreterOverride("/nonexistent/python3");
        auto av = BackendRegistry::instance().create("py-threads")->availability();
        python::setInterpreterOverride("");
        QVERIFY(!av.available);
        QVERIFY2(av.reason.find("/nonexistent/python3") != std::string::npos, av.reason.c_str());

        auto old = fake("python-old", "exit 1", "3.6.9");
        python::setInterpreterOverride(old);
        av = BackendRegistry::instance().create("py-threads")->availability();
        python::setInterpreterOverride("");
        QVERIFY(!av.available);
        QVERIFY2(av.reason.find("3.6.9") != std::string::npos &&
                     av.reason.find(">= 3.8") != std::string::npos,
                 av.reason.c_str());
        // An unavailable backend fails its run with the reason, not the app.
        auto run = runWith("/nonexistent/python3", "py-pool");
        QVERIFY2(run.error.find("py-pool: unavailable") != std::string::npos, run.error.c_str());
    }

    void everyBackend_data() {
        QTest::addColumn<QString>("backend");
        for (const auto& id : kPythonBackends)
            QTest::newRow(id.c_str()) << QString::fromStdString(id);
    }
    void everyBackend() {
        if (!m_python) QSKIP("no usable python3");
        QFETCH(QString, backend);
        WorkloadSpec spec;
        spec.tasks = 12;
        spec.workers = 2;
        spec.taskUs = 300;
        spec.inputBytes = 100;
        spec.resultBytes = 37;
        spec.messages = 1;
        spec.payload = 48;
        spec.chunksize = 2;
        auto run = runWith("", backend.toStdString(), spec);
        QVERIFY2(run.error.empty(), run.error.c_str());
        QCOMPARE(run.repetitions.size(), size_t(1));
        const auto& rep = run.repetitions[0];
        QCOMPARE(rep.tasksDone, spec.tasks); // each verified by checksum in RunContext::completeTask
        QVERIFY(rep.workerCount >= 1);
        QVERIFY2(rep.partitionErrorMax < 1e-9, QByteArray::number(rep.partitionErrorMax));
        int64_t tasks = 0;
        for (const auto& w : rep.workers) {
            QCOMPARE(w.phases.total(), w.tReapedNs - w.tRequestNs);
            QVERIFY(w.tRequestNs >= rep.startNs && w.tReapedNs <= rep.startNs + int64_t(rep.wallS * 1e9));
            tasks += w.tasks;
        }
        if (rep.workerCount == int64_t(rep.workers.size())) QCOMPARE(tasks, spec.tasks);
        QCOMPARE(rep.roundTrips, spec.tasks * spec.messages);
        QVERIFY(rep.workerPhases[Phase::Compute] > 0);
        auto last = python::lastRunInfo();
        QVERIFY2(groupGone(last.pgid), "a process of the interpreter's group survived the run");
        QCOMPARE(shmObjectsWith(last.token), 0);
    }

    void memoryAndIoKinds() {
        if (!m_python) QSKIP("no usable python3");
        WorkloadSpec spec;
        spec.tasks = 8;
        spec.workers = 2;
        spec.taskUs = 500;
        spec.kind = TaskKind::Memory;
        spec.workingSet = 4096;
        auto run = runWith("", "py-pool", spec);
        QVERIFY2(run.error.empty(), run.error.c_str());
        spec.kind = TaskKind::Io;
        spec.tasks = 40;
        spec.workers = 20;
        spec.taskUs = 20000;
        for (const char* id : {"py-asyncio", "py-threads"}) {
            run = runWith("", id, spec);
            QVERIFY2(run.error.empty(), run.error.c_str());
            // 40 waits of 20 ms, 20 at a time: about 2 rounds, far from 0.8 s sequential. Measured
            // over the workers' span (interpreter start-up is the coordinator's spawn).
            int64_t first = INT64_MAX, last = 0;
            for (const auto& w : run.repetitions[0].workers) {
                first = std::min(first, w.tRequestNs);
                last = std::max(last, w.tReapedNs);
            }
            QVERIFY2(last > first && double(last - first) / 1e9 < 0.5, id);
        }
    }

    void cancelLeavesNothing_data() {
        QTest::addColumn<QString>("backend");
        for (const char* id : {"py-pool", "py-process-pool:forkserver", "py-shared-memory",
                               "py-shared-memory:queue", "py-process-per-task", "py-threads"})
            QTest::newRow(id) << id;
    }
    void cancelLeavesNothing() {
        if (!m_python) QSKIP("no usable python3");
        QFETCH(QString, backend);
        WorkloadSpec spec;
        spec.tasks = 400;
        spec.workers = 2;
        spec.taskUs = 20000; // 8 s of work: cancelled long before
        CancelToken cancel;
        CancelAfterProgress obs(cancel);
        EngineOptions opt;
        opt.observer = &obs;
        opt.cancel = &cancel;
        Engine engine(m_cal);
        auto ex = engine.run(spec, {backend.toStdString()}, opt);
        const int64_t returned = nowNs();
        const auto& run = ex.runs.at(0);
        QVERIFY2(run.error.empty(), run.error.c_str());
        QVERIFY(run.cancelled);
        QVERIFY(obs.cancelNs() > 0);
        const double latencyMs = double(returned - obs.cancelNs()) / 1e6;
        qInfo("%s: cancel → run returned in %.1f ms", qPrintable(backend), latencyMs);
        QVERIFY2(latencyMs < 1000, QByteArray::number(latencyMs)); // target 200 ms; wide margin for load
        auto last = python::lastRunInfo();
        QVERIFY2(groupGone(last.pgid), "a process of the interpreter's group survived cancel");
        QCOMPARE(shmObjectsWith(last.token), 0);
    }

    void brokenDrivers_data() {
        QTest::addColumn<QString>("body");
        QTest::addColumn<QString>("expected");
        const QString hello = "echo '{\"t\":\"hello\",\"protocol\":1,\"pid\":1,\"base\":\"0\"}'; ";
        QTest::newRow("garbage") << "echo 'Traceback? not json'; sleep 30"
                                 << "not a protocol line: 'Traceback? not json'";
        QTest::newRow("dies") << hello + "echo 'boom' >&2; kill -9 $$"
                              << "killed by signal 9";
        QTest::newRow("exit code") << hello + "exit 7"
                                   << "exited with code 7";
        QTest::newRow("partial line") << hello + "printf '{\"t\":\"do'"
                                      << "in the middle of a line";
        QTest::newRow("no hello") << "echo '{\"t\":\"end\",\"tasks\":0}'"
                                  << "did not start with a hello";
        QTest::newRow("bad checksum") << hello + "echo '{\"t\":\"done\",\"d\":[[0,\"1\",5,0]]}'; sleep 30"
                                      << "task 0 returned checksum 1";
        QTest::newRow("error line") << hello + "echo '{\"t\":\"error\",\"msg\":\"out of cheese\"}'; exit 3"
                                    << "reported: out of cheese";
        QTest::newRow("unknown task") << hello + "echo '{\"t\":\"done\",\"d\":[[99,\"1\",5,0]]}'; sleep 30"
                                      << "unknown task 99";
        QTest::newRow("malformed") << hello + "echo '{\"t\":\"lanes\",\"ph\":7}'; sleep 30"
                                   << "malformed 'lanes'";
    }
    void brokenDrivers() {
        QFETCH(QString, body);
        QFETCH(QString, expected);
        static int n = 0;
        auto path = fake("python-broken-" + std::to_string(++n), body.toStdString());
        WorkloadSpec spec;
        spec.tasks = 4;
        spec.workers = 1;
        spec.taskUs = 10;
        const int64_t t0 = nowNs();
        auto run = runWith(path, "py-sequential", spec);
        const double s = double(nowNs() - t0) / 1e9;
        QVERIFY2(run.error.find("py-sequential: python driver pid") != std::string::npos, run.error.c_str());
        QVERIFY2(run.error.find(expected.toStdString()) != std::string::npos, run.error.c_str());
        QVERIFY2(s < 5, "a broken driver must fail promptly, not wait for its sleep");
        QVERIFY(groupGone(python::lastRunInfo().pgid));
    }

    // The driver's start is the run's one-time startup (the coordinator's), not a worker's
    // spawn; a coroutine waiting for its first turn of the loop is idle, not spawn; cpu-wait
    // is reported as not measured.
    void pythonStartupAndCoroutines() {
        if (!m_python) QSKIP("no python interpreter");
        WorkloadSpec spec;
        spec.tasks = 200;
        spec.workers = 4;
        spec.taskUs = 100;
        Engine engine(m_cal);
        Experiment ex = engine.run(spec, {"py-asyncio", "py-pool"}, {});
        for (const auto& r : ex.runs) {
            QVERIFY2(r.error.empty(), r.error.c_str());
            QVERIFY(!r.summary.cpuWaitMeasured);
            QVERIFY(r.summary.startupS > 0);
            QVERIFY(r.repetitions[0].coordinator.phases[Phase::Startup] > 0);
        }
        const double spawn = ex.runs[0].summary.phaseShare[size_t(Phase::Spawn)];
        QVERIFY2(spawn < 0.05, qPrintable(QString::number(spawn)));
    }

    // --parent-memory in Python (issue 16): the driver, the parent of every Python worker,
    // holds a list of that many bytes while they start, so a forked Python worker costs more
    // (~6× at 512 MiB here; asserted 1.5× at 256 MiB, with --child-touch writing a share).
    void forkedWorkerCostsMoreWithAHeavyParent() {
        if (!m_python) QSKIP("no python interpreter");
        WorkloadSpec spec;
        spec.tasks = 8;
        spec.workers = 1;
        spec.taskUs = 0;
        spec.repeat = 3;
        spec.interleave = true;
        Engine engine(m_cal);
        const Experiment light = engine.run(spec, {"py-process-per-task"}, {});
        spec.parentMemory = 256 << 20;
        spec.childTouch = 0.1;
        const Experiment heavy = engine.run(spec, {"py-process-per-task"}, {});
        QVERIFY2(light.runs[0].error.empty(), light.runs[0].error.c_str());
        QVERIFY2(heavy.runs[0].error.empty(), heavy.runs[0].error.c_str());
        const double a = light.runs[0].summary.spawnCostS, b = heavy.runs[0].summary.spawnCostS;
        qInfo("py-process-per-task spawn cost: %.1f ms, with the driver holding 256 MiB %.1f ms", a * 1e3,
              b * 1e3);
        QVERIFY2(b > 1.5 * a, "a forked Python worker should cost more with a heavy parent");
    }

    void speedupAgainstPySequential() {
        Experiment ex;
        auto mk = [](const char* id, const char* family, double thr) {
            BackendRun r;
            r.backend = id;
            r.family = family;
            r.workers = 2;
            r.summary.repetitions = 1;
            r.summary.throughput.median = thr;
            return r;
        };
        ex.runs = {mk("sequential", "baseline", 1000), mk("py-sequential", "python", 100),
                   mk("py-threads", "python", 110), mk("thread-pool", "threads", 1900)};
        computeSpeedups(ex);
        QCOMPARE(*ex.runs[2].summary.speedup, 1.1);
        QCOMPARE(*ex.runs[3].summary.speedup, 1.9);
        ex.runs.erase(ex.runs.begin() + 1); // without py-sequential: vs sequential
        computeSpeedups(ex);
        QCOMPARE(*ex.runs[1].summary.speedup, 0.11);
    }
};

QTEST_GUILESS_MAIN(TestPythonBackends)
#include "tst_python_backends.moc"
