// The measurement primitives of issue 10: bounded whole-life timelines, cpu-wait taken out of
// the phase it interrupts, latency quantiles in bounded memory, and lanes in results files
// (also from schema-1 files).
#include "busy_load.h"
#include "files/key_value_file.h"
#include "files/results_lanes.h"
#include "measurement/latency_histogram.h"
#include "measurement/machine_load.h"
#include "measurement/run_delay.h"
#include "measurement/timeline.h"
#include "phase_recorder.h"
#include "results_json.h"
#include "statistics.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <algorithm>
#include <cmath>
#include <random>
#include <sched.h>
#include <sys/stat.h>
#include <thread>

using namespace conlab;

namespace {
int64_t segmentSpan(const Timeline& t) {
    int64_t sum = 0;
    for (const auto& s : t.segments())
        sum += s.endNs - s.startNs;
    return sum;
}

// Keeps the calling thread's CPU busy for `ns` of wall time.
void spinFor(int64_t ns) {
    const int64_t end = nowNs() + ns;
    volatile uint64_t x = 0;
    while (nowNs() < end)
        x = x + 1;
}
} // namespace

class TestMeasurement : public QObject {
    Q_OBJECT

  private slots:
    void timelineIsExactWithinItsBudget() {
        Timeline t(16);
        t.add(0, 10, Phase::Ipc);
        t.add(10, 30, Phase::Compute);
        t.add(30, 35, Phase::Compute); // same phase, contiguous: extends
        t.add(35, 40, Phase::Idle);
        QCOMPARE(int(t.size()), 3);
        QVERIFY(!t.reduced());
        QCOMPARE(t.reducedFromNs(), int64_t(-1));
        QCOMPARE(t.segments()[1].endNs, int64_t(35));
        QCOMPARE(t.totals()[Phase::Compute], int64_t(25));
    }

    // Past the budget, detail is reduced, never cut: the segments still tile the whole life
    // and every phase keeps its time.
    void timelineReducesDetailButCoversTheWholeLife_data() {
        QTest::addColumn<int>("budget");
        QTest::addColumn<int>("intervals");
        QTest::newRow("8 of 10000") << 8 << 10000;
        QTest::newRow("64 of 100000") << 64 << 100000;
        QTest::newRow("512 of 513") << 512 << 513;
    }
    void timelineReducesDetailButCoversTheWholeLife() {
        QFETCH(int, budget);
        QFETCH(int, intervals);
        const unsigned seed = std::random_device{}();
        qInfo("seed %u", seed);
        std::mt19937 rng(seed);
        Timeline t{size_t(budget)};
        PhaseTotals expected;
        int64_t now = 1000;
        size_t last = 0;
        for (int i = 0; i < intervals; ++i) {
            const int64_t d = 1 + int64_t(rng() % 5000);
            last = (last + 1 + rng() % (kWorkerPhases.size() - 1)) % kWorkerPhases.size(); // a new phase
            const Phase p = kWorkerPhases[last];
            t.add(now, now + d, p);
            expected[p] += d;
            now += d;
        }
        QVERIFY(t.size() <= size_t(budget));
        QVERIFY(t.reduced());
        QVERIFY(t.reducedFromNs() >= 1000);
        QCOMPARE(t.totals(), expected);
        QCOMPARE(t.segments().front().startNs, int64_t(1000));
        QCOMPARE(t.segments().back().endNs, now);
        QCOMPARE(segmentSpan(t), now - 1000);
        for (size_t i = 1; i < t.size(); ++i)
            QCOMPARE(t.segments()[i].startNs, t.segments()[i - 1].endNs);
    }

    void cpuWaitSplitsTheIntervalItInterrupted() {
        Timeline t(16);
        t.add(0, 100, Phase::Idle);
        t.add(100, 1100, Phase::Compute);
        t.moveToCpuWait(100, 400); // the window is the compute interval only
        QCOMPARE(t.totals()[Phase::Compute], int64_t(600));
        QCOMPARE(t.totals()[Phase::CpuWait], int64_t(400));
        QCOMPARE(t.totals()[Phase::Idle], int64_t(100));
        QCOMPARE(t.segments().back().dominant(), Phase::CpuWait);
        QCOMPARE(t.segments().back().startNs, int64_t(700));
        QCOMPARE(segmentSpan(t), int64_t(1100));
        t.moveToCpuWait(0, 1'000'000); // more than there is: capped at the window
        QCOMPARE(t.totals().total(), int64_t(1100));
        QCOMPARE(t.totals()[Phase::CpuWait], int64_t(1100));
    }

    // A real preemption: two threads spinning on one CPU each wait about half of the time,
    // and the recorder moves that out of compute; totals still partition the lifetime.
    void recorderMeasuresCpuWaitFromTheKernel() {
        if (!RunDelayReader::forThisThread().open()) QSKIP("no /proc/thread-self/schedstat here");
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(0, &one);
        PhaseTotals totals[2];
        int64_t life[2] = {0, 0}, timelineTotal[2] = {0, 0};
        auto body = [&](int i) {
            sched_setaffinity(0, sizeof one, &one);
            PhaseRecorder rec(64);
            const int64_t t0 = nowNs();
            rec.start(Phase::Idle, t0);
            for (int k = 0; k < 20; ++k) {
                rec.switchTo(Phase::Compute);
                spinFor(5'000'000);
                rec.switchTo(Phase::Ipc);
            }
            life[i] = rec.stop() - t0;
            totals[i] = rec.totals();
            timelineTotal[i] = rec.timeline().totals().total();
        };
        std::thread a(body, 0), b(body, 1);
        a.join();
        b.join();
        for (int i = 0; i < 2; ++i) {
            QCOMPARE(totals[i].total(), life[i]);
            QCOMPARE(timelineTotal[i], life[i]);
            const double share = double(totals[i][Phase::CpuWait]) / double(life[i]);
            qInfo("thread %d: cpu-wait %.0f%% of its life", i, share * 100);
            QVERIFY2(share > 0.2, qPrintable(QString::number(share))); // ~0.5 when nothing else runs
            QVERIFY(totals[i][Phase::Compute] > 0);
        }
    }

    void recorderWithoutCpuWaitKeepsPhasesAsRecorded() {
        PhaseRecorder rec(8, CpuWaitMode::Off);
        rec.start(Phase::Compute, 0);
        rec.switchTo(Phase::Idle, 5'000'000);
        rec.stop(6'000'000);
        QCOMPARE(rec.totals()[Phase::CpuWait], int64_t(0));
        QCOMPARE(rec.totals()[Phase::Compute], int64_t(5'000'000));
        QVERIFY(!rec.measuresCpuWait());
    }

    // Quantiles within 1% of the exact order statistic, in 64 KiB whatever the count.
    void latencyHistogramIsWithinOnePercent_data() {
        QTest::addColumn<int>("distribution");
        QTest::newRow("uniform 1 µs – 10 ms") << 0;
        QTest::newRow("log-normal") << 1;
        QTest::newRow("tiny exact values") << 2;
    }
    void latencyHistogramIsWithinOnePercent() {
        QFETCH(int, distribution);
        const unsigned seed = std::random_device{}();
        qInfo("seed %u", seed);
        std::mt19937_64 rng(seed);
        LatencyHistogram h;
        std::vector<double> v;
        for (int i = 0; i < 200000; ++i) {
            int64_t x = 0;
            if (distribution == 0) x = 1000 + int64_t(rng() % 10'000'000);
            if (distribution == 1) x = int64_t(std::exp(std::normal_distribution<double>(10, 2)(rng)));
            if (distribution == 2) x = int64_t(rng() % 100);
            h.record(x);
            v.push_back(double(x));
        }
        std::sort(v.begin(), v.end());
        for (double q : {0.0, 0.01, 0.5, 0.95, 0.99, 0.999, 1.0}) {
            const double exact = v[size_t(std::floor(q * double(v.size() - 1)))];
            const double got = h.quantileNs(q);
            QVERIFY2(std::abs(got - exact) <= 0.01 * exact + 1e-9,
                     qPrintable(QString("q %1: %2 vs exact %3").arg(q).arg(got).arg(exact)));
        }
        QCOMPARE(h.count(), int64_t(v.size()));
        QVERIFY(std::abs(h.meanNs() - mean(v)) <= 1e-6 * mean(v) + 1e-9);
        QVERIFY(sizeof(LatencyHistogram) <= 65 * 1024);
    }

    void bucketsTileTheRange() {
        for (int b = 1; b < LatencyHistogram::kBuckets; ++b)
            QCOMPARE(LatencyHistogram::bucketLow(b), LatencyHistogram::bucketHigh(b - 1));
        for (uint64_t v : {uint64_t(0), uint64_t(127), uint64_t(128), uint64_t(1) << 40, ~uint64_t(0) >> 1}) {
            const int b = LatencyHistogram::bucketOf(v);
            QVERIFY(LatencyHistogram::bucketLow(b) <= v && v < LatencyHistogram::bucketHigh(b));
        }
    }

    void lanesRoundTripThroughTheFile() {
        LaneRecord l;
        l.lane = 3;
        l.workers = 7;
        l.tasks = 70;
        l.tFirstRequestNs = 1'000'000'000;
        l.tLastReapedNs = 1'000'000'000 + 80'000;
        l.phases[Phase::Compute] = 60'000;
        l.phases[Phase::Spawn] = 20'000;
        l.timeline = Timeline(4);
        for (int i = 0; i < 8; ++i) // 8 intervals into 4 segments: reduced
            l.timeline.add(l.tFirstRequestNs + i * 10'000, l.tFirstRequestNs + (i + 1) * 10'000,
                           i % 2 == 0 ? Phase::Spawn : Phase::Compute);
        const QJsonArray a = lanesToJson({l}, 1'000'000'000);
        std::vector<LaneRecord> back;
        QString error;
        QVERIFY2(lanesFromJson(a, back, error), qPrintable(error));
        QCOMPARE(int(back.size()), 1);
        QCOMPARE(back[0].lane, 3);
        QCOMPARE(back[0].workers, int64_t(7));
        QCOMPARE(back[0].tFirstRequestNs, int64_t(0));
        QCOMPARE(back[0].timeline.size(), l.timeline.size());
        QCOMPARE(back[0].timeline.reduced(), true);
        QCOMPARE(back[0].timeline.totals()[Phase::Spawn], l.timeline.totals()[Phase::Spawn]);
        QCOMPARE(back[0].phases[Phase::Compute], int64_t(60'000));
    }

    // The calibration caches' key=value files: numbers checked, a FIFO planted at the path
    // neither blocks nor is read.
    void keyValueFilesAreReadSafely() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string path = (dir.path() + QStringLiteral("/cal")).toStdString();
        {
            QFile f(QString::fromStdString(path));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("cpu_steps_per_us=441.5\nmemory_visits_per_us=12x\nno equals sign\ncpu_model=AMD EPYC\n");
        }
        const auto kv = readKeyValueFile(path);
        QCOMPARE(numberOf(kv, "cpu_steps_per_us"), 441.5);
        QVERIFY(std::isnan(numberOf(kv, "memory_visits_per_us"))); // "12x" is not a number
        QVERIFY(std::isnan(numberOf(kv, "missing")));
        QCOMPARE(textOf(kv, "cpu_model"), std::string("AMD EPYC"));
        const std::string fifo = (dir.path() + QStringLiteral("/fifo")).toStdString();
        QCOMPARE(mkfifo(fifo.c_str(), 0600), 0);
        QElapsedTimer t;
        t.start();
        QVERIFY(readKeyValueFile(fifo).empty());
        QVERIFY(t.elapsed() < 2000);
    }

    // A schema-1 file still loads: its worker intervals become lanes, with a note on what the
    // file lacks.
    // The machine-load sampler sees other processes' CPU time: at least what two spinning
    // children the test owns used (whatever else the machine runs, e.g. other tests, only
    // adds), and conlab's own CPU time is not counted as others'.
    void machineLoadSeesOtherProcesses() {
        const double cpus = double(std::max(1L, sysconf(_SC_NPROCESSORS_ONLN)));
        conlab::test::BusyLoad load{int(cpus)};
        QCOMPARE(load.running(), int(cpus));
        QThread::msleep(50); // let them start
        const double spun0 = load.cpuSeconds();
        const CpuCounters a = readCpuCounters();
        QThread::msleep(400);
        const CpuCounters b = readCpuCounters();
        const double spun = load.cpuSeconds() - spun0;
        const MachineLoad l = machineLoadBetween(a, b, 0.4);
        QVERIFY(l.measured);
        const double others = othersShare(l, 0) * l.capacityCpuS;
        qInfo("spinners used %.2f CPU s; the sampler saw %.2f CPU s of others' work in %.2f CPU s", spun,
              others, l.capacityCpuS);
        QVERIFY2(spun > 0.1, qPrintable(QString::number(spun)));
        QVERIFY(l.capacityCpuS > 0.2 * cpus * 0.4);
        // Both count in clock ticks (10 ms) and are read a moment apart: a few ticks of margin.
        QVERIFY2(others >= spun * 0.9 - 0.05, qPrintable(QStringLiteral("%1 < %2").arg(others).arg(spun)));
        // Own CPU time is not others': subtracting all of it leaves nothing.
        QCOMPARE(othersShare(l, l.busyCpuS), 0.0);
        QVERIFY(loadAverage1() >= 0);
    }

    void schemaOneFilesLoadWithANote() {
        QFile f(QStringLiteral(CONLAB_SOURCE_DIR "/tests/fuzz/results/two-backends.json"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        LoadResult r = fromJsonBytes(f.readAll());
        QVERIFY2(r.experiment, qPrintable(r.error));
        QVERIFY(r.note.contains(QLatin1String("cpu-wait")));
        bool anyLane = false;
        for (const auto& run : r.experiment->runs)
            for (const auto& rep : run.repetitions) {
                QVERIFY(!rep.cpuWaitMeasured);
                if (!rep.workers.empty()) QVERIFY(!rep.lanes.empty());
                anyLane = anyLane || !rep.lanes.empty();
                for (const auto& l : rep.lanes)
                    QVERIFY(!l.timeline.empty());
            }
        QVERIFY(anyLane);
        // Saved again, it is a schema-2 file without a note.
        LoadResult again = fromJsonBytes(toJsonBytes(*r.experiment));
        QVERIFY2(again.experiment, qPrintable(again.error));
        QVERIFY(again.note.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestMeasurement)
#include "tst_measurement.moc"
