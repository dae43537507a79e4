// Backend colours (ui/colors.h): every backend its own colour, none a phase colour, families as
// hues and members as shades with distinct markers; distinguishable also under simulated
// protanopia, deuteranopia and tritanopia (Machado et al. 2009, severity 1). Iterates over the
// registry and kAllPhases, so new backends and phases are checked without changing the test.
#include "backend_registry.h"
#include "colors.h"

#include <QTest>
#include <array>
#include <cmath>

using namespace conlab;
using namespace conlab::ui;

namespace {
using Mat = std::array<std::array<double, 3>, 3>;
const Mat kIdentity = {{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}};
const Mat kProtan = {
    {{0.152286, 1.052583, -0.204868}, {0.114503, 0.786281, 0.099216}, {-0.003882, -0.048116, 1.051998}}};
const Mat kDeutan = {
    {{0.367322, 0.860646, -0.227968}, {0.280085, 0.672501, 0.047413}, {-0.011820, 0.042940, 0.968881}}};
const Mat kTritan = {
    {{1.255528, -0.076749, -0.178779}, {-0.078411, 0.930809, 0.147602}, {0.004733, 0.691367, 0.303900}}};

double toLinear(double c) {
    return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}
double labF(double t) {
    return t > 0.008856 ? std::cbrt(t) : 7.787 * t + 16.0 / 116;
}
struct Lab {
    double L, a, b;
};
// sRGB → (simulated vision) → CIE L*a*b* (D65).
Lab toLab(const QColor& c, const Mat& m) {
    const double in[3] = {toLinear(c.redF()), toLinear(c.greenF()), toLinear(c.blueF())};
    double rgb[3];
    for (int i = 0; i < 3; ++i)
        rgb[i] = std::clamp(m[i][0] * in[0] + m[i][1] * in[1] + m[i][2] * in[2], 0.0, 1.0);
    const double x = (0.4124 * rgb[0] + 0.3576 * rgb[1] + 0.1805 * rgb[2]) / 0.95047;
    const double y = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
    const double z = (0.0193 * rgb[0] + 0.1192 * rgb[1] + 0.9505 * rgb[2]) / 1.08883;
    return {116 * labF(y) - 16, 500 * (labF(x) - labF(y)), 200 * (labF(y) - labF(z))};
}
double deltaE(const QColor& p, const QColor& q, const Mat& m = kIdentity) {
    const Lab a = toLab(p, m), b = toLab(q, m);
    return std::hypot(a.L - b.L, a.a - b.a, a.b - b.b);
}
struct B {
    QString id, family;
};
std::vector<B> backends() {
    std::vector<B> out;
    for (const auto& info : BackendRegistry::instance().list())
        out.push_back({QString::fromStdString(info.id), QString::fromStdString(info.family)});
    return out;
}
} // namespace

class TestColors : public QObject {
    Q_OBJECT
  private slots:
    void everyBackendItsOwnColour() {
        const auto all = backends();
        QVERIFY(all.size() >= 5);
        for (size_t i = 0; i < all.size(); ++i)
            for (size_t j = i + 1; j < all.size(); ++j) {
                const double d = deltaE(backendColor(all[i].id), backendColor(all[j].id));
                QVERIFY2(d >= 6,
                         qPrintable(QStringLiteral("%1 and %2: ΔE %3").arg(all[i].id, all[j].id).arg(d)));
                // Same family: the marker tells them apart too.
                if (all[i].family == all[j].family)
                    QVERIFY2(backendMarker(all[i].id) != backendMarker(all[j].id),
                             qPrintable(all[i].id + " / " + all[j].id));
            }
    }

    void vision_data() {
        QTest::addColumn<int>("kind");
        QTest::addRow("normal") << 0;
        QTest::addRow("protanopia") << 1;
        QTest::addRow("deuteranopia") << 2;
        QTest::addRow("tritanopia") << 3;
    }
    // Not a phase colour: a backend line never reads as a phase bar.
    void notAPhaseColour_data() { vision_data(); }
    void notAPhaseColour() {
        QFETCH(int, kind);
        const Mat& m = std::array<const Mat*, 4>{&kIdentity, &kProtan, &kDeutan, &kTritan}[size_t(kind)][0];
        const double minimum = kind == 0 ? 20 : 8;
        for (const B& b : backends())
            for (Phase p : kAllPhases) {
                const double d = deltaE(backendColor(b.id), phaseColor(p), m);
                QVERIFY2(d >= minimum,
                         qPrintable(QStringLiteral("%1 vs phase %2: ΔE %3").arg(b.id, phaseLabel(p)).arg(d)));
            }
    }
    // Backends of different families that share a marker shape differ clearly in colour under
    // every simulated vision (same-family members always have different markers).
    void familiesApartUnderColourBlindness_data() { vision_data(); }
    void familiesApartUnderColourBlindness() {
        QFETCH(int, kind);
        const Mat& m = std::array<const Mat*, 4>{&kIdentity, &kProtan, &kDeutan, &kTritan}[size_t(kind)][0];
        const auto all = backends();
        for (size_t i = 0; i < all.size(); ++i)
            for (size_t j = i + 1; j < all.size(); ++j) {
                if (all[i].family == all[j].family || backendMarker(all[i].id) != backendMarker(all[j].id))
                    continue;
                const double d = deltaE(backendColor(all[i].id), backendColor(all[j].id), m);
                QVERIFY2(d >= 10,
                         qPrintable(QStringLiteral("%1 and %2: ΔE %3").arg(all[i].id, all[j].id).arg(d)));
            }
    }
    // Families as hues: members of a family share a hue and get darker → lighter in order.
    void familiesAreHues() {
        const auto all = backends();
        for (size_t i = 0; i < all.size(); ++i)
            for (size_t j = i + 1; j < all.size(); ++j) {
                if (all[i].family != all[j].family || all[i].family == QLatin1String("baseline")) continue;
                const QColor a = backendColor(all[i].id), b = backendColor(all[j].id);
                const int dh = std::abs(a.hslHue() - b.hslHue());
                QVERIFY2(std::min(dh, 360 - dh) <= 25, qPrintable(all[i].id + " / " + all[j].id));
                QVERIFY2(toLab(a, kIdentity).L < toLab(b, kIdentity).L,
                         qPrintable(all[i].id + " / " + all[j].id));
            }
    }
    void darkThemeBaselineVisible() {
        QVERIFY(backendColor(QStringLiteral("sequential"), true).lightness() > 200);
        QVERIFY(backendColor(QStringLiteral("sequential"), false).lightness() < 60);
        // A backend this build does not know (a loaded file) still gets a stable colour.
        QCOMPARE(backendColor(QStringLiteral("no-such-backend")),
                 backendColor(QStringLiteral("no-such-backend")));
        QCOMPARE(backendPenStyle(QStringLiteral("py-threads")), Qt::DashLine);
        QCOMPARE(backendPenStyle(QStringLiteral("thread-pool")), Qt::SolidLine);
    }
};

QTEST_GUILESS_MAIN(TestColors)
#include "tst_colors.moc"
