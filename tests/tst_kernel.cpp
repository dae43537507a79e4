#include "phase_recorder.h"
#include "task_cursor.h"
#include "task_kernel.h"
#include "task_runner.h"

#include <QTest>

using namespace conlab;

namespace {
// Echoes like a coordinator, counting exchanges.
class EchoChannel final : public MessageChannel {
  public:
    std::span<const std::byte> exchange(int64_t, uint64_t, std::span<const std::byte> out) override {
        ++count;
        reply.assign(out.begin(), out.end());
        return reply;
    }
    int count = 0;
    std::vector<std::byte> reply;
};
} // namespace

class TestKernel : public QObject {
    Q_OBJECT
  private slots:
    void lcgJumpMatchesStepping() {
        for (uint64_t n : {0ull, 1ull, 2ull, 63ull, 1000ull, 123457ull}) {
            uint64_t x = 42;
            for (uint64_t i = 0; i < n; ++i)
                x = lcgStep(x);
            QCOMPARE(lcgJump(42, n), x);
            QCOMPARE(runCpu(42, n, nullptr), x);
        }
    }

    void memoryChecksumClosedForm() {
        WorkerScratch scratch;
        for (auto [words, visits] :
             {std::pair<uint64_t, uint64_t>{8, 0}, {8, 5}, {8, 64}, {1000, 12345}, {1, 7}}) {
            QCOMPARE(runMemory(99, words, visits, scratch, nullptr), expectedMemory(99, words, visits));
        }
    }

    void patternDetectsCorruption() {
        std::vector<std::byte> buf(1027);
        fillPattern(buf, 7);
        QVERIFY(verifyPattern(buf, 7));
        QVERIFY(!verifyPattern(buf, 8));
        buf[1026] ^= std::byte{1}; // the tail byte counts too
        QVERIFY(!verifyPattern(buf, 7));
        std::vector<std::byte> empty;
        fillPattern(empty, 1);
        QVERIFY(verifyPattern(empty, 1));
    }

    // Splitting a task into message segments must not change its checksum, and every
    // message must really be exchanged.
    void runTaskSegmentsKeepChecksum_data() {
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("messages");
        for (int k = 0; k < 3; ++k)
            for (int m : {0, 1, 7})
                QTest::addRow("kind %d, %d messages", k, m) << k << m;
    }
    void runTaskSegmentsKeepChecksum() {
        QFETCH(int, kind);
        QFETCH(int, messages);
        TaskParams p;
        p.work.kind = TaskKind(kind);
        p.work.iterations = 100003;
        p.work.words = 512;
        p.work.waitNs = 200'000;
        p.messages = messages;
        p.payload = 100;
        p.resultBytes = 33;
        const uint64_t seed = taskSeed(5, 11);
        std::vector<std::byte> input(64), result;
        fillPattern(input, inputSeed(seed));
        PhaseRecorder rec(100);
        rec.start(Phase::Idle);
        WorkerScratch scratch;
        EchoChannel ch;
        TaskOutcome o = runTask(p, 11, seed, input, &ch, rec, scratch, result, nullptr, -1);
        rec.stop();
        QCOMPARE(o.checksum, expectedChecksum(p.work, seed));
        QVERIFY(o.inputOk);
        QVERIFY(o.replyOk);
        QCOMPARE(ch.count, messages);
        QCOMPARE(o.roundTrips, int64_t(messages));
        QCOMPARE(int(result.size()), 33);
        QVERIFY(verifyPattern(result, resultSeed(o.checksum)));
        QVERIFY(rec.totals()[Phase::Compute] > 0);
        if (messages) QVERIFY(rec.totals()[Phase::Ipc] > 0);
        QCOMPARE(rec.totals().total(), rec.stopNs() - rec.startNs());
    }

    // The cursor the event loop resumes segment by segment computes the same work: io segments
    // add up to the task's wait, and every kind's checksum is the predicted one.
    void cursorResumesToTheSameChecksum_data() { runTaskSegmentsKeepChecksum_data(); }
    void cursorResumesToTheSameChecksum() {
        QFETCH(int, kind);
        QFETCH(int, messages);
        TaskWork w;
        w.kind = TaskKind(kind);
        w.iterations = 100003;
        w.words = 512;
        w.waitNs = 200'001;
        const uint64_t seed = taskSeed(9, 3);
        std::vector<uint64_t> memory;
        TaskCursor c(w, messages, seed, memory);
        QCOMPARE(c.segments(), uint64_t(messages) + 1);
        int64_t waited = 0;
        int exchanges = 0;
        for (;;) {
            waited += c.runSegment(nullptr);
            if (!c.messageAfterSegment()) break;
            QCOMPARE(c.messageSeed(), messageSeed(seed, c.segment()));
            ++exchanges;
            c.nextSegment();
        }
        QCOMPARE(exchanges, messages);
        QCOMPARE(waited, w.kind == TaskKind::Io ? w.waitNs : int64_t(0));
        QCOMPARE(c.checksum(), expectedChecksum(w, seed));
    }

    void corruptInputIsReported() {
        TaskParams p;
        p.work.iterations = 10;
        std::vector<std::byte> input(16), result;
        fillPattern(input, inputSeed(3));
        input[0] ^= std::byte{0x80};
        PhaseRecorder rec;
        rec.start(Phase::Idle);
        WorkerScratch scratch;
        QVERIFY(!runTask(p, 0, 3, input, nullptr, rec, scratch, result, nullptr, -1).inputOk);
    }

    void ioWaitBlocksWithoutCpu() {
        WorkerScratch scratch;
        const int64_t t0 = nowNs();
        timespec c0, c1;
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
        QVERIFY(runIoWait(20'000'000, scratch, -1));
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
        const int64_t wall = nowNs() - t0;
        const int64_t cpu = (c1.tv_sec - c0.tv_sec) * 1'000'000'000 + (c1.tv_nsec - c0.tv_nsec);
        QVERIFY(wall >= 20'000'000);
        QVERIFY2(cpu < wall / 4, "an io wait must not burn CPU");
    }

    void recorderPartitions() {
        PhaseRecorder rec(4, CpuWaitMode::Off); // fake timestamps: no kernel run delay
        rec.start(Phase::Spawn, 100);
        rec.switchTo(Phase::Compute, 150);
        rec.switchTo(Phase::Compute, 170); // merged into one interval
        rec.switchTo(Phase::Ipc, 200);
        rec.switchTo(Phase::Idle, 260);
        rec.stop(300);
        QCOMPARE(rec.totals()[Phase::Spawn], int64_t(50));
        QCOMPARE(rec.totals()[Phase::Compute], int64_t(50));
        QCOMPARE(rec.totals()[Phase::Ipc], int64_t(60));
        QCOMPARE(rec.totals()[Phase::Idle], int64_t(40));
        QCOMPARE(rec.totals().total(), int64_t(200));
        const auto& seg = rec.timeline().segments();
        QCOMPARE(int(seg.size()), 4); // the two compute intervals merged into one
        QCOMPARE(seg[1].startNs, int64_t(150));
        QCOMPARE(seg[1].endNs, int64_t(200));
        QCOMPARE(seg[1].dominant(), Phase::Compute);
        QCOMPARE(rec.timeline().totals(), rec.totals());
    }
};

QTEST_GUILESS_MAIN(TestKernel)
#include "tst_kernel.moc"
