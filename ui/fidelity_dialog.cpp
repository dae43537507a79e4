#include "fidelity_dialog.h"

#include "calibration.h"
#include "report.h"

#include <QCloseEvent>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QMetaObject>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QThread>
#include <QVBoxLayout>

namespace conlab::ui {

namespace {

// The figure's cell also names the raw primitive and the placement, on a second line.
enum Column { Figure, Conlab, Raw, Ratio, Goal, Verdict, Explanation, ColumnCount };

QString duration(double s) {
    return s > 0 ? QString::fromStdString(formatDuration(s)) : QStringLiteral("–");
}

QTableWidgetItem* cell(const QString& text, bool number = false) {
    auto* item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    if (number) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

} // namespace

QColor fidelityVerdictColor(FidelityVerdict verdict) {
    // Okabe & Ito hues, light enough for dark text: bluish green, vermilion, grey, yellow.
    switch (verdict) {
    case FidelityVerdict::WithinGoal:
        return QColor(0xb8, 0xe6, 0xd4);
    case FidelityVerdict::OverGoal:
        return QColor(0xf5, 0xc2, 0xa3);
    case FidelityVerdict::Reference:
        return QColor(0xdd, 0xdd, 0xdd);
    case FidelityVerdict::Skipped:
        return QColor(0xf7, 0xec, 0xa1);
    }
    return {};
}

QString fidelityVerdictMark(FidelityVerdict verdict) {
    switch (verdict) {
    case FidelityVerdict::WithinGoal:
        return QStringLiteral("✓");
    case FidelityVerdict::OverGoal:
        return QStringLiteral("!");
    case FidelityVerdict::Reference:
        return QStringLiteral("–");
    case FidelityVerdict::Skipped:
        return QStringLiteral("?");
    }
    return {};
}

FidelityDialog::FidelityDialog(bool quick, QWidget* parent) : QDialog(parent), m_quick(quick) {
    setWindowTitle(tr("Check measurements"));
    setObjectName(QStringLiteral("fidelityDialog"));
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(
        tr("Every figure beside the raw primitive it stands for, measured in this process with the same "
           "placement (one CPU where it applies), interleaved. Verdicts are information: the goals are for "
           "an "
           "idle machine, and other programs running now move the ratios (docs/fidelity.md)."),
        this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("fidelityStatus"));
    m_status->setWordWrap(true);
    layout->addWidget(m_status);
    m_progress = new QProgressBar(this);
    m_progress->setTextVisible(true);
    layout->addWidget(m_progress);
    m_table = new QTableWidget(0, ColumnCount, this);
    m_table->setObjectName(QStringLiteral("fidelityTable"));
    m_table->setHorizontalHeaderLabels({tr("Figure, and the raw primitive beside it"), tr("conlab"),
                                        tr("raw"), tr("ratio"), tr("goal"), tr("verdict"),
                                        tr("What conlab does beyond the primitive")});
    m_table->verticalHeader()->hide();
    // The explanation takes the room that is left and wraps: it is the column to read.
    m_table->setWordWrap(true);
    // Sized to their contents once filled, but not as a minimum: on a small screen the table
    // scrolls instead of pushing the dialog past the screen's edge.
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setSectionResizeMode(Explanation, QHeaderView::Stretch);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    layout->addWidget(m_table, 1);
    auto* buttons = new QDialogButtonBox(this);
    m_runButton = buttons->addButton(tr("Check &again"), QDialogButtonBox::ActionRole);
    m_cancelButton = buttons->addButton(tr("&Cancel check"), QDialogButtonBox::ActionRole);
    QPushButton* close = buttons->addButton(QDialogButtonBox::Close);
    connect(m_runButton, &QPushButton::clicked, this, &FidelityDialog::start);
    connect(m_cancelButton, &QPushButton::clicked, this, &FidelityDialog::cancel);
    connect(close, &QPushButton::clicked, this, &QDialog::close);
    layout->addWidget(buttons);
    resize(1240, 600); // fits a 1280×720 laptop screen
}

FidelityDialog::~FidelityDialog() {
    cancel();
    stopThread();
}

void FidelityDialog::start() {
    if (m_thread) return;
    m_cancel = std::make_unique<CancelToken>();
    m_progress->setRange(0, 0); // busy until the first row is announced
    m_status->setText(tr("Measuring… the app stays usable; other work on the machine moves the ratios."));
    m_runButton->setEnabled(false);
    m_cancelButton->setEnabled(true);
    CancelToken* token = m_cancel.get();
    const bool quick = m_quick;
    m_thread = QThread::create([this, token, quick] {
        FidelityOptions options;
        options.quick = quick;
        options.cancel = token;
        options.progress = [this](int index, int total, const std::string& figure) {
            const QString text = QString::fromStdString(figure);
            QMetaObject::invokeMethod(
                this, [this, index, total, text] { showProgress(index, total, text); }, Qt::QueuedConnection);
        };
        FidelityReport report;
        QString error;
        try {
            report = runFidelity(loadOrMeasureCalibration(), options);
        } catch (const std::exception& e) {
            error = QString::fromStdString(e.what());
        }
        QMetaObject::invokeMethod(
            this, [this, report, error] { showReport(report, error); }, Qt::QueuedConnection);
    });
    m_thread->setObjectName(QStringLiteral("fidelity"));
    m_thread->start();
}

void FidelityDialog::cancel() {
    if (m_cancel && m_thread) {
        m_cancel->cancel();
        m_status->setText(tr("Cancelling after the current measurement…"));
        m_cancelButton->setEnabled(false);
    }
}

// Closing never waits for the measurement in progress: the dialog hides, the check stops
// after its current measurement, and the dialog closes (and is deleted, if so set) then.
void FidelityDialog::closeEvent(QCloseEvent* event) {
    if (m_thread) {
        cancel();
        m_closeWhenDone = true;
        hide();
        event->ignore();
        return;
    }
    QDialog::closeEvent(event);
}

void FidelityDialog::reject() {
    close(); // Esc: as the Close button
}

void FidelityDialog::stopThread() {
    if (!m_thread) return;
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
}

void FidelityDialog::showProgress(int index, int total, const QString& figure) {
    m_progress->setRange(0, total);
    m_progress->setValue(index);
    m_progress->setFormat(tr("%1 of %2: %3").arg(index + 1).arg(total).arg(figure));
}

void FidelityDialog::showReport(const FidelityReport& report, const QString& error) {
    stopThread(); // it has delivered its last result: the join is immediate
    m_report = report;
    m_runButton->setEnabled(true);
    m_cancelButton->setEnabled(false);
    m_progress->setRange(0, 1);
    m_progress->setValue(1);
    m_progress->setFormat(report.cancelled ? tr("cancelled") : tr("done"));
    if (!error.isEmpty())
        m_status->setText(tr("The check failed: %1").arg(error));
    else
        m_status->setText(
            tr("%1 rows, %2 interleaved rounds (%3 for round trips); ratio: the median of the "
               "rounds' ratios%4. Python: %5")
                .arg(report.rows.size())
                .arg(report.rounds)
                .arg(report.messageRounds)
                .arg(report.cancelled ? tr(" (cancelled: the rows measured so far)") : QString())
                .arg(QString::fromStdString(report.python)));
    m_table->setRowCount(int(report.rows.size()));
    for (int i = 0; i < int(report.rows.size()); ++i) {
        const FidelityRow& r = report.rows[size_t(i)];
        const QString explanation = QString::fromStdString(r.explanation);
        const QColor colour = fidelityVerdictColor(r.verdict);
        QTableWidgetItem* items[ColumnCount] = {
            cell(tr("%1\nraw: %2 (%3)")
                     .arg(QString::fromStdString(r.figure), QString::fromStdString(r.primitive),
                          QString::fromStdString(r.placement))),
            cell(duration(r.conlabS), true),
            cell(duration(r.rawS), true),
            cell(r.ratio > 0 ? QStringLiteral("%1×").arg(r.ratio, 0, 'f', 2) : QStringLiteral("–"), true),
            cell(r.goal > 0 ? QStringLiteral("≤ %1×").arg(r.goal, 0, 'f', 1) : QStringLiteral("–"), true),
            cell(fidelityVerdictMark(r.verdict) + QLatin1Char(' ') +
                 QString::fromLatin1(toString(r.verdict))),
            cell(explanation)};
        items[Verdict]->setBackground(colour);
        items[Verdict]->setForeground(Qt::black);
        items[Ratio]->setBackground(colour);
        items[Ratio]->setForeground(Qt::black);
        for (int c = 0; c < ColumnCount; ++c) {
            items[c]->setToolTip(explanation);
            m_table->setItem(i, c, items[c]);
        }
    }
    for (int c = 0; c < Explanation; ++c)
        m_table->resizeColumnToContents(c);
    m_table->resizeRowsToContents();
    emit finished(error.isEmpty());
    if (m_closeWhenDone) {
        m_closeWhenDone = false;
        close();
    }
}

} // namespace conlab::ui
