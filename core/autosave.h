#pragma once
// Autosave and crash recovery for the desktop app (docs/gui.md, *Autosave and restore*).
//
// The app writes every finished run, sweep or lesson to one file in the autosave directory
// (atomically, through QSaveFile) and keeps the newest kDefaultKeep. A session marker file,
// written when the app starts and removed when it quits cleanly, tells the next start whether
// the previous session ended cleanly: a marker whose process is gone means it crashed (or was
// killed), and that session's autosaves newer than the last acknowledgement (a save by the
// user, Restore or Discard) are offered for restore.
//
// QtCore only (no widgets): the prompt lives in ui/main_window.cpp. Linux: process identity
// from /proc (pid + start time + boot id, so a reused pid is not mistaken for the old session).
#include "run_result.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QStringList>
#include <optional>
#include <vector>

namespace conlab {

struct AutosaveEntry {
    QString path;          // absolute
    QDateTime savedUtc;    // from the file name (millisecond resolution)
    QString session;       // token of the session that wrote it
    int sequence = 0;      // per session, from 1
    QString kind;          // "run", "sweep" or "lesson"
    QString lesson;        // the lesson's name when kind == "lesson"
    QString summary;       // filled by pendingRestore() (which loads the file): "run of 3 backends, …"
    QString label() const; // "2024-05-01 14:03:12 — sweep" (local time)
};

struct PendingRestore {
    QStringList crashedSessions;        // tokens of sessions that did not end cleanly
    std::vector<AutosaveEntry> entries; // their autosaves that load, newest first
    QStringList problems;               // their autosaves that do not load: "FILE: reason"
    bool empty() const { return entries.empty() && problems.empty(); }
};

class AutosaveStore {
  public:
    static constexpr int kDefaultKeep = 20;
    // $CONLAB_AUTOSAVE_DIR when set, else QStandardPaths::AppLocalDataLocation + "/autosave"
    // (~/.local/share/conlab/conlab/autosave for the app).
    static QString defaultDirectory();

    explicit AutosaveStore(const QString& directory = defaultDirectory(), int keep = kDefaultKeep);

    QString directory() const { return m_dir; }
    QString sessionToken() const { return m_token; }
    int keep() const { return m_keep; }

    // Writes this session's marker (session-TOKEN.json: pid, process start time, boot id).
    // False (with *error) when the directory or the marker cannot be written; autosaving may
    // still work later, so callers report it and go on.
    bool beginSession(QString* error = nullptr);
    // Removes this session's marker: the next start knows this session ended cleanly.
    void markCleanExit();
    QString markerPath() const;

    // Saves atomically as autosave-<UTC time>-<session>-<seq>-<kind>.json and prunes to keep().
    // Returns the entry, or nothing with *error set (the directory is left as it was).
    std::optional<AutosaveEntry> save(const Experiment& ex, QString* error = nullptr);
    // A sweep or lesson: `json` is the sweep results file (sweepToJson); `lesson` its lesson name.
    std::optional<AutosaveEntry> saveSweep(const QByteArray& json, const QString& lesson,
                                           QString* error = nullptr);

    std::vector<AutosaveEntry> entries() const; // every autosave, newest first
    int prune();                                // deletes all but the newest keep(); returns how many

    // Sessions whose marker is left behind by a process that is gone (not this session).
    QStringList crashedSessions() const;
    // The autosaves of crashed sessions newer than the last acknowledgement, each loaded
    // (a damaged file goes to `problems`, never throws or blocks).
    PendingRestore pendingRestore() const;
    // The user saved, restored or discarded: nothing written so far is offered again, and the
    // markers of crashed sessions are removed.
    bool acknowledge(QString* error = nullptr);

  private:
    std::optional<AutosaveEntry> saveBytes(const QByteArray& bytes, const QString& kind,
                                           const QString& lesson, QString* error);
    bool ensureDirectory(QString* error) const;

    QString m_dir;
    int m_keep;
    QString m_token;
    int m_sequence = 0;
};

// The autosave file name's parts, or nothing when `fileName` is not an autosave.
std::optional<AutosaveEntry> parseAutosaveName(const QString& fileName);

} // namespace conlab
