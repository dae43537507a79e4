// `conlab compare`: the rank statistics against exact values (hand-computed or enumerated),
// the comparison of two experiments, and the command on real results files.
#include "compare/compare.h"
#include "compare/rank_tests.h"
#include "results_json.h"

#include "cli_runner.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <cmath>
#include <functional>
#include <random>

using namespace conlab;
using cli_test::runConlab;

namespace {

// The exact two-sided p by enumerating every way of choosing which n of the n + m pooled
// ranks belong to x: independent of the recursion the implementation uses.
double enumeratedP(int n, int m, double observedU) {
    const int N = n + m;
    std::vector<double> us;
    std::function<void(int, int, double)> pick = [&](int next, int left, double u) {
        if (left == 0) {
            us.push_back(u);
            return;
        }
        for (int r = next; r <= N - left; ++r) {
            // x at rank r (0-based) beats the y's below it: r minus the x's already below.
            const int xsBelow = n - left;
            pick(r + 1, left - 1, u + double(r - xsBelow));
        }
    };
    pick(0, n, 0);
    double below = 0, above = 0;
    for (double u : us) {
        if (u <= observedU) below += 1;
        if (u >= observedU) above += 1;
    }
    return std::min(1.0, 2.0 * std::min(below, above) / double(us.size()));
}

RepetitionResult rep(double throughput, int64_t computeNs, bool warmup = false) {
    RepetitionResult r;
    r.warmup = warmup;
    r.throughput = throughput;
    r.wallS = 1000.0 / throughput;
    r.tasksDone = 1000;
    r.workerPhases[Phase::Compute] = computeNs;
    return r;
}

BackendRun backendRun(const std::string& name, std::vector<double> throughputs) {
    BackendRun b;
    b.backend = name;
    b.workers = 2;
    for (double t : throughputs)
        b.repetitions.push_back(rep(t, int64_t(1e9 * 900.0 / t)));
    return b;
}

Experiment experiment() {
    Experiment ex;
    ex.spec.tasks = 1000;
    ex.spec.taskUs = 50;
    ex.machine.cpuModel = "test cpu";
    ex.machine.onlineCores = 2;
    ex.calibration.cpuStepsPerUs = 500;
    ex.calibration.memoryVisitsPerUs = 100;
    return ex;
}

const FigureComparison* figure(const Comparison& c, const std::string& backend, const std::string& name) {
    for (const auto& b : c.backends)
        if (b.backend == backend)
            for (const auto& f : b.figures)
                if (f.figure == name) return &f;
    return nullptr;
}

QJsonObject readJson(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

bool writeJson(const QString& path, const QJsonObject& o) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(QJsonDocument(o).toJson()) > 0;
}

} // namespace

class TestCompare : public QObject {
    Q_OBJECT
  private slots:
    void exactUTest_data() {
        QTest::addColumn<QList<double>>("x");
        QTest::addColumn<QList<double>>("y");
        QTest::addColumn<double>("u");
        QTest::addColumn<double>("p");
        // All of x below all of y: U = 0, p = 2 / C(n+m, n).
        QTest::addRow("separated 5/5")
            << QList<double>{1, 2, 3, 4, 5} << QList<double>{6, 7, 8, 9, 10} << 0.0 << 2.0 / 252.0;
        QTest::addRow("separated 3/3") << QList<double>{1, 2, 3} << QList<double>{4, 5, 6} << 0.0 << 0.1;
        QTest::addRow("reversed 3/3") << QList<double>{4, 5, 6} << QList<double>{1, 2, 3} << 9.0 << 0.1;
        // x = 1 3 5, y = 2 4 6: pairs x > y are (3,2) (5,2) (5,4): U = 3; P(U ≤ 3) = 7/20.
        QTest::addRow("interleaved 3/3") << QList<double>{1, 3, 5} << QList<double>{2, 4, 6} << 3.0 << 0.7;
        QTest::addRow("one each") << QList<double>{1} << QList<double>{2} << 0.0 << 1.0;
    }
    void exactUTest() {
        QFETCH(QList<double>, x);
        QFETCH(QList<double>, y);
        QFETCH(double, u);
        QFETCH(double, p);
        std::vector<double> vx(x.begin(), x.end()), vy(y.begin(), y.end());
        const MannWhitney r = mannWhitneyU(vx, vy);
        QVERIFY(r.exact);
        QCOMPARE(r.u, u);
        QVERIFY2(std::abs(r.p - p) < 1e-12, qPrintable(QString::number(r.p, 'g', 17)));
    }

    // Random samples without ties against full enumeration.
    void exactMatchesEnumeration() {
        const quint32 seed = QRandomGenerator::global()->generate();
        qInfo("seed %u", seed);
        QRandomGenerator rng(seed);
        for (int trial = 0; trial < 40; ++trial) {
            const int n = 1 + int(rng.bounded(7)), m = 1 + int(rng.bounded(7));
            std::vector<double> pool;
            for (int k = 0; k < n + m; ++k)
                pool.push_back(double(k) + rng.generateDouble() * 0.5); // distinct
            std::shuffle(pool.begin(), pool.end(), std::mt19937(rng.generate()));
            std::vector<double> x(pool.begin(), pool.begin() + n), y(pool.begin() + n, pool.end());
            const MannWhitney r = mannWhitneyU(x, y);
            QVERIFY(r.exact);
            const double expected = enumeratedP(n, m, r.u);
            QVERIFY2(std::abs(r.p - expected) < 1e-9,
                     qPrintable(QStringLiteral("n=%1 m=%2 U=%3: p %4, enumerated %5")
                                    .arg(n)
                                    .arg(m)
                                    .arg(r.u)
                                    .arg(r.p, 0, 'g', 12)
                                    .arg(expected, 0, 'g', 12)));
        }
    }

    // Ties: the normal approximation with tie and continuity corrections, by hand.
    // x = 1 2 2 3, y = 2 3 4 4: midranks 1 3 3 | 3, 5.5 | 5.5, 7.5 7.5; R_x = 12.5, U = 2.5;
    // σ² = 16/12 · (9 − 36/56) = 11.142857…; z = (5.5 − 0.5)/σ = 1.4978617; p = erfc(z/√2).
    void tiesUseTheNormalApproximation() {
        const std::vector<double> x{1, 2, 2, 3}, y{2, 3, 4, 4};
        const MannWhitney r = mannWhitneyU(x, y);
        QVERIFY(!r.exact);
        QCOMPARE(r.u, 2.5);
        QVERIFY2(std::abs(r.p - 0.13416918012812581) < 1e-12, qPrintable(QString::number(r.p, 'g', 17)));
        // Every value equal: no evidence.
        QCOMPARE(mannWhitneyU(std::vector<double>{3, 3}, std::vector<double>{3, 3, 3}).p, 1.0);
        // Large samples (beyond the exact limit) are approximated too and still separate.
        std::vector<double> a, b;
        for (int k = 0; k < 60; ++k) {
            a.push_back(k);
            b.push_back(k + 100);
        }
        const MannWhitney big = mannWhitneyU(a, b);
        QVERIFY(!big.exact);
        QCOMPARE(big.u, 0.0);
        QVERIFY(big.p < 1e-15);
    }

    void smallestP() {
        QCOMPARE(smallestPossibleP(3, 3), 0.1);
        QVERIFY(std::abs(smallestPossibleP(5, 5) - 2.0 / 252.0) < 1e-15);
        QVERIFY(std::abs(smallestPossibleP(8, 8) - 2.0 / 12870.0) < 1e-15);
        QCOMPARE(smallestPossibleP(1, 1), 1.0);
        QCOMPARE(smallestPossibleP(0, 4), 1.0);
    }

    // y = x + 10 for x = 1 … 5: differences 6 … 14 (6 once, 7 twice, … 10 five times …);
    // the median is 10; with n = m = 5, P(U ≤ 2) = 4/252 ≤ 2.5% < P(U ≤ 3) = 7/252, so the
    // interval is the 3rd smallest and 3rd largest difference: [7, 13].
    void hodgesLehmann() {
        const std::vector<double> x{1, 2, 3, 4, 5}, y{11, 12, 13, 14, 15};
        const ShiftEstimate s = hodgesLehmannShift(x, y);
        QVERIFY(s.valid && s.bounded);
        QCOMPARE(s.estimate, 10.0);
        QCOMPARE(s.low, 7.0);
        QCOMPARE(s.high, 13.0);
        // n = m = 8: the two-sided 5% critical U is 13 (tables): the 14th difference from each end.
        std::vector<double> a, b;
        for (int k = 0; k < 8; ++k) {
            a.push_back(k * 8);    // 0 8 … 56
            b.push_back(1000 + k); // 1000 … 1007
        }
        std::vector<double> d;
        for (double u : a)
            for (double v : b)
                d.push_back(v - u);
        std::sort(d.begin(), d.end());
        const ShiftEstimate s8 = hodgesLehmannShift(a, b);
        QVERIFY(s8.bounded);
        QCOMPARE(s8.low, d[13]);
        QCOMPARE(s8.high, d[63 - 13]);
        // Too few for 95%: every difference, flagged.
        const ShiftEstimate s3 =
            hodgesLehmannShift(std::vector<double>{1, 2, 3}, std::vector<double>{5, 6, 7});
        QVERIFY(s3.valid && !s3.bounded);
        QCOMPARE(s3.low, 2.0);
        QCOMPARE(s3.high, 6.0);
        QVERIFY(!hodgesLehmannShift({}, std::vector<double>{1}).valid);
    }

    void slowerBackendIsSignificant() {
        Experiment base = experiment(), next = experiment();
        base.runs = {backendRun("a", {100, 101, 99, 102, 98, 100}),
                     backendRun("b", {50, 51, 49, 52, 48, 50})};
        next.runs = {backendRun("a", {60, 61, 59, 62, 58, 60}), backendRun("b", {50, 51, 49, 52, 48, 50})};
        const Comparison c = compareExperiments(base, next, {});
        QVERIFY(c.differences.empty());
        const FigureComparison* ta = figure(c, "a", "throughput");
        QVERIFY(ta);
        QVERIFY(ta->significant);
        QCOMPARE(ta->verdict, std::string("slower"));
        QVERIFY(ta->ratio && std::abs(*ta->ratio - 0.6) < 0.02);
        QVERIFY(*ta->ratioLow < *ta->ratio && *ta->ratio < *ta->ratioHigh && *ta->ratioHigh < 1.0);
        QCOMPARE(figure(c, "a", "wall")->verdict, std::string("slower"));
        QCOMPARE(figure(c, "a", "compute")->verdict, std::string("more"));
        const FigureComparison* tb = figure(c, "b", "throughput");
        QVERIFY(tb && !tb->significant);
        QCOMPARE(tb->verdict, std::string("no significant difference"));
        QCOMPARE(*tb->ratio, 1.0);
        // No phase either side spent time in is a row: spawn is absent.
        QVERIFY(!figure(c, "a", "spawn"));
        QCOMPARE(slowerThan(c, 10), std::vector<std::string>{"a"});
        QVERIFY(slowerThan(c, 50).empty()); // 0.6 is not below 0.5
        // Reversed: faster.
        const Comparison r = compareExperiments(next, base, {});
        QCOMPARE(figure(r, "a", "throughput")->verdict, std::string("faster"));
        QCOMPARE(figure(r, "a", "compute")->verdict, std::string("less"));
    }

    // The figures under throughput are Holm-adjusted within the backend: with wall (p = 1) and
    // compute as the explanations, compute's verdict uses 2 × its p.
    void explanationsAreHolmAdjusted() {
        Experiment base = experiment(), next = experiment();
        BackendRun b, n;
        b.backend = n.backend = "a";
        const double computeBase[] = {10, 11, 12, 13, 14, 15},
                     computeNew[] = {12.5, 13.5, 15.5, 16.5, 17.5, 18.5}; // U = 5: p = 38/924
        for (int k = 0; k < 6; ++k) {
            b.repetitions.push_back(rep(100, int64_t(computeBase[k] * 1e6)));
            n.repetitions.push_back(rep(100, int64_t(computeNew[k] * 1e6)));
        }
        base.runs = {b};
        next.runs = {n};
        const Comparison c = compareExperiments(base, next, {});
        const FigureComparison* compute = figure(c, "a", "compute");
        QVERIFY(compute);
        const MannWhitney raw = mannWhitneyU(std::vector<double>(computeBase, computeBase + 6),
                                             std::vector<double>(computeNew, computeNew + 6));
        QVERIFY2(raw.p < 0.05 && raw.p > 0.025, qPrintable(QString::number(raw.p))); // significant alone
        QCOMPARE(compute->p, raw.p);
        QCOMPARE(compute->pVerdict, 2 * raw.p);
        QCOMPARE(compute->verdict, std::string("no significant difference"));
        QCOMPARE(figure(c, "a", "wall")->pVerdict, 1.0);
        QCOMPARE(figure(c, "a", "throughput")->pVerdict, figure(c, "a", "throughput")->p); // never adjusted
    }

    void warmupsAndFailuresAreNotSamples() {
        Experiment base = experiment(), next = experiment();
        base.runs = {backendRun("a", {100, 100, 100, 100, 100})};
        base.runs[0].repetitions.push_back(rep(1, 1, /*warmup=*/true));
        RepetitionResult bare = rep(5, 0);
        bare.bare = true;
        base.runs[0].repetitions.push_back(bare);
        next.runs = {backendRun("a", {100, 100, 100, 100})};
        RepetitionResult failed = rep(1, 1);
        failed.error = "boom";
        next.runs[0].repetitions.push_back(failed);
        const Comparison c = compareExperiments(base, next, {});
        const FigureComparison* t = figure(c, "a", "throughput");
        QVERIFY(t);
        QCOMPARE(t->nBase, 5);
        QCOMPARE(t->nNew, 4);
        QCOMPARE(t->verdict, std::string("no significant difference"));
    }

    void differencesAreRefusedUnlessForced() {
        Experiment base = experiment(), next = experiment();
        base.runs = {backendRun("a", {1, 2, 3}), backendRun("gone", {1, 2, 3})};
        next.runs = {backendRun("a", {1, 2, 3}), backendRun("new", {1, 2, 3})};
        next.spec.taskUs = 100;
        next.machine.onlineCores = 4;
        next.spec.repeat = 9; // samples, not the workload: never a difference
        try {
            compareExperiments(base, next, {});
            QFAIL("compared files of different workloads");
        } catch (const std::invalid_argument& e) {
            const std::string what = e.what();
            QVERIFY2(what.find("task_us: 50 → 100") != std::string::npos, what.c_str());
            QVERIFY2(what.find("online_cores: 2 → 4") != std::string::npos, what.c_str());
            QVERIFY2(what.find("repeat") == std::string::npos, what.c_str());
        }
        CompareOptions force;
        force.force = true;
        const Comparison c = compareExperiments(base, next, force);
        QCOMPARE(c.differences.size(), size_t(2));
        QCOMPARE(c.onlyInBase, std::vector<std::string>{"gone"});
        QCOMPARE(c.onlyInNew, std::vector<std::string>{"new"});
        // Three repetitions each cannot reach p < 0.05: said so.
        QVERIFY(std::any_of(c.notes.begin(), c.notes.end(), [](const std::string& n) {
            return n.find("smallest possible p is 0.1") != std::string::npos;
        }));
        // Nothing in common.
        Experiment other = experiment();
        other.runs = {backendRun("z", {1, 2, 3})};
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, compareExperiments(base, other, {}));
    }

    void calibrationDifferenceIsNoted() {
        Experiment base = experiment(), next = experiment();
        base.runs = next.runs = {backendRun("a", {1, 2, 3, 4, 5})};
        next.calibration.cpuStepsPerUs = 550;
        const Comparison c = compareExperiments(base, next, {});
        QVERIFY(std::any_of(c.notes.begin(), c.notes.end(),
                            [](const std::string& n) { return n.find("+10.0%") != std::string::npos; }));
    }

    // The command on real files: NEW is BASE with sequential's run replaced by one of three
    // times the task size, so sequential is slower and thread-pool (the same samples) is not.
    void commandOnRealFiles() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString base = dir.filePath("base.json"), slow = dir.filePath("slow.json"),
                      next = dir.filePath("new.json");
        const QStringList common{"--tasks", "200", "--repeat", "6", "--format", "json"};
        auto r = runConlab(
            QStringList{"run", "--backends", "sequential,thread-pool", "--task-us", "50", "--output", base} +
                common,
            120000);
        QCOMPARE(r.exitCode, 0);
        r = runConlab(QStringList{"run", "--backends", "sequential", "--task-us", "150", "--output", slow} +
                          common,
                      120000);
        QCOMPARE(r.exitCode, 0);
        QJsonObject doc = readJson(base);
        const QJsonObject slowDoc = readJson(slow);
        QJsonArray runs = doc.value("runs").toArray();
        QVERIFY(runs.size() == 2 && slowDoc.value("runs").toArray().size() == 1);
        QCOMPARE(runs[0].toObject().value("backend").toString(), QStringLiteral("sequential"));
        runs[0] = slowDoc.value("runs").toArray()[0];
        doc["runs"] = runs;
        QVERIFY(writeJson(next, doc));

        r = runConlab({"compare", base, next, "--format", "json"}, 60000);
        QCOMPARE(r.exitCode, 0);
        const QJsonObject out = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(out.value("schema").toString(), QStringLiteral("conlab.compare/1"));
        QHash<QString, QJsonObject> throughput;
        for (const auto& b : out.value("backends").toArray())
            for (const auto& f : b.toObject().value("figures").toArray())
                if (f.toObject().value("figure").toString() == "throughput")
                    throughput[b.toObject().value("backend").toString()] = f.toObject();
        QCOMPARE(throughput.size(), 2);
        const QJsonObject seq = throughput.value("sequential"), tp = throughput.value("thread-pool");
        QCOMPARE(seq.value("verdict").toString(), QStringLiteral("slower"));
        QVERIFY2(seq.value("p").toDouble() < 0.05, qPrintable(QString::number(seq.value("p").toDouble())));
        QVERIFY(seq.value("ratio").toDouble() < 0.75); // a third of the speed, with wide margins
        QCOMPARE(tp.value("verdict").toString(), QStringLiteral("no significant difference"));

        // The table says it in words; --fail-if-slower turns it into exit 3 naming the backend.
        r = runConlab({"compare", base, next, "--fail-if-slower", "10"}, 60000);
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.out.contains("sequential: slower"), qPrintable(r.out));
        QVERIFY2(r.err.contains("sequential is significantly slower"), qPrintable(r.err));
        QVERIFY(!r.err.contains("thread-pool"));
        r = runConlab({"compare", base, next, "--fail-if-slower", "95"}, 60000);
        QCOMPARE(r.exitCode, 0);

        // Different workloads are refused (exit 2), naming the field, unless --force.
        r = runConlab({"compare", base, slow}, 60000);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("task_us: 50 → 150"), qPrintable(r.err));
        r = runConlab({"compare", base, slow, "--force", "--format", "csv"}, 60000);
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.startsWith("backend,figure,unit,"));
        QVERIFY(r.out.contains("sequential,throughput,tasks/s,6,6,"));
    }

    // `conlab run --ab A --ab B`: B's three times larger tasks make sequential significantly
    // slower, in words, in JSON and as exit 3 under --fail-if-slower; the table names what varied.
    void abRun() {
        const QStringList common{"run",          "--backends", "sequential",   "--tasks", "200",
                                 "--repeat",     "6",          "--task-us",    "20",      "--ab",
                                 "--task-us 50", "--ab",       "--task-us=150"};
        auto r = runConlab(common + QStringList{"--format", "json"}, 120000);
        QCOMPARE(r.exitCode, 0);
        const QJsonObject out = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(out.value("schema").toString(), QStringLiteral("conlab.compare/1"));
        QCOMPARE(out.value("base").toString(), QStringLiteral("A (--task-us 50)"));
        QCOMPARE(out.value("new").toString(), QStringLiteral("B (--task-us=150)"));
        const QJsonArray differences = out.value("differences").toArray();
        QCOMPARE(differences.size(), 1);
        QCOMPARE(differences[0].toString(), QStringLiteral("workload task_us: 50 → 150"));
        const QJsonObject seq = out.value("backends").toArray()[0].toObject();
        QCOMPARE(seq.value("backend").toString(), QStringLiteral("sequential"));
        const QJsonObject thr = seq.value("figures").toArray()[0].toObject();
        QCOMPARE(thr.value("figure").toString(), QStringLiteral("throughput"));
        QCOMPARE(thr.value("n_base").toInt(), 6);
        QCOMPARE(thr.value("n_new").toInt(), 6);
        QCOMPARE(thr.value("verdict").toString(), QStringLiteral("slower"));
        QVERIFY2(thr.value("p").toDouble() < 0.05, qPrintable(QString::number(thr.value("p").toDouble())));
        QVERIFY(thr.value("ratio").toDouble() < 0.75); // a third of the speed, with wide margins

        r = runConlab(common + QStringList{"--fail-if-slower", "10"}, 120000);
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.out.contains("varied (--ab): workload task_us: 50 → 150"), qPrintable(r.out));
        QVERIFY2(r.out.contains("sequential: slower"), qPrintable(r.out));
        QVERIFY2(r.err.contains("sequential is significantly slower with B than with A"), qPrintable(r.err));
    }

    void abErrors_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        const QStringList run{"run", "--backends", "sequential", "--tasks", "10"};
        QTest::addRow("once") << run + QStringList{"--ab", "--chunksize 2"} << "--ab: give it twice";
        QTest::addRow("thrice") << run + QStringList{"--ab", "", "--ab", "", "--ab", ""} << "got 3";
        QTest::addRow("no value") << run + QStringList{"--ab"} << "--ab needs a value";
        QTest::addRow("repeat inside")
            << run + QStringList{"--ab", "--repeat 3", "--ab", ""} << "give it outside --ab";
        QTest::addRow("not a workload option")
            << run + QStringList{"--ab", "--backends thread-pool", "--ab", ""}
            << "--ab '--backends thread-pool': unknown option --backends (a variant sets workload options";
        QTest::addRow("bad value names the variant")
            << run + QStringList{"--ab", "", "--ab", "--chunksize 0"} << "--ab '--chunksize 0': --chunksize";
        QTest::addRow("unquoted") << run +
                                         QStringList{"--ab", "--chunksize", "1", "--ab", "--chunksize", "16"}
                                  << "quote a variant's options";
        QTest::addRow("plot") << run + QStringList{"--ab", "", "--ab", "", "--plot", "x.png"}
                              << "--plot: not with --ab";
        QTest::addRow("bad alpha") << run + QStringList{"--ab", "", "--ab", "", "--alpha", "2"}
                                   << "--alpha: '2' is not a number in (0, 1)";
    }
    void abErrors() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const auto r = runConlab(args, 30000);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QVERIFY(r.out.isEmpty()); // refused before anything ran
    }

    void commandErrors_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::addRow("one file") << QStringList{"compare", "a.json"} << "needs two results files";
        QTest::addRow("option first")
            << QStringList{"compare", "--force", "a.json"} << "needs two results files";
        QTest::addRow("bad alpha") << QStringList{"compare", "a", "b", "--alpha", "1.5"} << "--alpha: '1.5'";
        QTest::addRow("bad pct") << QStringList{"compare", "a", "b", "--fail-if-slower", "x"}
                                 << "--fail-if-slower: 'x'";
        QTest::addRow("bad format") << QStringList{"compare", "a", "b", "--format", "xml"}
                                    << "is not a format";
        QTest::addRow("missing file") << QStringList{"compare", "/nonexistent/a.json", "/nonexistent/b.json"}
                                      << "cannot load results: /nonexistent/a.json";
    }
    void commandErrors() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const auto r = runConlab(args, 30000);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestCompare)
#include "tst_compare.moc"
