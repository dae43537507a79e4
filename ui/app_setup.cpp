#include "app_setup.h"

#include <QApplication>
#include <QIcon>

// Q_INIT_RESOURCE declares the resource initialiser where it is used: not inside a namespace.
static void initConlabResources() {
    Q_INIT_RESOURCE(conlab);
}

namespace conlab::ui {

void setUpApplication() {
    initConlabResources();
    QApplication::setOrganizationName(QStringLiteral("conlab"));
    QApplication::setApplicationName(QStringLiteral("conlab"));
    QApplication::setApplicationDisplayName(QStringLiteral("Concurrency Lab"));
    QApplication::setApplicationVersion(QStringLiteral(CONLAB_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("io.github.conlab.Conlab"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/conlab/icon.svg")));
}

} // namespace conlab::ui
