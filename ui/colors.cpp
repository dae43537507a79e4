#include "colors.h"

#include "backend_registry.h"

#include <array>

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
        return kPurple;
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

QColor backendColor(int index, bool dark) {
    // Yellow last: it is hard to read on white.
    const std::array<QColor, 8> cycle = {
        kBlue,  kVermillion, kGreen, kPurple, kSkyBlue, kOrange, dark ? QColor(0xEE, 0xEE, 0xEE) : kBlack,
        kYellow};
    return cycle[size_t(std::max(0, index)) % cycle.size()];
}

Qt::PenStyle backendPenStyle(int index) {
    const std::array<Qt::PenStyle, 3> styles = {Qt::SolidLine, Qt::DashLine, Qt::DotLine};
    return styles[(size_t(std::max(0, index)) / 8) % styles.size()];
}

int backendColorIndex(const QString& backendId) {
    const auto ids = BackendRegistry::instance().ids();
    for (size_t i = 0; i < ids.size(); ++i)
        if (QString::fromStdString(ids[i]) == backendId) return int(i);
    return int(ids.size()) + int(qHash(backendId) % 8);
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
