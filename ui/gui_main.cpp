// Placeholder window until the desktop app lands (issue 4).
#include <QApplication>
#include <QLabel>
#include <QMainWindow>

int runGui(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("conlab"));
    QMainWindow window;
    window.setWindowTitle(QStringLiteral("Concurrency Lab"));
    auto* label = new QLabel(
        QStringLiteral("Concurrency Lab — the desktop app is coming. Use `conlab run --help` meanwhile."));
    label->setMargin(24);
    window.setCentralWidget(label);
    window.resize(800, 500);
    window.show();
    return app.exec();
}
