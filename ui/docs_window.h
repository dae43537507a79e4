#pragma once
// Help → Documentation (F1): the project's Markdown documents (README.md, docs/*.md, compiled
// in as resources) rendered inside the app, with a list of documents and working links between
// them; web links open in the browser.
#include <QWidget>

class QListWidget;
class QTextBrowser;

namespace conlab::ui {

class DocsWindow : public QWidget {
    Q_OBJECT
  public:
    explicit DocsWindow(QWidget* parent = nullptr);
    // Shows a document by its repository path ("docs/gui.md", "README.md"); false if unknown.
    bool showDocument(const QString& path);
    QString currentDocument() const { return m_current; }
    QTextBrowser* browser() const { return m_browser; }
    // Every document the window offers, repository paths.
    static QStringList documents();
    // The Markdown text as rendered (images replaced by their captions); empty if unknown.
    static QString markdown(const QString& path);

  private:
    QListWidget* m_list;
    QTextBrowser* m_browser;
    QString m_current;
};

// The text of Help → About: version, Qt version, licence.
QString aboutText();

} // namespace conlab::ui
