#include "warning_banner.h"

#include "measurement/run_warnings.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>

namespace conlab::ui {

QStringList experimentWarningTexts(const Experiment& ex) {
    QStringList out;
    for (const auto& w : runWarnings(ex))
        out << QString::fromStdString(w.text);
    return out;
}

QStringList sweepWarningTexts(const SweepResult& sweep) {
    QStringList out;
    for (const auto& w : runWarnings(sweep))
        out << QString::fromStdString(w.text);
    return out;
}

WarningBanner::WarningBanner(QWidget* parent) : QFrame(parent) {
    setObjectName(QStringLiteral("warningBanner"));
    // Amber (Okabe–Ito orange), like the restore bar's shape: seen, but not an error.
    setStyleSheet(QStringLiteral("QFrame#warningBanner { background: rgba(230, 159, 0, 45); "
                                 "border: 1px solid #E69F00; border-radius: 4px; }"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 6);
    auto* icon = new QLabel;
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(24, 24));
    layout->addWidget(icon, 0, Qt::AlignTop);
    m_text = new QLabel;
    m_text->setObjectName(QStringLiteral("warningBannerText"));
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::RichText);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::LinksAccessibleByMouse |
                                    Qt::LinksAccessibleByKeyboard);
    connect(m_text, &QLabel::linkActivated, this, [this] { setExpanded(!m_expanded); });
    layout->addWidget(m_text, 1);
    hide();
}

void WarningBanner::setWarnings(const QStringList& warnings) {
    m_warnings = warnings;
    m_expanded = false;
    render();
}

void WarningBanner::setExpanded(bool expanded) {
    m_expanded = expanded;
    render();
}

void WarningBanner::render() {
    if (m_warnings.isEmpty()) {
        m_text->clear();
        hide();
        return;
    }
    const bool collapse = !m_expanded && m_warnings.size() > kCollapsedLines;
    const QStringList shown = collapse ? m_warnings.mid(0, kCollapsedLines - 1) : m_warnings;
    QString html = tr("<b>These results may not be trustworthy:</b>");
    html += QStringLiteral("<ul style=\"margin: 2px 0 0 -20px;\">");
    for (const QString& w : shown) {
        // "kind: text" → the kind in bold.
        const qsizetype colon = w.indexOf(QLatin1Char(':'));
        html += colon > 0 ? QStringLiteral("<li><b>%1</b>%2</li>")
                                .arg(w.left(colon).toHtmlEscaped(), w.mid(colon).toHtmlEscaped())
                          : QStringLiteral("<li>%1</li>").arg(w.toHtmlEscaped());
    }
    html += QStringLiteral("</ul>");
    if (collapse)
        html += tr("<a href=\"#all\">show all %1 warnings</a>").arg(m_warnings.size());
    else if (m_warnings.size() > kCollapsedLines)
        html += tr("<a href=\"#fewer\">show fewer</a>");
    m_text->setText(html);
    show();
}

void WarningBanner::setExperiment(const Experiment& ex) {
    setWarnings(experimentWarningTexts(ex));
}

} // namespace conlab::ui
