#pragma once
// Forms that don't change under the wheel: a spin box or combo box takes wheel events only when
// it has keyboard focus (clicked or tabbed into); otherwise the wheel scrolls the form around it.
class QWidget;

namespace conlab::ui {

// Guards every QAbstractSpinBox and QComboBox under `root` that exists now (call again after
// adding fields; guarding twice is harmless).
void guardWheel(QWidget* root);

} // namespace conlab::ui
