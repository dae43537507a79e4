// The .deb (packaging/CMakeLists.txt, CPack): built from this build tree into a scratch
// directory, its control file checked against what the packaged binaries really load (every
// NEEDED library's package is in Depends — a package that lacks one installs and then fails to
// start), and its contents unpacked into a scratch root and run from there: the binaries start
// and find the Python driver where the package puts it.
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

namespace {

struct Output {
    int exitCode = -1;
    QString out, err;
};

Output run(const QString& program, const QStringList& args, int timeoutMs = 120000) {
    QProcess p;
    p.start(program, args);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return {-1, {}, QStringLiteral("%1 timed out").arg(program)};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

// "a (>= 1), b | c (>= 2)" → {a, b, c}: every package named, alternatives included.
QSet<QString> packageNames(const QString& field) {
    QSet<QString> names;
    for (const QString& part : field.split(QRegularExpression(QStringLiteral("[,|]")), Qt::SkipEmptyParts)) {
        const QString name = part.trimmed().section(QLatin1Char(' '), 0, 0).section(QLatin1Char(':'), 0, 0);
        if (!name.isEmpty()) names.insert(name);
    }
    return names;
}

// The packages that ship a library of this soname (dpkg -S "*/libtbb.so.12" → {libtbb12}).
QSet<QString> packagesShipping(const QString& soname) {
    QSet<QString> packages;
    const Output o = run(QStringLiteral("dpkg"), {QStringLiteral("-S"), QStringLiteral("*/") + soname});
    for (const QString& line : o.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        for (const QString& p : line.section(QStringLiteral(": "), 0, 0).split(QStringLiteral(", ")))
            packages.insert(p.section(QLatin1Char(':'), 0, 0).trimmed());
    return packages;
}

QStringList neededLibraries(const QString& elf) {
    const Output o = run(QStringLiteral("readelf"), {QStringLiteral("-d"), elf});
    QStringList needed;
    static const QRegularExpression re(QStringLiteral(R"(\(NEEDED\)\s+Shared library: \[([^\]]+)\])"));
    for (auto it = re.globalMatch(o.out); it.hasNext();)
        needed << it.next().captured(1);
    return needed;
}

} // namespace

class TestPackage : public QObject {
    Q_OBJECT
    QTemporaryDir m_scratch;
    QString m_deb;

  private slots:
    void initTestCase() {
        QVERIFY(m_scratch.isValid());
        if (QStandardPaths::findExecutable(QStringLiteral("dpkg-deb")).isEmpty() ||
            QStandardPaths::findExecutable(QStringLiteral("dpkg-shlibdeps")).isEmpty())
            QSKIP("dpkg-deb/dpkg-shlibdeps not installed (packaging/install-deps.sh installs them)");
        const Output o = run(QStringLiteral(CONLAB_CPACK_COMMAND),
                             {QStringLiteral("-G"), QStringLiteral("DEB"), QStringLiteral("--config"),
                              QStringLiteral(CONLAB_CPACK_CONFIG), QStringLiteral("-B"), m_scratch.path()},
                             300000);
        QVERIFY2(o.exitCode == 0, qPrintable(o.out + o.err));
        const QStringList debs = QDir(m_scratch.path()).entryList({QStringLiteral("*.deb")}, QDir::Files);
        QCOMPARE(debs.size(), 1);
        m_deb = m_scratch.filePath(debs.first());
        qInfo("built %s", qPrintable(m_deb));
    }

    // Every library the packaged binaries load comes from a package in Depends.
    void dependsCoverEveryNeededLibrary() {
        const QString root = m_scratch.filePath(QStringLiteral("root"));
        QVERIFY(run(QStringLiteral("dpkg-deb"), {QStringLiteral("-x"), m_deb, root}).exitCode == 0);
        const Output control =
            run(QStringLiteral("dpkg-deb"), {QStringLiteral("-f"), m_deb, QStringLiteral("Depends")});
        QCOMPARE(control.exitCode, 0);
        const QSet<QString> depends = packageNames(control.out);
        qInfo("Depends: %s", qPrintable(control.out.trimmed()));
        int checked = 0;
        for (const QString& binary :
             {QStringLiteral("usr/bin/conlab"), QStringLiteral("usr/bin/conlab-worker")}) {
            const QString elf = QDir(root).filePath(binary);
            QVERIFY2(QFileInfo(elf).isExecutable(), qPrintable(elf));
            const QStringList needed = neededLibraries(elf);
            QVERIFY2(!needed.isEmpty(), qPrintable(binary)); // readelf read it
            for (const QString& soname : needed) {
                const QSet<QString> shipping = packagesShipping(soname);
                QVERIFY2(!shipping.isEmpty(), qPrintable(QStringLiteral("no package ships %1").arg(soname)));
                QVERIFY2(shipping.intersects(depends),
                         qPrintable(QStringLiteral("%1 needs %2 (from %3), which Depends lacks")
                                        .arg(binary, soname,
                                             QStringList(shipping.values()).join(QLatin1Char('/')))));
                ++checked;
            }
        }
        qInfo("%d NEEDED entries, each from a package in Depends", checked);
    }

    void recommendsPython() {
        const Output o =
            run(QStringLiteral("dpkg-deb"), {QStringLiteral("-f"), m_deb, QStringLiteral("Recommends")});
        QVERIFY2(packageNames(o.out).contains(QStringLiteral("python3")), qPrintable(o.out));
    }

    // Unpacked into a scratch root, the package runs: a native and a Python backend (its driver
    // found under the root's share/conlab/python, not in this build tree).
    void unpackedPackageRuns() {
        const QString root = m_scratch.filePath(QStringLiteral("root"));
        const QString conlab = QDir(root).filePath(QStringLiteral("usr/bin/conlab"));
        QVERIFY2(QFileInfo::exists(
                     QDir(root).filePath(QStringLiteral("usr/share/conlab/python/conlab_driver.py"))),
                 "the driver is packaged");
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("DISPLAY"));
        env.remove(QStringLiteral("WAYLAND_DISPLAY"));
        env.insert(QStringLiteral("CONLAB_CACHE_DIR"), m_scratch.filePath(QStringLiteral("cache")));
        p.setProcessEnvironment(env);
        p.start(conlab, {QStringLiteral("run"), QStringLiteral("--backends"),
                         QStringLiteral("sequential,process-pool,py-sequential"), QStringLiteral("--tasks"),
                         QStringLiteral("20"), QStringLiteral("--task-us"), QStringLiteral("10"),
                         QStringLiteral("--format"), QStringLiteral("json")});
        QVERIFY(p.waitForFinished(120000 * CONLAB_TEST_SLOWDOWN));
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(p.exitCode() == 0, qPrintable(err));
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(p.readAllStandardOutput(), &parseError);
        QVERIFY2(doc.isObject(), qPrintable(parseError.errorString()));
        QStringList ran;
        for (const QJsonValue& v : doc.object().value(QLatin1String("runs")).toArray()) {
            const QJsonObject r = v.toObject();
            QVERIFY2(r.value(QLatin1String("error")).toString().isEmpty(),
                     qPrintable(r.value(QLatin1String("error")).toString()));
            ran << r.value(QLatin1String("backend")).toString();
        }
        QCOMPARE(ran, (QStringList{"sequential", "process-pool", "py-sequential"}));
    }
};

QTEST_GUILESS_MAIN(TestPackage)
#include "tst_package.moc"
