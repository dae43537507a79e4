#include "autosave.h"

#include "results_json.h"
#include "sweep.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTimeZone>
#include <algorithm>
#include <cerrno>
#include <limits>
#include <signal.h>
#include <tuple>
#include <unistd.h>

namespace conlab {

namespace {

constexpr const char* kAckFile = "acknowledged.json";
constexpr const char* kTimeFormat = "yyyyMMdd-HHmmss.zzz";

const QRegularExpression& autosaveNamePattern() {
    static const QRegularExpression re(QStringLiteral(
        R"(^autosave-(\d{8}-\d{6}\.\d{3})-([0-9a-f]{8})-(\d{1,9})-(run|sweep|lesson)(?:-([a-z0-9][a-z0-9-]{0,63}))?\.json$)"));
    return re;
}

const QRegularExpression& markerNamePattern() {
    static const QRegularExpression re(QStringLiteral(R"(^session-([0-9a-f]{8})\.json$)"));
    return re;
}

// Newest first: time, then session and sequence (ties within one millisecond).
auto sortKey(const AutosaveEntry& e) {
    return std::make_tuple(e.savedUtc, e.session, e.sequence);
}

QByteArray readSmallFile(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly) || f.size() > 64 * 1024) return {};
    return f.readAll();
}

QString bootId() {
    return QString::fromLatin1(readSmallFile(QStringLiteral("/proc/sys/kernel/random/boot_id"))).trimmed();
}

struct ProcStat {
    char state = '?';
    qint64 startTicks = -1; // field 22 of /proc/PID/stat: clock ticks after boot
};

std::optional<ProcStat> readProcStat(qint64 pid) {
    const QByteArray stat = readSmallFile(QStringLiteral("/proc/%1/stat").arg(pid));
    const qsizetype close = stat.lastIndexOf(')'); // the command name may contain spaces and ')'
    if (close < 0) return std::nullopt;
    const QList<QByteArray> fields = stat.mid(close + 2).split(' ');
    // fields[0] is field 3 (state); field 22 (starttime) is fields[19].
    if (fields.size() < 20 || fields[0].isEmpty()) return std::nullopt;
    ProcStat s;
    s.state = fields[0].at(0);
    bool ok = false;
    s.startTicks = fields[19].toLongLong(&ok);
    if (!ok) s.startTicks = -1;
    return s;
}

// Is the process that wrote this marker still running? Pid reuse is told apart by the process
// start time and a reboot by the boot id.
bool markerOwnerAlive(const QJsonObject& marker) {
    const qint64 pid = marker.value(QLatin1String("pid")).toInteger(-1);
    if (pid <= 0 || pid > std::numeric_limits<pid_t>::max()) return false;
    const QString boot = marker.value(QLatin1String("boot_id")).toString();
    const QString currentBoot = bootId();
    if (!boot.isEmpty() && !currentBoot.isEmpty() && boot != currentBoot) return false;
    if (::kill(pid_t(pid), 0) != 0 && errno == ESRCH) return false;
    const auto stat = readProcStat(pid);
    if (!stat) return true; // exists, but /proc hides it (hidepid): assume it is the owner
    if (stat->state == 'Z' || stat->state == 'X') return false;
    const qint64 start = marker.value(QLatin1String("start_ticks")).toInteger(-1);
    return start < 0 || stat->startTicks < 0 || start == stat->startTicks;
}

QString newToken() {
    return QStringLiteral("%1").arg(QRandomGenerator::system()->generate(), 8, 16, QLatin1Char('0'));
}

QString lessonSlug(const QString& lesson) {
    QString s;
    for (QChar c : lesson.toLower())
        if ((c >= QLatin1Char('a') && c <= QLatin1Char('z')) ||
            (c >= QLatin1Char('0') && c <= QLatin1Char('9')) || c == QLatin1Char('-'))
            s += c;
    while (s.startsWith(QLatin1Char('-')))
        s.remove(0, 1);
    return s.left(64);
}

QString plural(qsizetype n, const char* one, const char* many) {
    return QStringLiteral("%1 %2").arg(n).arg(QLatin1String(n == 1 ? one : many));
}

// "3 backends (sequential, thread-pool, process-pool)"; long lists end in "and N more".
QString describeBackends(const QStringList& ids) {
    constexpr qsizetype kShown = 4;
    QString list = ids.mid(0, kShown).join(QStringLiteral(", "));
    if (ids.size() > kShown) list += QStringLiteral(" and %1 more").arg(ids.size() - kShown);
    return QStringLiteral("%1 (%2)").arg(plural(ids.size(), "backend", "backends"), list);
}

QString describeExperiment(const Experiment& ex) {
    bool cancelled = false;
    int failed = 0;
    for (const BackendRun& r : ex.runs) {
        cancelled = cancelled || r.cancelled;
        failed += !r.error.empty();
    }
    QStringList ids;
    for (const BackendRun& r : ex.runs)
        ids << QString::fromStdString(r.backend);
    QString s = QStringLiteral("run of %1, %2 tasks × %3 µs")
                    .arg(describeBackends(ids))
                    .arg(ex.spec.tasks)
                    .arg(ex.spec.taskUs);
    if (cancelled) s += QStringLiteral(", stopped early");
    if (failed > 0) s += QStringLiteral(", %1 failed").arg(failed);
    return s;
}

} // namespace

QString AutosaveEntry::label() const {
    const QString what = kind == QLatin1String("lesson") ? QStringLiteral("lesson %1").arg(lesson) : kind;
    return QStringLiteral("%1 — %2").arg(
        savedUtc.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")), what);
}

std::optional<AutosaveEntry> parseAutosaveName(const QString& fileName) {
    const auto m = autosaveNamePattern().match(fileName);
    if (!m.hasMatch()) return std::nullopt;
    AutosaveEntry e;
    const QDateTime t = QDateTime::fromString(m.captured(1), QLatin1String(kTimeFormat));
    if (!t.isValid()) return std::nullopt;
    e.savedUtc = QDateTime(t.date(), t.time(), QTimeZone::utc());
    e.session = m.captured(2);
    e.sequence = m.captured(3).toInt();
    e.kind = m.captured(4);
    e.lesson = m.captured(5);
    return e;
}

QString AutosaveStore::defaultDirectory() {
    const QString env = qEnvironmentVariable("CONLAB_AUTOSAVE_DIR");
    if (!env.isEmpty()) return QDir(env).absolutePath();
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) +
           QStringLiteral("/autosave");
}

AutosaveStore::AutosaveStore(const QString& directory, int keep)
    : m_dir(QDir(directory).absolutePath()), m_keep(std::max(1, keep)), m_token(newToken()) {}

QString AutosaveStore::markerPath() const {
    return QDir(m_dir).filePath(QStringLiteral("session-%1.json").arg(m_token));
}

bool AutosaveStore::ensureDirectory(QString* error) const {
    if (QFileInfo(m_dir).isDir() || QDir().mkpath(m_dir)) return true;
    if (error) *error = QStringLiteral("cannot create the autosave folder %1").arg(m_dir);
    return false;
}

bool AutosaveStore::beginSession(QString* error) {
    if (!ensureDirectory(error)) return false;
    QJsonObject marker{{"pid", qint64(::getpid())},
                       {"boot_id", bootId()},
                       {"started_utc", QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)},
                       {"app", QCoreApplication::applicationName()}};
    if (const auto stat = readProcStat(::getpid())) marker.insert("start_ticks", stat->startTicks);
    return writeFileAtomically(markerPath(), QJsonDocument(marker).toJson(QJsonDocument::Compact), error);
}

void AutosaveStore::markCleanExit() {
    QFile::remove(markerPath());
}

std::optional<AutosaveEntry> AutosaveStore::save(const Experiment& ex, QString* error) {
    return saveBytes(toJsonBytes(ex, false), QStringLiteral("run"), QString(), error);
}

std::optional<AutosaveEntry> AutosaveStore::saveSweep(const QByteArray& json, const QString& lesson,
                                                      QString* error) {
    const QString slug = lessonSlug(lesson);
    return saveBytes(json, slug.isEmpty() ? QStringLiteral("sweep") : QStringLiteral("lesson"), slug, error);
}

std::optional<AutosaveEntry> AutosaveStore::saveBytes(const QByteArray& bytes, const QString& kind,
                                                      const QString& lesson, QString* error) {
    if (!ensureDirectory(error)) return std::nullopt;
    const QString name =
        QStringLiteral("autosave-%1-%2-%3-%4%5.json")
            .arg(QDateTime::currentDateTimeUtc().toString(QLatin1String(kTimeFormat)), m_token)
            .arg(++m_sequence)
            .arg(kind, lesson.isEmpty() ? QString() : QLatin1Char('-') + lesson);
    auto entry = parseAutosaveName(name);
    if (!entry) { // cannot happen: the name is built to match
        if (error) *error = QStringLiteral("internal error: bad autosave name %1").arg(name);
        return std::nullopt;
    }
    entry->path = QDir(m_dir).filePath(name);
    if (!writeFileAtomically(entry->path, bytes, error)) return std::nullopt;
    prune();
    return entry;
}

std::vector<AutosaveEntry> AutosaveStore::entries() const {
    std::vector<AutosaveEntry> out;
    const QDir dir(m_dir);
    for (const QString& name : dir.entryList({QStringLiteral("autosave-*.json")}, QDir::Files))
        if (auto e = parseAutosaveName(name)) {
            e->path = dir.filePath(name);
            out.push_back(std::move(*e));
        }
    std::sort(out.begin(), out.end(),
              [](const AutosaveEntry& a, const AutosaveEntry& b) { return sortKey(a) > sortKey(b); });
    return out;
}

int AutosaveStore::prune() {
    const auto all = entries();
    int removed = 0;
    for (size_t i = size_t(m_keep); i < all.size(); ++i)
        removed += QFile::remove(all[i].path);
    return removed;
}

QStringList AutosaveStore::crashedSessions() const {
    QStringList out;
    const QDir dir(m_dir);
    for (const QString& name : dir.entryList({QStringLiteral("session-*.json")}, QDir::Files)) {
        const auto m = markerNamePattern().match(name);
        if (!m.hasMatch() || m.captured(1) == m_token) continue;
        // A marker that does not parse has no live owner to find: count it as crashed.
        const QJsonObject marker = QJsonDocument::fromJson(readSmallFile(dir.filePath(name))).object();
        if (!markerOwnerAlive(marker)) out << m.captured(1);
    }
    return out;
}

PendingRestore AutosaveStore::pendingRestore() const {
    PendingRestore p;
    p.crashedSessions = crashedSessions();
    if (p.crashedSessions.isEmpty()) return p;
    const QJsonObject ack =
        QJsonDocument::fromJson(readSmallFile(QDir(m_dir).filePath(QLatin1String(kAckFile)))).object();
    const auto acked = parseAutosaveName(ack.value(QLatin1String("newest")).toString());
    for (AutosaveEntry& e : entries()) {
        if (!p.crashedSessions.contains(e.session)) continue;
        if (acked && !(sortKey(e) > sortKey(*acked))) continue;
        // Validates; a damaged file is a problem, not a throw.
        const FileLoad load = loadResultsFileWithSweep(e.path);
        const LoadResult& r = load.results;
        if (!r.experiment) {
            p.problems << r.error;
            continue;
        }
        if (e.kind == QLatin1String("run")) {
            e.summary = describeExperiment(*r.experiment);
        } else {
            if (!load.sweep || !load.sweep->sweep) {
                p.problems << (load.sweep ? load.sweep->error
                                          : e.path + QStringLiteral(
                                                         ": not a sweep: the file has no \"sweep\" object"));
                continue;
            }
            const SweepLoad& sl = *load.sweep;
            const SweepResult& sw = *sl.sweep;
            QStringList ids;
            for (const std::string& b : sw.backends)
                ids << QString::fromStdString(b);
            e.summary =
                QStringLiteral("%1: %2 of %3, %4")
                    .arg(e.kind == QLatin1String("lesson")
                             ? QStringLiteral("lesson ") + e.lesson
                             : QStringLiteral("sweep of ") + QString::fromStdString(toString(sw.param)))
                    .arg(sw.points.size())
                    .arg(plural(qsizetype(sw.values.size()), "point", "points"), describeBackends(ids));
            if (sw.cancelled) e.summary += QStringLiteral(", stopped early");
        }
        p.entries.push_back(std::move(e));
    }
    return p;
}

bool AutosaveStore::acknowledge(QString* error) {
    if (!ensureDirectory(error)) return false;
    const auto all = entries();
    const QJsonObject ack{{"newest", all.empty() ? QString() : QFileInfo(all.front().path).fileName()},
                          {"at_utc", QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)}};
    const bool ok = writeFileAtomically(QDir(m_dir).filePath(QLatin1String(kAckFile)),
                                        QJsonDocument(ack).toJson(QJsonDocument::Compact), error);
    for (const QString& token : crashedSessions())
        QFile::remove(QDir(m_dir).filePath(QStringLiteral("session-%1.json").arg(token)));
    return ok;
}

} // namespace conlab
