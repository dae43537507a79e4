#pragma once
// The non-modal bar above the plots after a session that did not quit cleanly (docs/gui.md,
// Autosave): what was autosaved, damaged autosaves skipped, Restore (newest; the arrow lists
// all) and Discard. It only asks: the window restores, opens and acknowledges.
#include "autosave.h"

#include <QFrame>
#include <vector>

class QLabel;
class QMenu;
class QPushButton;
class QToolButton;

namespace conlab::ui {

class RestoreBar : public QFrame {
    Q_OBJECT
  public:
    explicit RestoreBar(QWidget* parent = nullptr);

    // Shows the bar for `pending`, or hides it when there is nothing to offer.
    void offer(const PendingRestore& pending);
    // Hides the bar and forgets its entries (restored, discarded, or the user saved).
    void dismiss();
    // Replaces the text with why a restore failed; the bar stays.
    void showRestoreFailure(const QString& error);
    const std::vector<AutosaveEntry>& entries() const { return m_entries; } // newest first

  signals:
    void restoreRequested(const QString& path); // Restore (the newest) or one of its menu entries
    void discarded();                           // Discard / Dismiss

  private:
    QLabel* m_text;
    QToolButton* m_restoreButton;
    QMenu* m_restoreMenu; // on the button only when there is a choice
    QPushButton* m_discardButton;
    std::vector<AutosaveEntry> m_entries;
};

} // namespace conlab::ui
