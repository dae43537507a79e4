// Interleaved repetitions (WorkloadSpec::interleave, `conlab run --interleave`): repetition r of
// every backend before repetition r+1, warmups first; each backend still holds its own
// repetitions; the observer sees each backend start before its first repetition and finish
// after its last; results files keep the flag and older files load without it.
#include "engine.h"
#include "results_json.h"

#include <QJsonDocument>
#include <QTest>
#include <mutex>
#include <stdexcept>

using namespace conlab;

namespace {

// Records the observer calls in order ("start:ID", "rep:ID:N[w]", "done:ID").
class Recorder final : public EngineObserver {
  public:
    void backendStarted(const std::string& b, int, int) override { add("start:" + b); }
    void repetitionStarted(const std::string& b, int rep, bool warmup) override {
        add("rep:" + b + ":" + std::to_string(rep) + (warmup ? "w" : ""));
    }
    void backendFinished(const BackendRun& run) override { add("done:" + run.backend); }
    std::vector<std::string> calls() {
        std::lock_guard lock(m_mutex);
        return m_calls;
    }

  private:
    void add(std::string s) {
        std::lock_guard lock(m_mutex);
        m_calls.push_back(std::move(s));
    }
    std::mutex m_mutex;
    std::vector<std::string> m_calls;
};

WorkloadSpec small(bool interleave) {
    WorkloadSpec s;
    s.tasks = 20;
    s.taskUs = 10;
    s.workers = 2;
    s.warmup = 1;
    s.repeat = 2;
    s.interleave = interleave;
    return s;
}

QString joined(const std::vector<std::string>& v) {
    QStringList l;
    for (const auto& s : v)
        l << QString::fromStdString(s);
    return l.join(QLatin1Char(' '));
}

} // namespace

class TestInterleave : public QObject {
    Q_OBJECT
  private slots:
    void interleavedOrder() {
        Engine engine(loadOrMeasureCalibration());
        Recorder rec;
        EngineOptions opt;
        opt.observer = &rec;
        const Experiment ex = engine.run(small(true), {"sequential", "thread-pool"}, opt);
        QCOMPARE(joined(rec.calls()),
                 QStringLiteral("start:sequential rep:sequential:0w start:thread-pool rep:thread-pool:0w "
                                "rep:sequential:1 rep:thread-pool:1 rep:sequential:2 rep:thread-pool:2 "
                                "done:sequential done:thread-pool"));
        QCOMPARE(int(ex.runs.size()), 2);
        QCOMPARE(ex.runs[0].backend, std::string("sequential"));
        QCOMPARE(ex.runs[1].backend, std::string("thread-pool"));
        for (const BackendRun& r : ex.runs) {
            QVERIFY2(r.error.empty(), r.error.c_str());
            QCOMPARE(int(r.repetitions.size()), 3);
            for (int i = 0; i < 3; ++i) {
                QCOMPARE(r.repetitions[size_t(i)].index, i);
                QCOMPARE(r.repetitions[size_t(i)].warmup, i == 0);
                QCOMPARE(r.repetitions[size_t(i)].tasksDone, int64_t(20));
            }
            QCOMPARE(r.summary.repetitions, 2);
        }
        QVERIFY(ex.runs[1].summary.speedup.has_value()); // against sequential, as one after the other
        // Interleaved in time too: thread-pool's first measured repetition starts before
        // sequential's second one.
        QVERIFY(ex.runs[1].repetitions[1].startNs < ex.runs[0].repetitions[2].startNs);
    }

    void oneAfterTheOtherByDefault() {
        Engine engine(loadOrMeasureCalibration());
        Recorder rec;
        EngineOptions opt;
        opt.observer = &rec;
        engine.run(small(false), {"sequential", "thread-pool"}, opt);
        QCOMPARE(joined(rec.calls()),
                 QStringLiteral("start:sequential rep:sequential:0w rep:sequential:1 rep:sequential:2 "
                                "done:sequential start:thread-pool rep:thread-pool:0w rep:thread-pool:1 "
                                "rep:thread-pool:2 done:thread-pool"));
    }

    // A backend that cannot run is recorded in its place; the others still run every repetition.
    void unknownBackendInPlace() {
        Engine engine(loadOrMeasureCalibration());
        const Experiment ex = engine.run(small(true), {"sequential", "no-such-backend", "thread-pool"}, {});
        QCOMPARE(int(ex.runs.size()), 3);
        QCOMPARE(ex.runs[1].backend, std::string("no-such-backend"));
        QVERIFY(ex.runs[1].error.find("unknown backend") != std::string::npos);
        QCOMPARE(int(ex.runs[0].repetitions.size()), 3);
        QCOMPARE(int(ex.runs[2].repetitions.size()), 3);
    }

    // A cancel stops every backend: the partial result is flagged, nothing runs on.
    void cancelStopsEveryBackend() {
        Engine engine(loadOrMeasureCalibration());
        CancelToken cancel;
        class CancelAfterFirst final : public EngineObserver {
          public:
            explicit CancelAfterFirst(CancelToken& c) : m_cancel(c) {}
            void repetitionFinished(const std::string&, const RepetitionResult&) override {
                m_cancel.cancel();
            }

          private:
            CancelToken& m_cancel;
        } observer(cancel);
        EngineOptions opt;
        opt.observer = &observer;
        opt.cancel = &cancel;
        const Experiment ex = engine.run(small(true), {"sequential", "thread-pool"}, opt);
        QCOMPARE(int(ex.runs.size()), 1); // thread-pool never started
        QVERIFY(ex.runs[0].cancelled);
        QCOMPARE(int(ex.runs[0].repetitions.size()), 1);
    }

    // A/B (`conlab run --ab`): one experiment per variant, each holding its own repetitions;
    // within a repetition a backend runs under every variant, the order alternating (A B, then
    // B A) so that a drift falls on both alike. The variants are told apart by their task count.
    void variantsAlternate() {
        Engine engine(loadOrMeasureCalibration());
        WorkloadSpec a = small(false), b = small(false);
        a.tasks = 20;
        b.tasks = 30;
        a.repeat = b.repeat = 3; // with the warmup: four rounds
        class TaskCounts final : public EngineObserver {
          public:
            void repetitionFinished(const std::string& backend, const RepetitionResult& r) override {
                std::lock_guard lock(mutex);
                order.push_back(backend + ":" + std::to_string(r.tasksDone));
            }
            std::mutex mutex;
            std::vector<std::string> order;
        } counts;
        EngineOptions opt;
        opt.observer = &counts;
        const std::vector<Experiment> ex = engine.runVariants({a, b}, {"sequential", "thread-pool"}, opt);
        QCOMPARE(joined(counts.order),
                 QStringLiteral("sequential:20 sequential:30 thread-pool:20 thread-pool:30 "
                                "sequential:30 sequential:20 thread-pool:30 thread-pool:20 "
                                "sequential:20 sequential:30 thread-pool:20 thread-pool:30 "
                                "sequential:30 sequential:20 thread-pool:30 thread-pool:20"));
        QCOMPARE(int(ex.size()), 2);
        for (int v = 0; v < 2; ++v) {
            QCOMPARE(ex[size_t(v)].spec.tasks, int64_t(v == 0 ? 20 : 30));
            QVERIFY(ex[size_t(v)].spec.interleave);
            QCOMPARE(int(ex[size_t(v)].runs.size()), 2);
            for (const BackendRun& r : ex[size_t(v)].runs) {
                QVERIFY2(r.error.empty(), r.error.c_str());
                QCOMPARE(int(r.repetitions.size()), 4);
                QCOMPARE(r.summary.repetitions, 3);
                for (const auto& rep : r.repetitions)
                    QCOMPARE(rep.tasksDone, ex[size_t(v)].spec.tasks);
            }
            QVERIFY(ex[size_t(v)].runs[1].summary.speedup.has_value()); // within its own variant
        }
        QCOMPARE(ex[0].machine.cpuModel, ex[1].machine.cpuModel);
        QCOMPARE(ex[0].createdUtc, ex[1].createdUtc);
    }

    void variantsNeedTheSameRepetitions() {
        Engine engine(loadOrMeasureCalibration());
        WorkloadSpec a = small(false), b = small(false);
        b.repeat = a.repeat + 1;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, engine.runVariants({a, b}, {"sequential"}, {}));
        b = a;
        b.warmup = a.warmup + 1;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, engine.runVariants({a, b}, {"sequential"}, {}));
    }

    void resultsFileKeepsTheFlag() {
        for (bool interleave : {false, true}) {
            QString error;
            const auto back = specFromJson(specToJson(small(interleave)), &error);
            QVERIFY2(back, qPrintable(error));
            QCOMPARE(back->interleave, interleave);
        }
        QJsonObject old = specToJson(small(true));
        old.remove("interleave"); // a file from before the flag
        QString error;
        auto back = specFromJson(old, &error);
        QVERIFY2(back, qPrintable(error));
        QVERIFY(!back->interleave);
        old.insert("interleave", "yes");
        QVERIFY(!specFromJson(old, &error));
        QVERIFY2(error.contains("interleave"), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestInterleave)
#include "tst_interleave.moc"
