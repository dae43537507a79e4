#include "workload_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>
#include <unistd.h>

namespace conlab::ui {

// ------------------------------------------------------------------ SizeSpinBox

namespace {
// "64 KiB" → "64KiB", "100 B" → "100" (parseSize takes plain bytes without a unit).
std::string sizeText(QString t) {
    t.remove(QLatin1Char(' '));
    if (t.size() > 1 && (t.endsWith(QLatin1Char('B')) || t.endsWith(QLatin1Char('b'))) &&
        t.at(t.size() - 2).isDigit())
        t.chop(1);
    return t.toStdString();
}
} // namespace

SizeSpinBox::SizeSpinBox(QWidget* parent) : QSpinBox(parent) {
    setRange(0, int(SpecLimits::maxBytes)); // 1 GiB fits an int
    setAccelerated(true);
    setKeyboardTracking(false);
}

QString SizeSpinBox::textFromValue(int value) const {
    const qint64 v = value;
    if (v >= (1 << 30) && v % (1 << 30) == 0) return QString::number(v >> 30) + QStringLiteral(" GiB");
    if (v >= (1 << 20) && v % (1 << 20) == 0) return QString::number(v >> 20) + QStringLiteral(" MiB");
    if (v >= (1 << 10) && v % (1 << 10) == 0) return QString::number(v >> 10) + QStringLiteral(" KiB");
    return QString::number(v) + QStringLiteral(" B");
}

int SizeSpinBox::valueFromText(const QString& text) const {
    auto v = parseSize(sizeText(text));
    return v ? int(std::clamp<int64_t>(*v, minimum(), maximum())) : value();
}

QValidator::State SizeSpinBox::validate(QString& input, int&) const {
    QString t = input;
    t.remove(QLatin1Char(' '));
    if (t.isEmpty()) return QValidator::Intermediate;
    auto v = parseSize(sizeText(input));
    if (!v) {
        // A number being typed ("1.", "4K" without digits yet) may still become valid.
        static const QRegularExpression partial(QStringLiteral("^[0-9]*\\.?[0-9]*[KkMmGg]?i?[Bb]?$"));
        return partial.match(t).hasMatch() ? QValidator::Intermediate : QValidator::Invalid;
    }
    return *v >= minimum() && *v <= maximum() ? QValidator::Acceptable : QValidator::Intermediate;
}

void SizeSpinBox::stepBy(int steps) {
    qint64 v = value();
    for (int i = 0; i < std::abs(steps); ++i)
        v = steps > 0 ? (v == 0 ? 1 : v * 2) : v / 2;
    setValue(int(std::clamp<qint64>(v, minimum(), maximum())));
}

// ------------------------------------------------------------------ WorkloadPanel

WorkloadPanel::WorkloadPanel(QWidget* parent) : QWidget(parent) {
    using L = SpecLimits;
    const WorkloadSpec d; // defaults come from the engine
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setLabelAlignment(Qt::AlignRight);
    outer->addLayout(form);

    m_tasks = new QSpinBox;
    m_tasks->setRange(int(L::minTasks), int(L::maxTasks));
    m_tasks->setValue(int(d.tasks));
    m_tasks->setGroupSeparatorShown(true);
    addRow(form, "tasks", tr("Tasks"), m_tasks,
           tr("Number of independent tasks (%1 … %2). More tasks amortise start-up costs; per-task overheads "
              "(spawn, dispatch) scale with it.")
               .arg(L::minTasks)
               .arg(L::maxTasks));

    m_workers = new QSpinBox;
    m_workers->setRange(0, L::maxWorkers);
    const long cores = sysconf(_SC_NPROCESSORS_ONLN);
    m_workers->setSpecialValueText(tr("auto (%1 cores)").arg(cores));
    m_workers->setValue(d.workers);
    addRow(form, "workers", tr("Workers"), m_workers,
           tr("Concurrent workers (threads or processes), 1 … %1; 0 = one per online core. More workers than "
              "cores adds context switches and idle time.")
               .arg(L::maxWorkers));

    m_taskUs = new QDoubleSpinBox;
    m_taskUs->setRange(L::minTaskUs, L::maxTaskUs);
    m_taskUs->setDecimals(1);
    m_taskUs->setSuffix(QStringLiteral(" µs"));
    m_taskUs->setValue(d.taskUs);
    addRow(form, "task-us", tr("Work per task"), m_taskUs,
           tr("CPU time of one task on this machine (calibrated), 0 … 10 000 000 µs. Small tasks expose the "
              "fixed per-task overheads (spawn, IPC); large tasks make them negligible."));

    m_kind = new QComboBox;
    m_kind->addItem(tr("cpu — compute loop"), int(TaskKind::Cpu));
    m_kind->addItem(tr("memory — stream a buffer"), int(TaskKind::Memory));
    m_kind->addItem(tr("io — blocking wait"), int(TaskKind::Io));
    m_kind->setCurrentIndex(m_kind->findData(int(d.kind)));
    addRow(form, "kind", tr("Task kind"), m_kind,
           tr("cpu: pure computation (limited by cores); memory: streams the working set (limited by caches "
              "and memory bandwidth); io: sleeps in a blocking wait (concurrency helps beyond the core "
              "count)."));

    m_workingSet = new SizeSpinBox;
    m_workingSet->setRange(int(L::minWorkingSet), int(L::maxWorkingSet));
    m_workingSet->setValue(int(d.workingSet));
    addRow(form, "working-set", tr("Working set"), m_workingSet,
           tr("Buffer streamed by memory tasks, 64 B … 1 GiB (e.g. 64K, 8M). Beyond the caches, memory "
              "bandwidth is shared and workers slow each other down. Used by memory tasks only."));

    m_input = new SizeSpinBox;
    m_input->setValue(int(d.inputBytes));
    addRow(form, "input", tr("Input per task"), m_input,
           tr("Bytes shipped to each task, 0 … 1 GiB. Processes must copy them through a pipe: this stresses "
              "IPC (serialisation and copies); threads share memory."));

    m_result = new SizeSpinBox;
    m_result->setValue(int(d.resultBytes));
    addRow(form, "result", tr("Result per task"), m_result,
           tr("Bytes shipped back from each task, 0 … 1 GiB. Stresses IPC on the way back."));

    m_messages = new QSpinBox;
    m_messages->setRange(0, int(L::maxMessages));
    m_messages->setValue(int(d.messages));
    addRow(form, "messages", tr("Messages per task"), m_messages,
           tr("Round trips with the coordinator during each task, 0 … %1. Each is a wake-up across "
              "threads or processes: stresses IPC latency.")
               .arg(L::maxMessages));

    m_payload = new SizeSpinBox;
    m_payload->setValue(int(d.payload));
    addRow(form, "payload", tr("Message payload"), m_payload,
           tr("Bytes per message, 0 … 1 GiB; messages × payload must stay ≤ 1 TiB per task. Large payloads "
              "turn latency-bound IPC into bandwidth-bound IPC."));

    m_chunksize = new QSpinBox;
    m_chunksize->setRange(L::minChunksize, L::maxChunksize);
    m_chunksize->setValue(d.chunksize);
    addRow(form, "chunksize", tr("Chunk size"), m_chunksize,
           tr("Tasks per dispatch message in pools, 1 … %1. Larger chunks amortise dispatch IPC but balance "
              "load worse (idle at the end).")
               .arg(L::maxChunksize));

    m_cpus = new QLineEdit;
    m_cpus->setPlaceholderText(tr("all (e.g. 0 or 0-1)"));
    m_cpus->setClearButtonEnabled(true);
    addRow(
        form, "cpus", tr("Pin to CPUs"), m_cpus,
        tr("Restrict the whole run to these CPUs (e.g. 0, 0,1 or 0-3); empty = all allowed CPUs. Pinning to "
           "one CPU shows the cost of time-slicing; pinning makes IPC measurements repeatable."));

    m_repeat = new QSpinBox;
    m_repeat->setRange(L::minRepeat, L::maxRepeat);
    m_repeat->setValue(d.repeat);
    addRow(form, "repeat", tr("Repetitions"), m_repeat,
           tr("Measured repetitions per backend, 1 … %1. Two or more give a 95% confidence interval.")
               .arg(L::maxRepeat));

    m_warmup = new QSpinBox;
    m_warmup->setRange(0, L::maxWarmup);
    m_warmup->setValue(d.warmup);
    addRow(form, "warmup", tr("Warmup runs"), m_warmup,
           tr("Discarded repetitions before measuring, 0 … %1: warm caches, page tables and the allocator.")
               .arg(L::maxWarmup));

    m_interleave = new QCheckBox(tr("repetition by repetition"));
    addRow(form, "interleave", tr("Interleave"), m_interleave,
           tr("Repetition r of every backend before repetition r+1 (warmups first), so slow drifts in the "
              "machine's load hit every backend alike: for A/B comparisons. Sweeps and lessons always "
              "interleave."));

    m_probes = new QComboBox;
    m_probes->addItem(tr("on — record every phase"), int(Probes::On));
    m_probes->addItem(tr("compare — also run bare"), int(Probes::Compare));
    m_probes->addItem(tr("off — bare: wall clock only"), int(Probes::Off));
    m_probes->setCurrentIndex(m_probes->findData(int(d.probes)));
    addRow(form, "probes", tr("Probes"), m_probes,
           tr("What conlab records. On: every phase, timeline and latency. Compare: each repetition runs "
              "again bare right after, and the difference is shown as the instrumentation cost (the results "
              "table's tooltip). Off: bare, the same work and checksums with only the wall clock and the "
              "completed count."));

    m_timeout = new QDoubleSpinBox;
    m_timeout->setRange(L::minTaskTimeoutS, L::maxTaskTimeoutS);
    m_timeout->setDecimals(3);
    m_timeout->setSuffix(QStringLiteral(" s"));
    m_timeout->setValue(d.taskTimeoutS);
    addRow(form, "task-timeout", tr("Task timeout"), m_timeout,
           tr("A worker whose task runs longer than this fails the backend's run, 0.001 … 86 400 s."));

    m_parentMemory = new SizeSpinBox;
    m_parentMemory->setRange(0, 1 << 30); // the CLI takes up to 16G
    m_parentMemory->setValue(int(d.parentMemory));
    addRow(
        form, "parent-memory", tr("Parent memory"), m_parentMemory,
        tr("Memory conlab maps and touches before each repetition's workers start, 0 … 1 GiB here (the CLI's "
           "--parent-memory takes up to 16G). fork copies its page tables for every child, so a forked "
           "worker costs more the more the parent holds; spawn (exec) does not care. The child's page "
           "faults and RSS are reported per spawn."));

    m_childTouch = new QDoubleSpinBox;
    m_childTouch->setRange(0, 1);
    m_childTouch->setDecimals(2);
    m_childTouch->setSingleStep(0.1);
    m_childTouch->setValue(d.childTouch);
    addRow(form, "child-touch", tr("Child writes"), m_childTouch,
           tr("Share of the parent memory each forked worker writes as it starts, 0 … 1: one byte per page, "
              "so each page is copied for that child (copy-on-write), inside its spawn."));

    m_errorLabel = new QLabel;
    m_errorLabel->setObjectName(QStringLiteral("specErrors"));
    m_errorLabel->setWordWrap(true);
    m_errorLabel->setTextFormat(Qt::PlainText);
    m_errorLabel->setStyleSheet(QStringLiteral("color: #D55E00; font-weight: bold;"));
    m_errorLabel->setVisible(false);
    outer->addWidget(m_errorLabel);

    for (QSpinBox* s : {m_tasks, m_workers, m_messages, m_chunksize, m_repeat, m_warmup})
        connect(s, &QSpinBox::valueChanged, this, &WorkloadPanel::revalidate);
    for (SizeSpinBox* s : {m_workingSet, m_input, m_result, m_payload, m_parentMemory})
        connect(s, &QSpinBox::valueChanged, this, &WorkloadPanel::revalidate);
    for (QDoubleSpinBox* s : {m_taskUs, m_timeout, m_childTouch})
        connect(s, &QDoubleSpinBox::valueChanged, this, &WorkloadPanel::revalidate);
    connect(m_kind, &QComboBox::currentIndexChanged, this, &WorkloadPanel::revalidate);
    connect(m_interleave, &QCheckBox::toggled, this, &WorkloadPanel::revalidate);
    connect(m_probes, &QComboBox::currentIndexChanged, this, &WorkloadPanel::revalidate);
    connect(m_cpus, &QLineEdit::textChanged, this, &WorkloadPanel::revalidate);
    connect(m_kind, &QComboBox::currentIndexChanged, this,
            [this] { m_workingSet->setEnabled(m_kind->currentData().toInt() == int(TaskKind::Memory)); });
    m_workingSet->setEnabled(d.kind == TaskKind::Memory);
    connect(m_parentMemory, &QSpinBox::valueChanged, this,
            [this](int bytes) { m_childTouch->setEnabled(bytes > 0); });
    m_childTouch->setEnabled(d.parentMemory > 0);
    revalidate();
}

void WorkloadPanel::addRow(QFormLayout* form, const QString& name, const QString& label, QWidget* w,
                           const QString& tip) {
    w->setObjectName(name);
    w->setToolTip(tip);
    auto* l = new QLabel(label + QLatin1Char(':'));
    l->setToolTip(tip);
    l->setBuddy(w);
    form->addRow(l, w);
    m_fields[name] = w;
    m_labels[name] = label;
}

QString WorkloadPanel::label(const QString& name) const {
    auto it = m_labels.find(name);
    return it != m_labels.end() ? it->second : QString();
}

QWidget* WorkloadPanel::field(const QString& name) const {
    auto it = m_fields.find(name);
    return it == m_fields.end() ? nullptr : it->second;
}

WorkloadSpec WorkloadPanel::spec() const {
    WorkloadSpec s;
    s.tasks = m_tasks->value();
    s.workers = m_workers->value();
    s.taskUs = m_taskUs->value();
    s.kind = TaskKind(m_kind->currentData().toInt());
    s.workingSet = m_workingSet->value();
    s.inputBytes = m_input->value();
    s.resultBytes = m_result->value();
    s.messages = m_messages->value();
    s.payload = m_payload->value();
    s.chunksize = m_chunksize->value();
    s.repeat = m_repeat->value();
    s.warmup = m_warmup->value();
    s.interleave = m_interleave->isChecked();
    s.probes = Probes(m_probes->currentData().toInt());
    s.taskTimeoutS = m_timeout->value();
    s.parentMemory = m_parentMemory->value();
    s.childTouch = m_childTouch->value();
    const QString cpus = m_cpus->text().trimmed();
    if (!cpus.isEmpty())
        if (auto c = parseCpuList(cpus.toStdString())) s.cpus = *c;
    return s;
}

void WorkloadPanel::setSpec(const WorkloadSpec& s) {
    const QSignalBlocker block(this);
    m_tasks->setValue(int(std::clamp<int64_t>(s.tasks, m_tasks->minimum(), m_tasks->maximum())));
    m_workers->setValue(s.workers);
    m_taskUs->setValue(s.taskUs);
    m_kind->setCurrentIndex(std::max(0, m_kind->findData(int(s.kind))));
    m_workingSet->setValue(
        int(std::clamp<int64_t>(s.workingSet, m_workingSet->minimum(), m_workingSet->maximum())));
    m_input->setValue(int(std::clamp<int64_t>(s.inputBytes, 0, m_input->maximum())));
    m_result->setValue(int(std::clamp<int64_t>(s.resultBytes, 0, m_result->maximum())));
    m_messages->setValue(int(std::clamp<int64_t>(s.messages, 0, m_messages->maximum())));
    m_payload->setValue(int(std::clamp<int64_t>(s.payload, 0, m_payload->maximum())));
    m_chunksize->setValue(s.chunksize);
    m_repeat->setValue(s.repeat);
    m_warmup->setValue(s.warmup);
    m_interleave->setChecked(s.interleave);
    m_probes->setCurrentIndex(std::max(0, m_probes->findData(int(s.probes))));
    m_timeout->setValue(s.taskTimeoutS);
    m_parentMemory->setValue(int(std::clamp<int64_t>(s.parentMemory, 0, m_parentMemory->maximum())));
    m_childTouch->setValue(s.childTouch);
    m_childTouch->setEnabled(s.parentMemory > 0);
    m_cpus->setText(QString::fromStdString(formatCpuList(s.cpus)));
    revalidate();
}

void WorkloadPanel::revalidate() {
    QStringList problems;
    QSet<QString> bad;
    const QString cpus = m_cpus->text().trimmed();
    if (!cpus.isEmpty() && !parseCpuList(cpus.toStdString())) {
        problems << tr("Pin to CPUs: '%1' is not a CPU list (e.g. 0 or 0,1 or 0-3)").arg(cpus);
        bad.insert(QStringLiteral("cpus"));
    }
    for (const SpecError& e : validate(spec())) {
        const QString field = QString::fromStdString(e.field);
        auto it = m_labels.find(field);
        const QString label = it != m_labels.end() ? it->second : field;
        problems << tr("%1: %2 is out of range (allowed: %3)")
                        .arg(label, QString::fromStdString(e.value), QString::fromStdString(e.allowed));
        bad.insert(field);
    }
    for (auto& [name, w] : m_fields) {
        const bool isBad = bad.contains(name);
        if (w->property("invalid").toBool() != isBad) {
            w->setProperty("invalid", isBad);
            w->setStyleSheet(isBad ? QStringLiteral("border: 2px solid #D55E00;") : QString());
        }
    }
    const bool wasValid = m_problems.isEmpty();
    const QString before = m_problems.join(QLatin1Char('\n'));
    m_problems = problems;
    m_errorLabel->setText(problems.join(QLatin1Char('\n')));
    m_errorLabel->setVisible(!problems.isEmpty());
    if (wasValid != problems.isEmpty() || before != m_problems.join(QLatin1Char('\n')))
        emit validityChanged(problems.isEmpty(), m_problems.join(QLatin1Char('\n')));
    emit specChanged();
}

} // namespace conlab::ui
