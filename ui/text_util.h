#pragma once
// Engine texts (backend descriptions, lesson explanations) use Markdown-style `code` spans.
// In the GUI they are shown without literal backticks.
#include <QRegularExpression>
#include <QString>

namespace conlab::ui {

// "at most `workers` alive" → "at most workers alive" (plain-text cells).
inline QString withoutBackticks(QString text) {
    return text.remove(QLatin1Char('`'));
}

// Rich-text tooltip: code spans as <code>, wrapped at the tooltip width.
inline QString tooltipHtml(const QString& text) {
    static const QRegularExpression code(QStringLiteral("`([^`]*)`"));
    QString html = text.toHtmlEscaped();
    html.replace(code, QStringLiteral("<code>\\1</code>"));
    return QStringLiteral("<p>") + html + QStringLiteral("</p>");
}

// The backends a first launch selects: a baseline, one of each family's typical mechanisms.
inline QStringList defaultBackendSelection() {
    return {QStringLiteral("sequential"),          QStringLiteral("thread-pool"),
            QStringLiteral("process-per-task"),    QStringLiteral("process-pool"),
            QStringLiteral("event-loop"),          QStringLiteral("py-threads"),
            QStringLiteral("py-process-pool:fork")};
}

} // namespace conlab::ui
