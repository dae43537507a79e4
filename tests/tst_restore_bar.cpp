// The restore bar (ui/restore_bar.h) on its own: what it says about the autosaves of a session
// that did not quit cleanly, and which path Restore, its menu and Discard ask for.
#include "restore_bar.h"

#include <QApplication>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>

using namespace conlab;
using namespace conlab::ui;

namespace {

AutosaveEntry entry(const QString& path, int minutesAgo) {
    AutosaveEntry e;
    e.path = path;
    e.savedUtc = QDateTime::currentDateTimeUtc().addSecs(-60 * minutesAgo);
    e.kind = QStringLiteral("run");
    e.summary = QStringLiteral("run of 2 backends");
    return e;
}

QString text(RestoreBar& bar) {
    return bar.findChild<QLabel*>(QStringLiteral("restoreText"))->text();
}
QToolButton* restoreButton(RestoreBar& bar) {
    return bar.findChild<QToolButton*>(QStringLiteral("restoreButton"));
}
QPushButton* discardButton(RestoreBar& bar) {
    return bar.findChild<QPushButton*>(QStringLiteral("discardButton"));
}

} // namespace

class TestRestoreBar : public QObject {
    Q_OBJECT
  private slots:
    void restoreAsksForTheNewestAndTheMenuForAny() {
        RestoreBar bar;
        QSignalSpy restore(&bar, &RestoreBar::restoreRequested);
        QSignalSpy discarded(&bar, &RestoreBar::discarded);
        PendingRestore pending;
        pending.entries = {entry(QStringLiteral("/a/new.json"), 1), entry(QStringLiteral("/a/old.json"), 9)};
        pending.problems = {QStringLiteral("bad.json: not JSON")};
        bar.offer(pending);
        QVERIFY(!bar.isHidden());
        QVERIFY2(text(bar).contains(QLatin1String("1 older autosave(s)")), qPrintable(text(bar)));
        QVERIFY2(text(bar).contains(QLatin1String("1 damaged autosave(s) skipped: bad.json")),
                 qPrintable(text(bar)));
        QVERIFY(restoreButton(bar)->menu());
        QCOMPARE(restoreButton(bar)->menu()->actions().size(), 2);
        QCOMPARE(discardButton(bar)->text(), QStringLiteral("Discard"));
        restoreButton(bar)->click();
        restoreButton(bar)->menu()->actions().at(1)->trigger();
        QCOMPARE(restore.size(), 2);
        QCOMPARE(restore.at(0).front().toString(), QStringLiteral("/a/new.json"));
        QCOMPARE(restore.at(1).front().toString(), QStringLiteral("/a/old.json"));
        QVERIFY(!bar.isHidden()); // the window decides: it may fail or be cancelled
        discardButton(bar)->click();
        QCOMPARE(discarded.size(), 1);
    }

    void oneAutosaveIsAPlainButton() {
        RestoreBar bar;
        PendingRestore pending;
        pending.entries = {entry(QStringLiteral("/a/only.json"), 1)};
        bar.offer(pending);
        QVERIFY(!restoreButton(bar)->menu());
        QVERIFY(!text(bar).contains(QLatin1String("older")));
    }

    void nothingRestorableOffersDismiss() {
        RestoreBar bar;
        QSignalSpy restore(&bar, &RestoreBar::restoreRequested);
        PendingRestore pending;
        pending.problems = {QStringLiteral("a.json: truncated")};
        bar.offer(pending);
        QVERIFY(!bar.isHidden());
        QVERIFY(restoreButton(bar)->isHidden());
        QCOMPARE(discardButton(bar)->text(), QStringLiteral("Dismiss"));
        QVERIFY(text(bar).contains(QLatin1String("None of its autosaves can be restored")));
        restoreButton(bar)->click();
        QCOMPARE(restore.size(), 0);
    }

    void nothingPendingHidesAndDismissForgets() {
        RestoreBar bar;
        PendingRestore pending;
        pending.entries = {entry(QStringLiteral("/a/x.json"), 1)};
        bar.offer(pending);
        QCOMPARE(bar.entries().size(), size_t(1));
        bar.showRestoreFailure(QStringLiteral("gone <now>"));
        QVERIFY2(text(bar).contains(QLatin1String("Cannot restore:</b> gone &lt;now&gt;")),
                 qPrintable(text(bar)));
        bar.dismiss();
        QVERIFY(bar.isHidden());
        QVERIFY(bar.entries().empty());
        bar.offer(PendingRestore{});
        QVERIFY(bar.isHidden());
    }
};

QTEST_MAIN(TestRestoreBar)
#include "tst_restore_bar.moc"
