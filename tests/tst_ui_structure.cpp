// The shape of ui/ (issue 14, item 19): no two of its parts include each other, directly or
// through others (a part is NAME.h with NAME.cpp), no file grows past what a reader takes in,
// and the main window's own file stays small. Reads the sources; builds nothing.
#include <QDir>
#include <QFile>
#include <QMap>
#include <QRegularExpression>
#include <QSet>
#include <QTest>
#include <functional>

namespace {

const QString kUiDir = QStringLiteral(CONLAB_SOURCE_DIR "/ui");
constexpr int kMaxLinesPerFile = 700;
constexpr int kMaxMainWindowLines = 600;

QString readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

QStringList sources() {
    return QDir(kUiDir).entryList({QStringLiteral("*.h"), QStringLiteral("*.cpp")}, QDir::Files, QDir::Name);
}

int lineCount(const QString& path) {
    return int(readAll(path).count(QLatin1Char('\n')));
}

// part → the ui parts its header or source includes (core headers are not ui parts).
QMap<QString, QSet<QString>> includeGraph() {
    static const QRegularExpression include(QStringLiteral("^#include \"([^\"/]+)\\.h\""),
                                            QRegularExpression::MultilineOption);
    QMap<QString, QSet<QString>> graph;
    for (const QString& file : sources()) {
        const QString part = file.section(QLatin1Char('.'), 0, 0);
        graph[part];
        for (auto it = include.globalMatch(readAll(kUiDir + QLatin1Char('/') + file)); it.hasNext();) {
            const QString target = it.next().captured(1);
            if (target != part && QFile::exists(kUiDir + QLatin1Char('/') + target + QStringLiteral(".h")))
                graph[part].insert(target);
        }
    }
    return graph;
}

// The first cycle found, as "a → b → a"; empty when there is none.
QString findCycle(const QMap<QString, QSet<QString>>& graph) {
    QMap<QString, int> state; // 1: on the path, 2: done
    QStringList path;
    std::function<QString(const QString&)> visit = [&](const QString& part) -> QString {
        state[part] = 1;
        path << part;
        QStringList next = graph.value(part).values();
        next.sort();
        for (const QString& n : std::as_const(next)) {
            if (state.value(n) == 1) return (path.mid(path.indexOf(n)) << n).join(QStringLiteral(" → "));
            if (state.value(n) == 0)
                if (QString cycle = visit(n); !cycle.isEmpty()) return cycle;
        }
        path.removeLast();
        state[part] = 2;
        return {};
    };
    for (auto it = graph.keyBegin(); it != graph.keyEnd(); ++it)
        if (state.value(*it) == 0)
            if (QString cycle = visit(*it); !cycle.isEmpty()) return cycle;
    return {};
}

} // namespace

class TestUiStructure : public QObject {
    Q_OBJECT
  private slots:
    void sourcesAreThere() {
        QVERIFY2(sources().contains(QStringLiteral("main_window.cpp")), qPrintable(kUiDir));
    }

    void noIncludeLoops() {
        const QString cycle = findCycle(includeGraph());
        QVERIFY2(cycle.isEmpty(), qPrintable(QStringLiteral("ui parts include each other: ") + cycle));
    }

    // The loop this test was written for: the run figures know nothing of the sweep figures.
    void runFiguresDoNotIncludeSweepFigures() {
        for (const char* file : {"figures.h", "figures.cpp"})
            QVERIFY2(!readAll(kUiDir + QLatin1Char('/') + QLatin1String(file))
                          .contains(QLatin1String("#include \"sweep_figures.h\"")),
                     file);
    }

    void noFileIsTooLong() {
        QStringList tooLong;
        for (const QString& file : sources())
            if (const int n = lineCount(kUiDir + QLatin1Char('/') + file); n > kMaxLinesPerFile)
                tooLong << QStringLiteral("%1 (%2 lines)").arg(file).arg(n);
        QVERIFY2(tooLong.isEmpty(), qPrintable(tooLong.join(QStringLiteral(", "))));
    }

    void mainWindowStaysSmall() {
        const int n = lineCount(kUiDir + QStringLiteral("/main_window.cpp"));
        QVERIFY2(n > 0 && n < kMaxMainWindowLines, qPrintable(QString::number(n)));
    }
};

QTEST_GUILESS_MAIN(TestUiStructure)
#include "tst_ui_structure.moc"
