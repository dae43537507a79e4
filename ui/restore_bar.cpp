#include "restore_bar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QStyle>
#include <QToolButton>

namespace conlab::ui {

RestoreBar::RestoreBar(QWidget* parent) : QFrame(parent) {
    setObjectName(QStringLiteral("restoreBar"));
    setStyleSheet(QStringLiteral("QFrame#restoreBar { background: rgba(86, 180, 233, 40); "
                                 "border: 1px solid #56B4E9; border-radius: 4px; }"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 6);
    auto* icon = new QLabel;
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxInformation).pixmap(24, 24));
    icon->setStyleSheet(QStringLiteral("border: none; background: transparent;"));
    layout->addWidget(icon, 0, Qt::AlignTop);
    m_text = new QLabel;
    m_text->setObjectName(QStringLiteral("restoreText"));
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::RichText);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_text->setStyleSheet(QStringLiteral("border: none; background: transparent;"));
    layout->addWidget(m_text, 1);
    m_restoreButton = new QToolButton;
    m_restoreButton->setObjectName(QStringLiteral("restoreButton"));
    m_restoreButton->setText(tr("Restore"));
    m_restoreButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_restoreMenu = new QMenu(m_restoreButton);
    connect(m_restoreButton, &QToolButton::clicked, this, [this] {
        if (!m_entries.empty()) emit restoreRequested(m_entries.front().path);
    });
    layout->addWidget(m_restoreButton, 0, Qt::AlignVCenter);
    m_discardButton = new QPushButton(tr("Discard"));
    m_discardButton->setObjectName(QStringLiteral("discardButton"));
    m_discardButton->setToolTip(tr("Do not offer these again (they stay under File → Open autosaved until "
                                   "newer autosaves replace them)"));
    connect(m_discardButton, &QPushButton::clicked, this, &RestoreBar::discarded);
    layout->addWidget(m_discardButton, 0, Qt::AlignVCenter);
    hide();
}

void RestoreBar::offer(const PendingRestore& pending) {
    m_entries = pending.entries;
    if (pending.empty()) {
        hide();
        return;
    }
    QString text = tr("<b>Concurrency Lab did not quit cleanly last time.</b> ");
    if (!m_entries.empty()) {
        const AutosaveEntry& e = m_entries.front();
        text += tr("Its last result was autosaved at %1: %2.")
                    .arg(e.savedUtc.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                         e.summary.toHtmlEscaped());
        if (m_entries.size() > 1)
            text += QLatin1Char(' ') + tr("%n older autosave(s) from that session: the arrow beside Restore "
                                          "lists them.",
                                          nullptr, int(m_entries.size() - 1));
    } else {
        text += tr("None of its autosaves can be restored.");
    }
    if (!pending.problems.isEmpty()) {
        QStringList shown = pending.problems.mid(0, 3);
        for (QString& p : shown)
            p = p.toHtmlEscaped();
        text += QStringLiteral("<br>") +
                tr("%n damaged autosave(s) skipped: ", nullptr, int(pending.problems.size())) +
                shown.join(QStringLiteral("; "));
        if (pending.problems.size() > 3) text += QStringLiteral("; …");
    }
    m_text->setText(text);
    m_restoreMenu->clear();
    for (const AutosaveEntry& e : m_entries) {
        const QString path = e.path;
        QAction* a = m_restoreMenu->addAction(QStringLiteral("%1: %2").arg(e.label(), e.summary), this,
                                              [this, path] { emit restoreRequested(path); });
        a->setToolTip(path);
    }
    m_restoreButton->setVisible(!m_entries.empty());
    m_restoreButton->setMenu(m_entries.size() > 1 ? m_restoreMenu : nullptr);
    // Without a choice, a plain button (MenuButtonPopup always draws the arrow).
    m_restoreButton->setPopupMode(m_entries.size() > 1 ? QToolButton::MenuButtonPopup
                                                       : QToolButton::DelayedPopup);
    m_restoreButton->setToolTip(m_entries.empty() ? QString() : tr("Open %1").arg(m_entries.front().path));
    m_discardButton->setText(m_entries.empty() ? tr("Dismiss") : tr("Discard"));
    show();
}

void RestoreBar::dismiss() {
    hide();
    m_entries.clear();
}

void RestoreBar::showRestoreFailure(const QString& error) {
    m_text->setText(tr("<b>Cannot restore:</b> %1").arg(error.toHtmlEscaped()));
}

} // namespace conlab::ui
