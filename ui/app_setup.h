#pragma once
// What every process that shows the main window sets up once its QApplication exists: the
// resources (a static library's need Q_INIT_RESOURCE), names (QSettings' folder, the title
// bar's suffix), version, desktop file and icon. The app (gui_main.cpp) and the screenshot tool
// (tools/screenshots/) call it, so screenshots show what users see.
namespace conlab::ui {
void setUpApplication();
} // namespace conlab::ui
