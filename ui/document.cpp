#include "document.h"

#include "file_io.h"
#include "files/lesson_info.h"
#include "results_json.h"

#include <QFileInfo>
#include <QJsonDocument>

namespace conlab::ui {

namespace {
// A comparison's one point as an experiment: what the run views and exports draw.
Experiment onlyPointOf(const SweepResult& sweep) {
    Experiment ex;
    ex.machine = sweep.machine;
    ex.calibration = sweep.calibration;
    ex.createdUtc = sweep.createdUtc;
    ex.conlabVersion = CONLAB_VERSION;
    ex.spec = sweep.base;
    if (!sweep.points.empty()) {
        ex.spec = sweep.points.front().spec;
        ex.runs = sweep.points.front().runs;
    }
    return ex;
}
} // namespace

Document::Document(QObject* parent) : QObject(parent) {}

QString Document::lessonName() const {
    return m_lessonInfo.value(QLatin1String("lesson")).toString();
}

QString Document::noun() const {
    if (!lessonName().isEmpty()) return tr("lesson %1").arg(lessonName());
    if (isSweepOfSeveralValues()) return tr("sweep");
    return tr("experiment");
}

QString Document::displayName() const {
    if (!m_file.isEmpty()) return QFileInfo(m_file).fileName();
    if (!lessonName().isEmpty()) return tr("Lesson %1").arg(lessonName());
    if (m_sweep) return tr("Untitled sweep");
    if (m_experiment) return tr("Untitled experiment");
    return QString();
}

void Document::setExperiment(const Experiment& experiment, const QString& file, bool modified) {
    m_experiment = experiment;
    m_sweep.reset();
    m_lessonInfo = QJsonObject();
    m_file = file;
    m_modified = modified;
    emit changed();
}

void Document::setSweep(const SweepResult& sweep, const QJsonObject& lessonInfo, const QString& file,
                        bool modified) {
    m_sweep = sweep;
    if (sweep.values.size() > 1)
        m_experiment.reset();
    else
        m_experiment = onlyPointOf(sweep);
    m_lessonInfo = lessonInfo;
    m_file = file;
    m_modified = modified;
    emit changed();
}

void Document::clear() {
    m_experiment.reset();
    m_sweep.reset();
    m_lessonInfo = QJsonObject();
    m_file.clear();
    m_modified = false;
    emit changed();
}

void Document::setModified(bool modified) {
    if (m_modified == modified) return;
    m_modified = modified;
    emit changed();
}

QByteArray Document::sweepJson() const {
    if (!m_sweep) return {};
    QJsonObject extra;
    for (const QString& key : lessonInfoKeys())
        if (m_lessonInfo.contains(key)) extra.insert(key, m_lessonInfo.value(key));
    return QJsonDocument(sweepToJson(*m_sweep, breakEvenPoints(*m_sweep), extra))
        .toJson(QJsonDocument::Indented);
}

bool Document::saveTo(const QString& path, QString* error) {
    if (isEmpty()) {
        if (error) *error = tr("Nothing to save: run an experiment first.");
        return false;
    }
    const bool written = m_sweep ? conlab::writeFileAtomically(path, sweepJson(), error)
                                 : saveResultsFile(path, *m_experiment, error);
    if (!written) return false;
    m_file = QFileInfo(path).absoluteFilePath();
    m_modified = false;
    emit changed();
    return true;
}

} // namespace conlab::ui
