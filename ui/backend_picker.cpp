#include "backend_picker.h"

#include "text_util.h"

#include "backend_registry.h"
#include "colors.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QPainter>
#include <QPixmap>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace conlab::ui {

namespace {
constexpr int IdRole = Qt::UserRole;
constexpr int AvailableRole = Qt::UserRole + 1;

QIcon swatch(const QColor& c) {
    QPixmap pm(12, 12);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setBrush(c);
    p.setPen(Qt::NoPen);
    p.drawRoundedRect(QRectF(1, 1, 10, 10), 2, 2);
    return QIcon(pm);
}
} // namespace

BackendPicker::BackendPicker(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* quick = new QHBoxLayout;
    auto addQuick = [&](const QString& text, const QString& tip, auto fn) {
        auto* b = new QPushButton(text);
        b->setToolTip(tip);
        b->setObjectName(QStringLiteral("quick-") + text.toLower());
        connect(b, &QPushButton::clicked, this, fn);
        quick->addWidget(b);
        return b;
    };
    addQuick(tr("All"), tr("Every available backend"), [this] { selectAll(); });
    addQuick(tr("Native"), tr("Every available backend except the Python ones"), [this] { selectNative(); });
    m_python = addQuick(tr("Python"), tr("The Python backends (CPython threading, multiprocessing, …)"),
                        [this] { selectPython(); });
    addQuick(tr("None"), tr("Clear the selection"), [this] { setSelectedBackends({}); });
    layout->addLayout(quick);

    m_tree = new QTreeWidget;
    m_tree->setObjectName(QStringLiteral("backendTree"));
    m_tree->setColumnCount(2);
    m_tree->setHeaderLabels({tr("Backend"), tr("What it models")});
    m_tree->setRootIsDecorated(true);
    m_tree->setUniformRowHeights(true);
    m_tree->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_tree->header()->setStretchLastSection(true);
    m_tree->setMinimumHeight(150);
    layout->addWidget(m_tree);

    auto& registry = BackendRegistry::instance();
    QMap<QString, QTreeWidgetItem*> families;
    for (const BackendInfo& info : registry.list()) {
        const QString family = QString::fromStdString(info.family);
        QTreeWidgetItem*& fam = families[family];
        if (!fam) {
            fam = new QTreeWidgetItem(m_tree, {family});
            fam->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable | Qt::ItemIsAutoTristate);
            fam->setCheckState(0, Qt::Unchecked);
            QFont f = fam->font(0);
            f.setBold(true);
            fam->setFont(0, f);
            fam->setFirstColumnSpanned(false);
        }
        const Availability av = registry.create(info.id)->availability();
        const QString id = QString::fromStdString(info.id);
        const QString description = QString::fromStdString(info.description);
        auto* item = new QTreeWidgetItem(fam, {id, withoutBackticks(description)});
        item->setData(0, IdRole, id);
        item->setData(0, AvailableRole, av.available);
        item->setIcon(0, swatch(backendColor(id)));
        if (av.available) {
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
            // First launch: a small default set (the saved selection replaces it).
            item->setCheckState(0, defaultBackendSelection().contains(id) ? Qt::Checked : Qt::Unchecked);
            item->setToolTip(0, tooltipHtml(description));
            item->setToolTip(1, tooltipHtml(description));
        } else {
            item->setFlags(Qt::ItemIsUserCheckable); // greyed, cannot be checked
            item->setCheckState(0, Qt::Unchecked);
            const QString why = tr("unavailable: %1").arg(QString::fromStdString(av.reason));
            item->setText(1, withoutBackticks(description) + QStringLiteral(" — ") + why);
            item->setToolTip(0, why);
            item->setToolTip(1, why);
        }
    }
    m_tree->expandAll();
    m_python->setEnabled(!backendsOfFamily(QStringLiteral("python")).isEmpty());
    if (!m_python->isEnabled()) m_python->setToolTip(tr("No Python backend is available in this build"));
    connect(m_tree, &QTreeWidget::itemChanged, this, [this](QTreeWidgetItem* item, int column) {
        if (column == 0 && item->parent()) emit selectionChanged();
    });
}

QStringList BackendPicker::selectedBackends() const {
    QStringList out;
    for (int f = 0; f < m_tree->topLevelItemCount(); ++f) {
        QTreeWidgetItem* fam = m_tree->topLevelItem(f);
        for (int i = 0; i < fam->childCount(); ++i) {
            QTreeWidgetItem* it = fam->child(i);
            if (it->checkState(0) == Qt::Checked && it->data(0, AvailableRole).toBool())
                out << it->data(0, IdRole).toString();
        }
    }
    // Registry order, whatever the grouping.
    QStringList ordered;
    for (const auto& id : BackendRegistry::instance().ids())
        if (out.contains(QString::fromStdString(id))) ordered << QString::fromStdString(id);
    return ordered;
}

void BackendPicker::setSelectedBackends(const QStringList& ids) {
    {
        const QSignalBlocker block(m_tree);
        for (int f = 0; f < m_tree->topLevelItemCount(); ++f) {
            QTreeWidgetItem* fam = m_tree->topLevelItem(f);
            for (int i = 0; i < fam->childCount(); ++i) {
                QTreeWidgetItem* it = fam->child(i);
                const bool on =
                    it->data(0, AvailableRole).toBool() && ids.contains(it->data(0, IdRole).toString());
                it->setCheckState(0, on ? Qt::Checked : Qt::Unchecked);
            }
        }
    }
    m_tree->viewport()->update();
    emit selectionChanged();
}

QStringList BackendPicker::availableBackends() const {
    QStringList out;
    auto& registry = BackendRegistry::instance();
    for (const auto& info : registry.list())
        if (registry.create(info.id)->availability().available) out << QString::fromStdString(info.id);
    return out;
}

QStringList BackendPicker::backendsOfFamily(const QString& family) const {
    QStringList out;
    auto& registry = BackendRegistry::instance();
    for (const auto& info : registry.list())
        if (QString::fromStdString(info.family) == family &&
            registry.create(info.id)->availability().available)
            out << QString::fromStdString(info.id);
    return out;
}

void BackendPicker::selectNative() {
    QStringList ids;
    auto& registry = BackendRegistry::instance();
    for (const auto& info : registry.list())
        if (info.family != "python" && registry.create(info.id)->availability().available)
            ids << QString::fromStdString(info.id);
    setSelectedBackends(ids);
}

void BackendPicker::refreshAvailability() {
    auto& registry = BackendRegistry::instance();
    {
        const QSignalBlocker block(m_tree);
        for (int f = 0; f < m_tree->topLevelItemCount(); ++f) {
            QTreeWidgetItem* fam = m_tree->topLevelItem(f);
            for (int i = 0; i < fam->childCount(); ++i) {
                QTreeWidgetItem* it = fam->child(i);
                const QString id = it->data(0, IdRole).toString();
                const Availability av = registry.create(id.toStdString())->availability();
                QString description;
                for (const BackendInfo& info : registry.list())
                    if (QString::fromStdString(info.id) == id)
                        description = QString::fromStdString(info.description);
                const bool was = it->data(0, AvailableRole).toBool();
                it->setData(0, AvailableRole, av.available);
                if (av.available) {
                    it->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
                    it->setText(1, withoutBackticks(description));
                    it->setToolTip(0, tooltipHtml(description));
                    it->setToolTip(1, tooltipHtml(description));
                    if (!was) it->setCheckState(0, Qt::Unchecked);
                } else {
                    const QString why = tr("unavailable: %1").arg(QString::fromStdString(av.reason));
                    it->setFlags(Qt::ItemIsUserCheckable);
                    it->setCheckState(0, Qt::Unchecked);
                    it->setText(1, withoutBackticks(description) + QStringLiteral(" — ") + why);
                    it->setToolTip(0, why);
                    it->setToolTip(1, why);
                }
            }
        }
    }
    m_python->setEnabled(!backendsOfFamily(QStringLiteral("python")).isEmpty());
    m_tree->viewport()->update();
    emit selectionChanged();
}

} // namespace conlab::ui
