// Runs every lesson that can run here, as `conlab lesson run` does (interleaved, repetitions
// until the verdict is clear), and checks its claim holds (each verdict is built with wide
// margins) and that the verdict text carries measured numbers. On a machine that other programs
// kept busy a lesson may be inconclusive — never "does not hold" — and says so.
#include "lesson_runner.h"
#include "lessons.h"

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QTest>
#include <algorithm>

using namespace conlab;

class TestLessons : public QObject {
    Q_OBJECT
  private slots:
    void lessonHolds_data() {
        QTest::addColumn<QString>("name");
        for (const auto& l : lessons())
            QTest::newRow(l.name.c_str()) << QString::fromStdString(l.name);
    }
    void lessonHolds() {
        QFETCH(QString, name);
        const Lesson* l = findLesson(name.toStdString());
        QVERIFY(l);
        auto missing = missingBackends(*l);
        if (!missing.empty()) QSKIP(qPrintable("needs " + QString::fromStdString(missing.front())));
        Engine engine(loadOrMeasureCalibration());
        QElapsedTimer timer;
        timer.start();
        LessonRunOptions options;
        options.timeBudgetS = 60 * CONLAB_TEST_SLOWDOWN; // retries start only within it
        const LessonRunResult run = runLesson(engine, *l, options, {});
        const SweepResult& s = run.sweep;
        const double seconds = timer.elapsed() / 1000.0;
        QCOMPARE(s.points.size(), l->values.size());
        for (const auto& p : s.points)
            for (const auto& r : p.runs)
                QVERIFY2(r.error.empty(), r.error.c_str());
        const LessonVerdict& v = run.verdict;
        qInfo("%s (%.1f s, %d repetitions): %s: %s %s", l->name.c_str(), seconds, run.repetitions,
              toString(v.verdict).c_str(), v.text.c_str(), v.reason.c_str());
        QVERIFY(QRegularExpression("\\d").match(QString::fromStdString(v.text)).hasMatch());
        QVERIFY(run.repetitions >= 3);
        // The budget bounds the retries; the first round and one retry that fit may end past it.
        QVERIFY2(seconds < 150 * CONLAB_TEST_SLOWDOWN, "a lesson must finish in under 150 s");
        // Under ASan/TSan the instrumented coordinator and native workers run several times
        // slower than the uninstrumented Python interpreter and kernel: the claims are about a
        // release build's costs, so there the lessons run (and are checked for memory and
        // thread errors) but their verdicts are only reported.
        if (CONLAB_TEST_SLOWDOWN > 1) {
            qInfo("verdict not asserted in a sanitizer build: %s", toString(v.verdict).c_str());
            return;
        }
        // Other programs (the other tests, the other users of this VM) can keep the machine busy:
        // then inconclusive is the honest answer, and it must say so.
        const NoiseEvidence noise = noiseEvidence(s);
        const bool busy = std::any_of(noise.othersShare.begin(), noise.othersShare.end(),
                                      [](double share) { return share > VerdictPolicy{}.busyOthersShare; });
        if (busy && v.verdict == Verdict::Inconclusive) {
            QVERIFY2(v.reason.find("busy") != std::string::npos, v.reason.c_str());
            qWarning("%s: inconclusive on a busy machine: %s", l->name.c_str(), v.reason.c_str());
            return;
        }
        // A figure whose interval still straddles its threshold after every repetition the
        // runner may add is undecided by the data, not refuted: inconclusive is the honest
        // answer then too (seen in CI: gil's processes at 1.48 … 1.54 cores against 1.5, with
        // another test beside it). Before the last repetition or the budget's end it would have retried.
        if (v.verdict == Verdict::Inconclusive && v.reason.find("unstable data") != std::string::npos) {
            QVERIFY2(run.repetitions >= options.maxRepetitions || seconds >= options.timeBudgetS,
                     v.reason.c_str());
            qWarning("%s: inconclusive, unstable data after %d repetitions: %s", l->name.c_str(),
                     run.repetitions, v.reason.c_str());
            return;
        }
        QVERIFY2(v.holds(), (toString(v.verdict) + ": " + v.text + " " + v.reason).c_str());
    }
};

QTEST_GUILESS_MAIN(TestLessons)
#include "tst_lessons.moc"
