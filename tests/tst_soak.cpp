// Soak: many consecutive short runs across every backend; no growth in fds, child
// processes, /dev/shm objects or RSS. CONLAB_SOAK_RUNS sets the count (default 1,000: ~41
// runs of each of 24 backends, ~112 s in an idle release build on the 2-core VM and up to
// twice that beside another test, mostly the Python backends starting interpreters; 200
// under ASan/TSan). 2,000 runs took 224 s idle and timed out at 300 s in CI beside others.
#include "backend_registry.h"
#include "engine.h"
#include "test_util.h"

#include <QElapsedTimer>
#include <QTest>
#include <QThread>
#include <cstdio>
#include <unistd.h>

using namespace conlab;

namespace {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

int64_t rssBytes() {
    long pages = 0, resident = 0;
    if (FILE* f = std::fopen("/proc/self/statm", "r")) {
        if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
        std::fclose(f);
    }
    return int64_t(resident) * sysconf(_SC_PAGESIZE);
}
} // namespace

class TestSoak : public QObject {
    Q_OBJECT
  private slots:
    void manyShortRunsLeakNothing() {
        const int runs = qEnvironmentVariableIntValue("CONLAB_SOAK_RUNS") > 0
                             ? qEnvironmentVariableIntValue("CONLAB_SOAK_RUNS")
                             : (kSanitized ? 200 : 1000); // sanitized runs are ~20x slower
        std::vector<std::string> backends;
        auto& reg = BackendRegistry::instance();
        for (const auto& info : reg.list())
            if (reg.create(info.id)->availability().available) backends.push_back(info.id);
        Engine engine(loadOrMeasureCalibration());
        WorkloadSpec spec;
        spec.tasks = 6;
        spec.workers = 2;
        spec.taskUs = 20;
        spec.messages = 1;
        spec.inputBytes = 256;
        spec.resultBytes = 256;
        // Warm-up: allocator arenas, thread stacks and lazily loaded state settle first.
        const int warm = std::min(runs / 10 + 1, 100);
        const int fds0 = test::openFdCount();
        const QStringList shm0 = test::shmEntriesNotOfOtherConlabs();
        int64_t rssWarm = 0, rssMax = 0;
        QElapsedTimer t;
        t.start();
        for (int i = 0; i < runs; ++i) {
            Experiment ex = engine.run(spec, {backends[size_t(i) % backends.size()]}, {});
            QVERIFY2(ex.runs[0].error.empty(), ex.runs[0].error.c_str());
            QCOMPARE(ex.runs[0].repetitions[0].tasksDone, spec.tasks);
            if (i + 1 == warm) rssWarm = rssBytes();
            if (i + 1 >= warm) rssMax = std::max(rssMax, rssBytes());
            if (i % 50 == 49 || i + 1 == runs) {
                QVERIFY2(test::noUnreapedChild(), qPrintable(QString("run %1").arg(i)));
                QCOMPARE(test::childProcessCount(), 0);
                QCOMPARE(test::openFdCount(), fds0);
                // /dev/shm is machine-wide: see tst_faults.
                for (int k = 0; k < 10 && test::shmEntriesNotOfOtherConlabs() != shm0; ++k)
                    QThread::msleep(50);
                QCOMPARE(test::shmEntriesNotOfOtherConlabs(), shm0);
            }
        }
        const int64_t rssEnd = rssBytes();
        const double growthMiB = double(rssMax - rssWarm) / (1 << 20);
        qInfo("soak: %d runs over %zu backends in %.1f s; RSS after warm-up %.1f MiB, max %.1f MiB, end %.1f "
              "MiB (growth %.2f MiB); fds %d, children 0, /dev/shm unchanged",
              runs, backends.size(), double(t.nsecsElapsed()) * 1e-9, double(rssWarm) / (1 << 20),
              double(rssMax) / (1 << 20), double(rssEnd) / (1 << 20), growthMiB, test::openFdCount());
        // ASan's quarantine and TSan's shadow grow RSS by design: the bound applies unsanitized.
        if (!kSanitized) QVERIFY2(growthMiB < 8.0, qPrintable(QString("RSS grew %1 MiB").arg(growthMiB)));
    }
};

QTEST_GUILESS_MAIN(TestSoak)
#include "tst_soak.moc"
