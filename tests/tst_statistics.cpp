#include "statistics.h"

#include <QTest>
#include <cmath>

using namespace conlab;

class TestStatistics : public QObject {
    Q_OBJECT
  private slots:
    void quantiles_data() {
        QTest::addColumn<QList<double>>("values");
        QTest::addColumn<double>("q");
        QTest::addColumn<double>("expected");
        QTest::addRow("empty") << QList<double>{} << 0.5 << 0.0;
        QTest::addRow("single") << QList<double>{7} << 0.99 << 7.0;
        QTest::addRow("median odd") << QList<double>{3, 1, 2} << 0.5 << 2.0;
        QTest::addRow("median even") << QList<double>{4, 1, 3, 2} << 0.5 << 2.5;
        QTest::addRow("min") << QList<double>{5, 9, 1} << 0.0 << 1.0;
        QTest::addRow("max") << QList<double>{5, 9, 1} << 1.0 << 9.0;
        QTest::addRow("p95 interpolated") << QList<double>{0, 10, 20, 30, 40} << 0.95 << 38.0;
        QTest::addRow("q clamped") << QList<double>{1, 2} << 1.5 << 2.0;
    }
    void quantiles() {
        QFETCH(QList<double>, values);
        QFETCH(double, q);
        QFETCH(double, expected);
        std::vector<double> v(values.begin(), values.end());
        QCOMPARE(quantile(v, q), expected);
    }

    void meanAndStddev() {
        std::vector<double> v{2, 4, 4, 4, 5, 5, 7, 9};
        QCOMPARE(mean(v), 5.0);
        // Sample stddev (n-1): sqrt(32/7)
        QVERIFY(std::abs(sampleStddev(v) - std::sqrt(32.0 / 7.0)) < 1e-12);
        QCOMPARE(sampleStddev(std::vector<double>{3}), 0.0);
        QCOMPARE(mean(std::vector<double>{}), 0.0);
    }

    void tTable() {
        QCOMPARE(tCritical95(1), 12.706);
        QCOMPARE(tCritical95(9), 2.262);
        QCOMPARE(tCritical95(30), 2.042);
        QCOMPARE(tCritical95(1000), 1.960);
        QCOMPARE(tCritical95(0), 0.0);
        for (int df = 1; df < 200; ++df)
            QVERIFY(tCritical95(df) >= tCritical95(df + 1)); // monotone
    }

    void estimateEdgeCases() {
        Estimate e0 = estimate(std::vector<double>{});
        QCOMPARE(e0.n, 0);
        QCOMPARE(e0.ciLow, 0.0);
        Estimate e1 = estimate(std::vector<double>{4.5});
        QCOMPARE(e1.n, 1);
        QCOMPARE(e1.median, 4.5);
        QCOMPARE(e1.ciLow, 4.5);
        QCOMPARE(e1.ciHigh, 4.5);
    }

    void intervalOfNonNegativeSamplesStaysNonNegative() {
        Estimate e = estimate(std::vector<double>{1, 100});
        QCOMPARE(e.ciLow, 0.0); // mean 50.5 − 12.706·70/√2 would be far below 0
        QVERIFY(e.ciHigh > 100);
        Estimate s = estimate(std::vector<double>{-1, 100});
        QVERIFY(s.ciLow < -100); // signed samples keep the plain interval
    }

    void estimateInterval() {
        // n = 4, mean 2.5, s = sqrt(5/3), half-width = 3.182 * s / 2
        Estimate e = estimate(std::vector<double>{1, 2, 3, 4});
        const double half = 3.182 * std::sqrt(5.0 / 3.0) / 2.0;
        QCOMPARE(e.mean, 2.5);
        QCOMPARE(e.median, 2.5);
        QCOMPARE(e.min, 1.0);
        QCOMPARE(e.max, 4.0);
        QVERIFY(std::abs(e.ciLow - (2.5 - half)) < 1e-12);
        QVERIFY(std::abs(e.ciHigh - (2.5 + half)) < 1e-12);
    }
};

QTEST_GUILESS_MAIN(TestStatistics)
#include "tst_statistics.moc"
