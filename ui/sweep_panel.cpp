#include "sweep_panel.h"

#include "sweep_figures.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRadioButton>
#include <QSpinBox>
#include <cmath>

namespace conlab::ui {

namespace {
bool isByteParam(SweepParam p) {
    return p == SweepParam::Payload || p == SweepParam::Input || p == SweepParam::ParentMemory;
}

std::optional<double> parseValue(SweepParam p, const QString& text) {
    const QString t = text.trimmed();
    if (t.isEmpty()) return std::nullopt;
    if (isByteParam(p)) {
        if (auto v = parseSize(t.toStdString())) return double(*v);
        return std::nullopt;
    }
    bool ok = false;
    const double v = t.toDouble(&ok);
    if (!ok || !std::isfinite(v)) return std::nullopt;
    return v;
}

QString valueText(SweepParam p, double v) {
    if (isByteParam(p)) {
        const auto b = int64_t(std::llround(v));
        for (auto [shift, suffix] : {std::pair{30, "G"}, {20, "M"}, {10, "K"}})
            if (b >= (int64_t(1) << shift) && b % (int64_t(1) << shift) == 0)
                return QString::number(b >> shift) + QLatin1String(suffix);
        return QString::number(b);
    }
    return QString::number(v, 'g', 6);
}

struct ParamDefault {
    SweepParam param;
    const char* from;
    const char* to;
    int steps;
    bool log;
    const char* tip;
};
const ParamDefault kDefaults[] = {
    {SweepParam::TaskUs, "1", "10000", 5, true,
     "µs of CPU work per task: where does parallelism start paying off?"},
    {SweepParam::Workers, "1", "8", 4, true,
     "Workers per backend: throughput should peak near the core count"},
    {SweepParam::Payload, "64", "1M", 5, true,
     "Bytes per message (use messages ≥ 1): pipes copy, shared memory does not"},
    {SweepParam::Messages, "0", "100", 5, false, "Messages per task: communication frequency"},
    {SweepParam::Input, "0", "1M", 5, false, "Input bytes per task, sent to the worker"},
    {SweepParam::Tasks, "10", "10000", 4, true, "Tasks per run: start-up amortized over more work"},
    {SweepParam::Chunksize, "1", "1000", 4, true, "Tasks per dispatch message (pools)"},
    {SweepParam::ParentMemory, "0", "1G", 3, false,
     "Memory the coordinator holds while workers start: what fork copies page tables of"},
};
} // namespace

SweepPanel::SweepPanel(QWidget* parent) : QGroupBox(tr("Sweep one parameter"), parent) {
    setObjectName(QStringLiteral("sweepBox"));
    setCheckable(true);
    setChecked(false);
    setToolTip(tr("When ticked, Run runs every selected backend at each value of one parameter and plots "
                  "speedup, throughput and phase shares against it, with break-even points"));
    auto* form = new QFormLayout(this);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_param = new QComboBox;
    m_param->setObjectName(QStringLiteral("sweepParam"));
    for (const ParamDefault& d : kDefaults) {
        m_param->addItem(QString::fromStdString(toString(d.param)), int(d.param));
        m_param->setItemData(m_param->count() - 1, tr(d.tip), Qt::ToolTipRole);
    }
    form->addRow(tr("Parameter:"), m_param);

    m_rangeMode = new QRadioButton(tr("Range"));
    m_rangeMode->setObjectName(QStringLiteral("sweepRangeMode"));
    m_valuesMode = new QRadioButton(tr("Values"));
    m_valuesMode->setObjectName(QStringLiteral("sweepValuesMode"));
    m_rangeMode->setChecked(true);
    auto* modes = new QHBoxLayout;
    modes->addWidget(m_rangeMode);
    modes->addWidget(m_valuesMode);
    modes->addStretch(1);
    form->addRow(tr("Spacing:"), modes);

    m_from = new QLineEdit;
    m_from->setObjectName(QStringLiteral("sweepFrom"));
    m_to = new QLineEdit;
    m_to->setObjectName(QStringLiteral("sweepTo"));
    auto* range = new QHBoxLayout;
    range->addWidget(m_from, 1);
    range->addWidget(new QLabel(QStringLiteral("→")));
    range->addWidget(m_to, 1);
    form->addRow(tr("From → to:"), range);
    m_steps = new QSpinBox;
    m_steps->setObjectName(QStringLiteral("sweepSteps"));
    m_steps->setRange(2, 1000);
    m_steps->setValue(5);
    m_scale = new QComboBox;
    m_scale->setObjectName(QStringLiteral("sweepScale"));
    m_scale->addItem(tr("log"), true);
    m_scale->addItem(tr("linear"), false);
    m_scale->setToolTip(tr("Log: values evenly spaced by factor (1, 10, 100…); the break-even point is "
                           "interpolated on the same scale"));
    auto* steps = new QHBoxLayout;
    steps->addWidget(m_steps, 1);
    steps->addWidget(m_scale, 1);
    form->addRow(tr("Steps, scale:"), steps);
    m_values = new QLineEdit;
    m_values->setObjectName(QStringLiteral("sweepValues"));
    m_values->setPlaceholderText(tr("e.g. 1, 10, 100, 1000"));
    m_values->setToolTip(tr("Comma-separated values; sizes as 64, 4K, 1M"));
    form->addRow(tr("Values:"), m_values);
    m_preview = new QLabel;
    m_preview->setObjectName(QStringLiteral("sweepPreview"));
    m_preview->setWordWrap(true);
    form->addRow(m_preview);

    auto applyDefaults = [this] {
        const auto p = SweepParam(m_param->currentData().toInt());
        for (const ParamDefault& d : kDefaults)
            if (d.param == p) {
                m_from->setText(QString::fromLatin1(d.from));
                m_to->setText(QString::fromLatin1(d.to));
                m_steps->setValue(d.steps);
                m_scale->setCurrentIndex(d.log ? 0 : 1);
            }
        m_values->setPlaceholderText(isByteParam(p) ? tr("e.g. 64, 4K, 256K, 1M")
                                                    : tr("e.g. 1, 10, 100, 1000"));
    };
    applyDefaults();
    auto modeChanged = [this] {
        updateFieldsEnabled();
        emit changed();
    };
    modeChanged();
    connect(m_param, &QComboBox::activated, this, [this, applyDefaults] {
        applyDefaults();
        emit changed();
    });
    connect(m_param, &QComboBox::currentIndexChanged, this, &SweepPanel::changed);
    connect(m_rangeMode, &QRadioButton::toggled, this, modeChanged);
    for (QLineEdit* e : {m_from, m_to, m_values})
        connect(e, &QLineEdit::textChanged, this, &SweepPanel::changed);
    connect(m_steps, &QSpinBox::valueChanged, this, &SweepPanel::changed);
    connect(m_scale, &QComboBox::currentIndexChanged, this, &SweepPanel::changed);
    connect(this, &QGroupBox::toggled, this, modeChanged);
}

QVariantMap SweepPanel::state() const {
    return {{QStringLiteral("enabled"), isChecked()},
            {QStringLiteral("param"), QString::fromStdString(toString(param()))},
            {QStringLiteral("mode"),
             m_rangeMode->isChecked() ? QStringLiteral("range") : QStringLiteral("values")},
            {QStringLiteral("from"), m_from->text()},
            {QStringLiteral("to"), m_to->text()},
            {QStringLiteral("steps"), m_steps->value()},
            {QStringLiteral("log"), logScale()},
            {QStringLiteral("values"), m_values->text()}};
}

void SweepPanel::setState(const QVariantMap& st) {
    const auto p = sweepParamFromString(st.value(QStringLiteral("param")).toString().toStdString());
    if (!p) return;
    {
        const QSignalBlocker block(this);
        m_param->setCurrentIndex(m_param->findData(int(*p)));
        m_from->setText(st.value(QStringLiteral("from")).toString());
        m_to->setText(st.value(QStringLiteral("to")).toString());
        m_steps->setValue(st.value(QStringLiteral("steps"), 5).toInt());
        m_scale->setCurrentIndex(st.value(QStringLiteral("log"), true).toBool() ? 0 : 1);
        m_values->setText(st.value(QStringLiteral("values")).toString());
        (st.value(QStringLiteral("mode")).toString() == QLatin1String("values") ? m_valuesMode : m_rangeMode)
            ->setChecked(true);
    }
    if (st.contains(QStringLiteral("enabled"))) setChecked(st.value(QStringLiteral("enabled")).toBool());
    updateFieldsEnabled();
    emit changed();
}

// Only the fields of the chosen spacing are editable, and none while sweeping is off (QGroupBox
// re-enables every child when it is ticked again).
void SweepPanel::updateFieldsEnabled() {
    const bool on = isChecked(), r = m_rangeMode->isChecked();
    m_from->setEnabled(on && r);
    m_to->setEnabled(on && r);
    m_steps->setEnabled(on && r);
    m_values->setEnabled(on && !r);
}

SweepParam SweepPanel::param() const {
    return SweepParam(m_param->currentData().toInt());
}

bool SweepPanel::logScale() const {
    return m_scale->currentData().toBool();
}

std::optional<std::vector<double>> SweepPanel::values(QString* error) const {
    auto fail = [&](const QString& why) -> std::optional<std::vector<double>> {
        if (error) *error = why;
        return std::nullopt;
    };
    const SweepParam p = param();
    if (m_valuesMode->isChecked()) {
        std::vector<double> out;
        for (const QString& item : m_values->text().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            auto v = parseValue(p, item);
            if (!v) return fail(tr("Sweep: '%1' is not a value").arg(item.trimmed()));
            out.push_back(*v);
        }
        if (out.empty()) return fail(tr("Sweep: type at least one value"));
        if (logScale())
            for (double v : out)
                if (v <= 0) return fail(tr("Sweep: a log scale needs values > 0 (choose linear)"));
        return out;
    }
    auto from = parseValue(p, m_from->text()), to = parseValue(p, m_to->text());
    if (!from) return fail(tr("Sweep: 'from' is not a value"));
    if (!to) return fail(tr("Sweep: 'to' is not a value"));
    if (logScale() && (*from <= 0 || *to <= 0))
        return fail(tr("Sweep: a log scale needs from and to > 0 (choose linear)"));
    return sweepValues(*from, *to, m_steps->value(), logScale());
}

QString SweepPanel::problem(const WorkloadSpec& base) const {
    QString error;
    auto v = values(&error);
    if (!v) return error;
    for (double value : *v) {
        WorkloadSpec s = base;
        applySweepValue(s, param(), value);
        if (auto errors = validate(s); !errors.empty())
            return tr("Sweep: %1 = %2: %3")
                .arg(QString::fromStdString(toString(param())), valueText(param(), value),
                     QString::fromStdString(errors.front().message()));
    }
    return {};
}

void SweepPanel::updatePreview(const WorkloadSpec& base) {
    QString error;
    auto v = values(&error);
    if (!v) {
        m_preview->setText(error);
        m_preview->setStyleSheet(QStringLiteral("color: #D55E00;"));
        return;
    }
    const QString problemText = problem(base);
    if (!problemText.isEmpty()) {
        m_preview->setText(problemText);
        m_preview->setStyleSheet(QStringLiteral("color: #D55E00;"));
        return;
    }
    QStringList shown;
    for (size_t i = 0; i < v->size(); ++i) {
        if (v->size() > 8 && i == 4) {
            shown << QStringLiteral("…");
            i = v->size() - 3;
        }
        shown << formatSweepTick(param(), (*v)[i]);
    }
    m_preview->setText(tr("%n point(s): %1", nullptr, int(v->size())).arg(shown.join(QStringLiteral(", "))));
    m_preview->setStyleSheet(QString());
}

void SweepPanel::showSweep(SweepParam p, const std::vector<double>& values, bool log) {
    {
        const QSignalBlocker block(this);
        m_param->setCurrentIndex(m_param->findData(int(p)));
        QStringList items;
        for (double v : values)
            items << valueText(p, v);
        m_values->setText(items.join(QStringLiteral(", ")));
        m_valuesMode->setChecked(true);
        m_scale->setCurrentIndex(log ? 0 : 1);
        setChecked(values.size() > 1);
    }
    updateFieldsEnabled();
    emit changed();
}

void SweepPanel::setRange(SweepParam p, const QString& from, const QString& to, int steps, bool log) {
    {
        const QSignalBlocker block(this);
        m_param->setCurrentIndex(m_param->findData(int(p)));
        m_from->setText(from);
        m_to->setText(to);
        m_steps->setValue(steps);
        m_scale->setCurrentIndex(log ? 0 : 1);
        m_rangeMode->setChecked(true);
        setChecked(true);
    }
    updateFieldsEnabled();
    emit changed();
}

QWidget* SweepPanel::field(const QString& name) const {
    if (name == QLatin1String("param")) return m_param;
    if (name == QLatin1String("values")) return m_values;
    if (name == QLatin1String("from")) return m_from;
    if (name == QLatin1String("to")) return m_to;
    if (name == QLatin1String("steps")) return m_steps;
    if (name == QLatin1String("scale")) return m_scale;
    if (name == QLatin1String("valuesMode")) return m_valuesMode;
    return nullptr;
}

} // namespace conlab::ui
