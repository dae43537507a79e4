#include "wheel_guard.h"

#include <QAbstractSpinBox>
#include <QComboBox>
#include <QEvent>
#include <QWidget>

namespace conlab::ui {

namespace {
class WheelGuard : public QObject {
  public:
    using QObject::QObject;
    bool eventFilter(QObject* watched, QEvent* event) override {
        if (event->type() == QEvent::Wheel) {
            auto* w = static_cast<QWidget*>(watched);
            if (!w->hasFocus()) {
                // Not for this field: QApplication passes an ignored wheel event on to the
                // parents, so the scroll area around the form scrolls instead.
                event->ignore();
                return true;
            }
        }
        return QObject::eventFilter(watched, event);
    }
};

void guard(QWidget* w, WheelGuard* filter) {
    if (w->property("conlabWheelGuard").toBool()) return;
    w->setProperty("conlabWheelGuard", true);
    w->setFocusPolicy(Qt::StrongFocus); // never take focus from the wheel alone
    w->installEventFilter(filter);
}
} // namespace

void guardWheel(QWidget* root) {
    // Found by name: WheelGuard has no meta-object of its own, so findChild<WheelGuard*> would
    // match any QObject.
    auto* filter = static_cast<WheelGuard*>(
        root->findChild<QObject*>(QStringLiteral("conlabWheelGuard"), Qt::FindDirectChildrenOnly));
    if (!filter) {
        filter = new WheelGuard(root);
        filter->setObjectName(QStringLiteral("conlabWheelGuard"));
    }
    for (auto* s : root->findChildren<QAbstractSpinBox*>())
        guard(s, filter);
    for (auto* c : root->findChildren<QComboBox*>())
        guard(c, filter);
}

} // namespace conlab::ui
