#include "docs_window.h"

#include <QDesktopServices>
#include <QFile>
#include <QHBoxLayout>
#include <QListWidget>
#include <QRegularExpression>
#include <QSplitter>
#include <QTextBrowser>
#include <QUrl>

// The documents live in a static library: their resource must be registered by name.
static void initDocsResource() {
    Q_INIT_RESOURCE(docs);
}

namespace conlab::ui {

namespace {
struct Doc {
    const char* path;
    const char* title;
};
const Doc kDocs[] = {
    {"docs/gui.md", QT_TRANSLATE_NOOP("DocsWindow", "The desktop app")},
    {"README.md", QT_TRANSLATE_NOOP("DocsWindow", "Overview and command line")},
    {"docs/measurement.md", QT_TRANSLATE_NOOP("DocsWindow", "What every number means")},
    {"docs/backends.md", QT_TRANSLATE_NOOP("DocsWindow", "Backends")},
    {"docs/python.md", QT_TRANSLATE_NOOP("DocsWindow", "Python backends")},
    {"docs/results-format.md", QT_TRANSLATE_NOOP("DocsWindow", "Results file format")},
    {"docs/reliability.md", QT_TRANSLATE_NOOP("DocsWindow", "Reliability")},
    {"docs/fidelity.md", QT_TRANSLATE_NOOP("DocsWindow", "Checking the measurements")},
};

QString resourcePath(const QString& path) {
    return QStringLiteral(":/conlab/") + path;
}

// A document's repository path from a link inside another ("measurement.md" seen from
// docs/gui.md → docs/measurement.md); empty when it is not one of ours.
QString resolveLink(const QString& from, const QUrl& link) {
    if (!link.isRelative() && link.scheme() != QLatin1String("qrc")) return {};
    QString p = link.path();
    if (link.scheme() == QLatin1String("qrc"))
        p = p.mid(QStringLiteral("/conlab/").size());
    else {
        const int slash = from.lastIndexOf(QLatin1Char('/'));
        if (slash >= 0 && !p.startsWith(QLatin1Char('/'))) p = from.left(slash + 1) + p;
        p = QUrl(QStringLiteral("x:/") + p).adjusted(QUrl::NormalizePathSegments).path().mid(1);
    }
    return QFile::exists(resourcePath(p)) ? p : QString();
}
} // namespace

QStringList DocsWindow::documents() {
    QStringList out;
    for (const Doc& d : kDocs)
        out << QString::fromLatin1(d.path);
    return out;
}

QString DocsWindow::markdown(const QString& path) {
    static const bool registered = (initDocsResource(), true);
    Q_UNUSED(registered);
    QFile f(resourcePath(path));
    if (!f.open(QIODevice::ReadOnly)) return {};
    QString text = QString::fromUtf8(f.readAll());
    // Screenshots are not compiled in: their caption in italics instead of a broken image.
    static const QRegularExpression image(QStringLiteral("!\\[([^\\]]*)\\]\\([^)]*\\)"));
    text.replace(image, QStringLiteral("*[Figure: \\1]*"));
    return text;
}

DocsWindow::DocsWindow(QWidget* parent) : QWidget(parent, Qt::Window) {
    setObjectName(QStringLiteral("docsWindow"));
    setWindowTitle(tr("Concurrency Lab — Documentation"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* split = new QSplitter;
    m_list = new QListWidget;
    m_list->setObjectName(QStringLiteral("docsList"));
    for (const Doc& d : kDocs) {
        auto* item = new QListWidgetItem(tr(d.title), m_list);
        item->setData(Qt::UserRole, QString::fromLatin1(d.path));
        item->setToolTip(QString::fromLatin1(d.path));
    }
    m_browser = new QTextBrowser;
    m_browser->setObjectName(QStringLiteral("docsBrowser"));
    m_browser->setOpenLinks(false); // links are resolved below: ours in place, the web outside
    split->addWidget(m_list);
    split->addWidget(m_browser);
    split->setStretchFactor(1, 1);
    split->setSizes({200, 700});
    layout->addWidget(split);
    connect(m_list, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= 0) showDocument(m_list->item(row)->data(Qt::UserRole).toString());
    });
    connect(m_browser, &QTextBrowser::anchorClicked, this, [this](const QUrl& url) {
        if (url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("https")) {
            QDesktopServices::openUrl(url);
            return;
        }
        if (url.path().isEmpty() && url.hasFragment()) {
            m_browser->scrollToAnchor(url.fragment());
            return;
        }
        const QString target = resolveLink(m_current, url);
        if (!target.isEmpty()) showDocument(target);
    });
    resize(1000, 700);
    showDocument(QStringLiteral("docs/gui.md"));
}

bool DocsWindow::showDocument(const QString& path) {
    const QString text = markdown(path);
    if (text.isEmpty()) return false;
    m_current = path;
    m_browser->setMarkdown(text);
    for (int i = 0; i < m_list->count(); ++i)
        if (m_list->item(i)->data(Qt::UserRole).toString() == path) {
            const QSignalBlocker block(m_list);
            m_list->setCurrentRow(i);
        }
    return true;
}

QString aboutText() {
    return QObject::tr("<h3>Concurrency Lab %1</h3>"
                       "<p>Will this be faster with processes, a thread pool or an event loop — and why, "
                       "or why not? Measures where the time goes (spawn, IPC, compute, idle) on each "
                       "concurrency backend.</p>"
                       "<p>Built with Qt %2 (running on Qt %3) and QCustomPlot.</p>"
                       "<p>Licence: GNU General Public License, version 3 (see the LICENSE file). "
                       "This program comes with ABSOLUTELY NO WARRANTY.</p>"
                       "<p>Every number shown is defined in <i>Help → Documentation → What every number "
                       "means</i> (docs/measurement.md).</p>")
        .arg(QStringLiteral(CONLAB_VERSION), QStringLiteral(QT_VERSION_STR), QString::fromLatin1(qVersion()));
}

} // namespace conlab::ui
