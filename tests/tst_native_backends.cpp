// Data-driven checks of the issue-3 native and library backends: every task ran once with
// verified checksums (the engine fails the run otherwise), phases partition each worker's
// lifetime, cancel returns promptly leaving no child, thread, fd or /dev/shm object, and a
// few relationships with wide margins (exec'd start-up > fork; chunking amortises ipc).
#include "backend_registry.h"
#include "calibration.h"
#include "engine.h"
#include "fidelity/raw_primitives.h"
#include "results_json.h"

#include <QtTest>
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace conlab;

namespace {

const char* const kBackends[] = {"process-per-task:spawn",
                                 "process-per-task:forkserver",
                                 "process-pool:spawn",
                                 "process-pool:forkserver",
                                 "shm-pool",
                                 "event-loop",
                                 "openmp",
                                 "tbb",
                                 "qt-threadpool"};

int countDir(const char* path, const char* prefix = "") {
    DIR* d = opendir(path);
    if (!d) return -1;
    int n = 0;
    while (dirent* e = readdir(d))
        if (e->d_name[0] != '.' && std::strncmp(e->d_name, prefix, std::strlen(prefix)) == 0) ++n;
    closedir(d);
    return n;
}
int fdCount() {
    return countDir("/proc/self/fd");
}
int threadCount() {
    return countDir("/proc/self/task");
}
int shmCount() { // this process's shm-pool objects (conlab-<pid>-…): other tests run beside this one
    return countDir("/dev/shm", ("conlab-" + std::to_string(getpid()) + "-").c_str());
}
bool noChildren() {
    return waitpid(-1, nullptr, WNOHANG) == -1 && errno == ECHILD;
}

// Library threads (libgomp's team) may finish exiting just after the run: wait a little.
bool settlesTo(int threads) {
    for (int i = 0; i < 200 && threadCount() > threads; ++i)
        usleep(10'000);
    return threadCount() <= threads;
}

// Relationships only: a fixed, plausible calibration keeps the test from measuring one.
Calibration fixedCalibration() {
    Calibration c;
    c.cpuStepsPerUs = 300;
    c.memoryVisitsPerUs = 300;
    return c;
}

class CancelAfter : public EngineObserver {
  public:
    CancelAfter(CancelToken& t, int64_t tasks) : m_token(t), m_tasks(tasks) {}
    void snapshot(const std::string&, int, const Snapshot& s) override {
        if (s.tasksDone >= m_tasks) m_token.cancel();
    }

  private:
    CancelToken& m_token;
    int64_t m_tasks;
};

} // namespace

class TestNativeBackends : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() {
        qputenv("CONLAB_WORKER", QByteArray(CONLAB_BIN_DIR) + "/conlab-worker");
        for (const char* id : kBackends) {
            auto b = BackendRegistry::instance().create(id);
            QVERIFY2(b, id);
            auto a = b->availability();
            QVERIFY2(a.available, (std::string(id) + ": " + a.reason).c_str());
        }
    }

    void runsEveryTaskOnce_data() {
        QTest::addColumn<QString>("backend");
        QTest::addColumn<QString>("kind");
        for (const char* id : kBackends) {
            QTest::newRow((std::string(id) + "/cpu").c_str()) << QString(id) << "cpu";
            QTest::newRow((std::string(id) + "/io+messages").c_str()) << QString(id) << "io";
        }
    }
    void runsEveryTaskOnce() {
        QFETCH(QString, backend);
        QFETCH(QString, kind);
        const int fds = fdCount(), threads = threadCount(), shm = shmCount();
        WorkloadSpec spec;
        spec.tasks = 60;
        spec.workers = 2;
        spec.taskUs = 100;
        spec.kind = *taskKindFromString(kind.toStdString());
        spec.inputBytes = 3000;
        spec.resultBytes = 1000;
        spec.messages = kind == "io" ? 2 : 0;
        spec.payload = 4096;
        spec.chunksize = 3;
        Engine engine(fixedCalibration());
        Experiment ex = engine.run(spec, {backend.toStdString()}, {});
        QCOMPARE(ex.runs.size(), size_t(1));
        const BackendRun& run = ex.runs[0];
        QVERIFY2(run.error.empty(), run.error.c_str());
        QCOMPARE(run.repetitions.size(), size_t(1));
        const RepetitionResult& rep = run.repetitions[0];
        QCOMPARE(rep.tasksDone, spec.tasks); // each verified and counted once by RunContext
        QVERIFY(rep.workerCount >= 1);
        QVERIFY2(rep.partitionErrorMax < 0.01, QByteArray::number(rep.partitionErrorMax));
        if (spec.messages) QCOMPARE(rep.roundTrips, spec.tasks * spec.messages);
        QVERIFY(noChildren());
        QCOMPARE(fdCount(), fds);
        QCOMPARE(shmCount(), shm);
        QVERIFY2(settlesTo(threads),
                 QByteArray::number(threadCount()) + " threads, was " + QByteArray::number(threads));
    }

    void cancelLeavesNothing_data() {
        QTest::addColumn<QString>("backend");
        for (const char* id : kBackends)
            QTest::newRow(id) << QString(id);
    }
    void cancelLeavesNothing() {
        QFETCH(QString, backend);
        CancelToken cancel; // its eventfd is the test's, counted below
        const int fds = fdCount(), threads = threadCount(), shm = shmCount();
        WorkloadSpec spec;
        spec.tasks = 100'000;
        spec.workers = 2;
        spec.taskUs = 1000;
        spec.kind = TaskKind::Io;
        spec.messages = 1;
        CancelAfter observer(cancel, 10);
        Engine engine(fixedCalibration());
        const int64_t t0 = nowNs();
        Experiment ex = engine.run(spec, {backend.toStdString()}, {20, &observer, &cancel, std::nullopt});
        const double s = nsToSeconds(nowNs() - t0);
        QVERIFY2(s < 10, QByteArray::number(s)); // 100 s of work if not cancelled
        QVERIFY2(ex.runs[0].error.empty(), ex.runs[0].error.c_str());
        QVERIFY(ex.runs[0].cancelled);
        QVERIFY(noChildren());
        QCOMPARE(fdCount(), fds);
        QCOMPARE(shmCount(), shm);
        QVERIFY(settlesTo(threads));
    }

    // Wide margin: an exec'd conlab-worker pays exec + dynamic loading that fork does not.
    void spawnStartsSlowerThanFork() {
        WorkloadSpec spec;
        spec.tasks = 40;
        spec.workers = 1;
        spec.taskUs = 0;
        Engine engine(fixedCalibration());
        Experiment ex = engine.run(spec, {"process-per-task", "process-per-task:spawn"}, {});
        for (const auto& r : ex.runs)
            QVERIFY2(r.error.empty(), r.error.c_str());
        const double fork = ex.runs[0].repetitions[0].spawnStartupS;
        const double spawn = ex.runs[1].repetitions[0].spawnStartupS;
        qInfo("start-up per worker: fork %.0f µs, spawn %.0f µs", fork * 1e6, spawn * 1e6);
        QVERIFY(fork > 0 && spawn > 0);
        QVERIFY2(spawn > fork, "exec'd start-up should cost more than fork's");
    }

    // --parent-memory / --child-touch (issue 16): the reaped children's page faults count the
    // pages each forked child wrote (copy-on-write copies), an exec'd child writes none of the
    // parent's; a forked worker costs more with the parent holding memory (its page tables are
    // copied: ~17× at 256 MiB here, asserted 2×), and the figures survive the results file.
    void forkCopiesParentMemory() {
        WorkloadSpec spec;
        spec.tasks = 10;
        spec.workers = 1;
        spec.taskUs = 0;
        Engine engine(fixedCalibration());
        const std::vector<std::string> backends{"process-per-task", "process-per-task:spawn"};
        const Experiment none = engine.run(spec, backends, {});
        spec.parentMemory = 256 << 20;
        spec.childTouch = 0.25; // 64 MiB: 16384 pages of 4 KiB
        const Experiment held = engine.run(spec, backends, {});
        for (const Experiment* ex : {&none, &held})
            for (const auto& r : ex->runs) {
                QVERIFY2(r.error.empty(), r.error.c_str());
                QCOMPARE(r.repetitions[0].children.processes, int64_t(10));
            }
        const long page = sysconf(_SC_PAGESIZE);
        const double touchedPages = 0.25 * double(256 << 20) / double(page);
        const ChildUsage &forkNone = none.runs[0].repetitions[0].children,
                         &forkHeld = held.runs[0].repetitions[0].children,
                         &spawnHeld = held.runs[1].repetitions[0].children;
        qInfo("minor faults per child: fork %.0f → %.0f with %.0f pages written; spawn %.0f; spawn cost "
              "fork %.0f µs → %.0f µs",
              forkNone.minorFaults, forkHeld.minorFaults, touchedPages, spawnHeld.minorFaults,
              none.runs[0].summary.spawnCostS * 1e6, held.runs[0].summary.spawnCostS * 1e6);
        QVERIFY(forkHeld.minorFaults >= touchedPages);
        QVERIFY(forkHeld.minorFaults < touchedPages + 5000);
        QVERIFY(forkNone.minorFaults < 5000);
        QVERIFY(spawnHeld.minorFaults < 5000);              // exec'd: none of the parent's pages
        QVERIFY(forkHeld.maxRssBytes >= double(256 << 20)); // counts the pages it shares
        QVERIFY2(held.runs[0].summary.spawnCostS > 2 * none.runs[0].summary.spawnCostS,
                 "fork should cost more with the parent holding 256 MiB");

        const LoadResult loaded = fromJsonBytes(toJsonBytes(held));
        QVERIFY2(loaded.experiment, qPrintable(loaded.error));
        const auto& back = loaded.experiment;
        QCOMPARE(back->spec.parentMemory, int64_t(256 << 20));
        QCOMPARE(back->spec.childTouch, 0.25);
        QCOMPARE(back->runs[0].repetitions[0].children.processes, int64_t(10));
        QCOMPARE(back->runs[0].summary.children.minorFaults, held.runs[0].summary.children.minorFaults);
    }

    // Spawn is creating and tearing down one worker, not conlab's bookkeeping around it: with
    // one worker, process-per-task's spawn cost stays near a bare fork + _exit + waitpid and
    // thread-per-task's near a bare std::thread + join, both measured here, in this process
    // (same memory, same placement), interleaved with the backend. The goals (3× and 5×) are
    // the benchmark's (docs/benchmarks.md); this test keeps a margin for a loaded machine.
    void spawnCostIsNearTheRawPrimitive_data() {
        QTest::addColumn<QString>("backend");
        QTest::addColumn<double>("limit");
        QTest::newRow("process-per-task") << QString("process-per-task") << 6.0;
        QTest::newRow("thread-per-task") << QString("thread-per-task") << 10.0;
    }
    void spawnCostIsNearTheRawPrimitive() {
        QFETCH(QString, backend);
        QFETCH(double, limit);
        const bool process = backend == "process-per-task";
        auto raw = [&] { // the fidelity check's raw loops (core/fidelity/raw_primitives.h)
            constexpr int n = 50;
            return process ? raw::forkExitWaitS(n) : raw::stdThreadCreateJoinS(n);
        };
        WorkloadSpec spec;
        spec.tasks = 50;
        spec.workers = 1;
        spec.taskUs = 0;
        Engine engine(fixedCalibration());
        std::vector<double> ratios;
        for (int round = 0; round < 5; ++round) {
            const double before = raw();
            Experiment ex = engine.run(spec, {backend.toStdString()}, {});
            const double after = raw();
            QVERIFY2(ex.runs[0].error.empty(), ex.runs[0].error.c_str());
            const double conlab = ex.runs[0].repetitions[0].spawnCostS;
            ratios.push_back(conlab / std::min(before, after));
            qInfo("spawn per worker: %s %.1f µs, raw %.1f µs", qPrintable(backend), conlab * 1e6,
                  std::min(before, after) * 1e6);
        }
        std::sort(ratios.begin(), ratios.end());
        qInfo("median ratio %.2f", ratios[2]);
        QVERIFY2(ratios[2] < limit, qPrintable(QString::number(ratios[2])));
    }

    // Chunking amortises dispatch: tiny tasks, chunksize 50 vs 1, worker ipc per task. The pools
    // queue ahead and batch their frames (issue 12), which already amortises most of it at
    // chunksize 1 (3-4x less than one round trip per task); chunks of 50 still cut what is left.
    void chunkingAmortisesIpc_data() {
        QTest::addColumn<QString>("backend");
        for (const char* id : {"process-pool:spawn", "process-pool:forkserver", "shm-pool"})
            QTest::newRow(id) << QString(id);
    }
    void chunkingAmortisesIpc() {
        QFETCH(QString, backend);
        WorkloadSpec spec;
        // Enough tasks that the per-task hand-off outweighs what is fixed per run (workers
        // waiting for each other at the start and the end: ~5 ms with exec'd workers).
        spec.tasks = 20000;
        spec.workers = 2;
        spec.taskUs = 0;
        Engine engine(fixedCalibration());
        auto ipcOf = [&](int chunk) {
            spec.chunksize = chunk;
            Experiment ex = engine.run(spec, {backend.toStdString()}, {});
            if (!ex.runs[0].error.empty()) qFatal("%s", ex.runs[0].error.c_str());
            const auto& r = ex.runs[0].repetitions[0];
            // The hand-off's wake-ups also make workers wait for a CPU (cpu-wait).
            return nsToSeconds(r.workerPhases[Phase::Ipc] + r.workerPhases[Phase::Idle] +
                               r.workerPhases[Phase::CpuWait] + r.coordinator.phases[Phase::Ipc]);
        };
        // Three interleaved pairs, compared by their medians: one slow run moves neither.
        std::vector<double> ones, fifties;
        for (int round = 0; round < 3; ++round) {
            ones.push_back(ipcOf(1));
            fifties.push_back(ipcOf(50));
        }
        std::sort(ones.begin(), ones.end());
        std::sort(fifties.begin(), fifties.end());
        const double one = ones[1], fifty = fifties[1];
        qInfo("ipc+idle, medians of 3: chunksize 1: %.1f ms, chunksize 50: %.1f ms", one * 1e3, fifty * 1e3);
        QVERIFY2(fifty * 1.3 < one, "chunksize 50 should cut the per-task hand-off cost by more than 1.3x");
    }
};

QTEST_GUILESS_MAIN(TestNativeBackends)
#include "tst_native_backends.moc"
