#include "lesson_info.h"

namespace conlab {

QJsonObject lessonInfoJson(const Lesson& lesson, const LessonVerdict& v) {
    return {{"lesson", QString::fromStdString(lesson.name)},
            {"lesson_title", QString::fromStdString(lesson.title)},
            {"explanation", QString::fromStdString(lesson.explanation)},
            {"verdict", QString::fromStdString(v.text)},
            {"holds", v.holds()}, // for readers of older files
            {"outcome", QString::fromStdString(toString(v.verdict))},
            {"verdict_reason", QString::fromStdString(v.reason)},
            {"verdict_advice", QString::fromStdString(v.advice)}};
}

const QStringList& lessonInfoKeys() {
    static const QStringList keys = {"lesson", "lesson_title", "explanation",    "verdict",
                                     "holds",  "outcome",      "verdict_reason", "verdict_advice"};
    return keys;
}

LessonVerdict verdictFromLessonInfo(const QJsonObject& info) {
    LessonVerdict v;
    v.text = info.value(QLatin1String("verdict")).toString().toStdString();
    v.reason = info.value(QLatin1String("verdict_reason")).toString().toStdString();
    v.advice = info.value(QLatin1String("verdict_advice")).toString().toStdString();
    if (auto outcome = verdictFromString(info.value(QLatin1String("outcome")).toString().toStdString()))
        v.verdict = *outcome;
    else // an older file (or an unknown outcome): what its bool said
        v.verdict = info.value(QLatin1String("holds")).toBool() ? Verdict::Holds : Verdict::DoesNotHold;
    return v;
}

} // namespace conlab
