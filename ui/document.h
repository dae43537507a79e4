#pragma once
// What the main window shows and saves: one experiment, or one sweep (a lesson is a sweep with
// lesson fields), with the file it came from or went to and whether it changed since. The
// window reads its title and its unsaved-results questions from here; the views are drawn by
// the window from experiment() / sweep().
#include "run_result.h"
#include "sweep.h"

#include <QJsonObject>
#include <QObject>
#include <QString>
#include <optional>

namespace conlab::ui {

class Document : public QObject {
    Q_OBJECT
  public:
    explicit Document(QObject* parent = nullptr);

    // A sweep of one value (a comparison lesson) also has an experiment: its one point, which
    // the run views and exports use.
    const std::optional<Experiment>& experiment() const { return m_experiment; }
    const std::optional<SweepResult>& sweep() const { return m_sweep; }
    const QJsonObject& lessonInfo() const { return m_lessonInfo; } // lesson, verdict, holds, …
    QString lessonName() const;                                    // empty: not a lesson
    bool isEmpty() const { return !m_experiment && !m_sweep; }
    bool isSweepOfSeveralValues() const { return m_sweep && m_sweep->values.size() > 1; }

    QString filePath() const { return m_file; } // absolute; empty until saved or opened
    bool isModified() const { return m_modified; }
    bool hasUnsavedResults() const { return m_modified && !isEmpty(); }

    // "experiment", "sweep", "lesson tiny-tasks": the word of the unsaved-results questions.
    QString noun() const;
    // The window title's name: the file's name, else "Lesson …", "Untitled sweep",
    // "Untitled experiment"; empty without results.
    QString displayName() const;

    // Each replaces the whole document. A finished run or sweep is modified with no file; an
    // opened file is clean with its path; a restored autosave is modified with no file.
    void setExperiment(const Experiment& experiment, const QString& file, bool modified);
    void setSweep(const SweepResult& sweep, const QJsonObject& lessonInfo, const QString& file,
                  bool modified);
    void clear(); // nothing shown: before a run starts
    void setModified(bool modified);

    // Writes the document to `path` (a sweep with its break-even points and lesson fields) and,
    // on success, makes it the document's file, unmodified.
    bool saveTo(const QString& path, QString* error);
    QByteArray sweepJson() const; // the sweep file's bytes; empty without a sweep

  signals:
    void changed(); // anything above: results, file, modified flag

  private:
    std::optional<Experiment> m_experiment;
    std::optional<SweepResult> m_sweep;
    QJsonObject m_lessonInfo; // lesson fields of the sweep file (empty: not a lesson)
    QString m_file;
    bool m_modified = false;
};

} // namespace conlab::ui
