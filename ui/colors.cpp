#include "colors.h"

#include "backend_registry.h"

#include <QHash>
#include <algorithm>
#include <array>
#include <cmath>
#include <mutex>

namespace conlab::ui {

namespace {
// Okabe–Ito: https://jfly.uni-koeln.de/color/
const QColor kBlack(0, 0, 0), kOrange(0xE6, 0x9F, 0x00), kSkyBlue(0x56, 0xB4, 0xE9), kGreen(0x00, 0x9E, 0x73),
    kYellow(0xF0, 0xE4, 0x42), kBlue(0x00, 0x72, 0xB2), kVermillion(0xD5, 0x5E, 0x00),
    kPurple(0xCC, 0x79, 0xA7);
} // namespace

QColor phaseColor(Phase p) {
    switch (p) {
    case Phase::Spawn:
        return kVermillion;
    case Phase::Ipc:
        return kOrange;
    case Phase::Compute:
        return kBlue;
    case Phase::Idle:
        return QColor(0xB0, 0xB0, 0xB0);
    case Phase::CpuWait:
        return kYellow; // wanted a CPU: next to compute, the colour of "waiting" in Okabe–Ito
    case Phase::Startup:
        return QColor(0xF4, 0xC7, 0xD9); // a tint of Okabe–Ito purple, away from every backend hue
    case Phase::Other:
        return QColor(0x55, 0x55, 0x55);
    }
    return kBlack;
}

QString phaseLabel(Phase p) {
    switch (p) {
    case Phase::Spawn:
        return QStringLiteral("spawn");
    case Phase::Ipc:
        return QStringLiteral("IPC");
    case Phase::Compute:
        return QStringLiteral("compute");
    case Phase::Idle:
        return QStringLiteral("idle");
    case Phase::CpuWait:
        return QStringLiteral("cpu-wait");
    case Phase::Startup:
        return QStringLiteral("startup");
    case Phase::Other:
        return QStringLiteral("other");
    }
    return {};
}

namespace {
// CIE L*C*h (D65) → sRGB, clamped: shades of one hue with perceptually even lightness steps.
double labFInv(double t) {
    return t * t * t > 0.008856 ? t * t * t : (t - 16.0 / 116) / 7.787;
}
int toSrgb8(double c) {
    c = std::clamp(c, 0.0, 1.0);
    const double v = c <= 0.0031308 ? 12.92 * c : 1.055 * std::pow(c, 1 / 2.4) - 0.055;
    return int(std::lround(v * 255));
}
QColor fromLch(double L, double C, double hDeg) {
    const double h = hDeg * M_PI / 180, a = C * std::cos(h), b = C * std::sin(h);
    const double fy = (L + 16) / 116, fx = fy + a / 500, fz = fy - b / 200;
    const double x = labFInv(fx) * 0.95047, y = labFInv(fy), z = labFInv(fz) * 1.08883;
    return QColor(toSrgb8(3.2406 * x - 1.5372 * y - 0.4986 * z),
                  toSrgb8(-0.9689 * x + 1.8758 * y + 0.0415 * z),
                  toSrgb8(0.0557 * x - 0.2040 * y + 1.0570 * z));
}

// Family hues, chosen away from the phase colours (vermillion, orange, blue, grey) also under
// simulated protanopia, deuteranopia and tritanopia (tests/tst_colors.cpp checks it).
struct FamilyHue {
    const char* family;
    double hue, chroma, lightest, darkest; // L* from darkest (first member) to lightest
};
constexpr FamilyHue kFamilies[] = {
    {"threads", 160, 45, 62, 40}, {"processes", 335, 50, 76, 28}, {"async", 100, 40, 40, 40},
    {"library", 215, 35, 82, 58}, {"python", 75, 30, 80, 24},
};
// A family of more than 9 members (python's 12) turns every other member's hue by this much:
// its lightness steps alone would leave neighbours under 6 ΔE apart.
constexpr double kHueStep = 6.0;

struct BackendStyle {
    QColor color;
    int member = 0;
    bool python = false;
};

BackendStyle computeStyle(const QString& backendId) {
    const auto infos = BackendRegistry::instance().list();
    std::string family;
    for (const auto& info : infos)
        if (QString::fromStdString(info.id) == backendId) family = info.family;
    if (family.empty()) // not built here (a loaded file): a grey shade, stable by name
        return {fromLch(35 + double(qHash(backendId) % 5) * 8, 0, 0), int(qHash(backendId) % 9), false};
    int member = 0, members = 0;
    for (const auto& info : infos) {
        if (info.family != family) continue;
        if (QString::fromStdString(info.id) == backendId) member = members;
        ++members;
    }
    if (family == "baseline") return {kBlack, member, false};
    for (const FamilyHue& f : kFamilies)
        if (family == f.family) {
            const double t = members > 1 ? double(member) / (members - 1) : 0;
            // Signs chosen so that every member stays clear of the phase colours also under
            // simulated colour blindness (tst_colors notAPhaseColour).
            const double hue = members > 9 ? f.hue + (member % 2 ? -kHueStep : kHueStep) : f.hue;
            return {fromLch(f.darkest + t * (f.lightest - f.darkest), f.chroma, hue), member,
                    family == "python"};
        }
    return {fromLch(50, 0, 0), member, false};
}
// The registry does not change after start-up: one computation per id.
BackendStyle styleOf(const QString& backendId) {
    static std::mutex mutex;
    static QHash<QString, BackendStyle> cache;
    std::lock_guard lock(mutex);
    auto it = cache.find(backendId);
    if (it == cache.end()) it = cache.insert(backendId, computeStyle(backendId));
    return *it;
}
} // namespace

QColor backendColor(const QString& backendId, bool dark) {
    const BackendStyle s = styleOf(backendId);
    if (dark && s.color == kBlack) return QColor(0xEE, 0xEE, 0xEE);
    return s.color;
}

Qt::PenStyle backendPenStyle(const QString& backendId) {
    return styleOf(backendId).python ? Qt::DashLine : Qt::SolidLine;
}

MarkerShape backendMarker(const QString& backendId) {
    return MarkerShape(styleOf(backendId).member % kMarkerShapes);
}

PlotTheme PlotTheme::fromPalette(const QPalette& palette) {
    PlotTheme t;
    t.background = palette.color(QPalette::Base);
    t.foreground = palette.color(QPalette::Text);
    t.dark = t.background.lightness() < 128;
    t.grid = t.dark ? QColor(0x55, 0x55, 0x55) : QColor(0xD8, 0xD8, 0xD8);
    t.subGrid = t.dark ? QColor(0x3A, 0x3A, 0x3A) : QColor(0xEE, 0xEE, 0xEE);
    return t;
}

PlotTheme PlotTheme::paper() {
    PlotTheme t;
    t.background = Qt::white;
    t.foreground = QColor(0x20, 0x20, 0x20);
    t.grid = QColor(0xD8, 0xD8, 0xD8);
    t.subGrid = QColor(0xEE, 0xEE, 0xEE);
    return t;
}

} // namespace conlab::ui
