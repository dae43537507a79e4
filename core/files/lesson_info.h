#pragma once
// A lesson's name, texts and verdict as saved in sweep files (the "sweep" object's extra fields,
// docs/results-format.md). Files from before three-valued verdicts carry only "holds": true
// reads as holds, false as does not hold (what they printed).
#include "lessons.h"

#include <QJsonObject>
#include <QStringList>

namespace conlab {

// "lesson", "lesson_title", "explanation", "verdict" (the text), "holds", "outcome"
// ("holds" | "does-not-hold" | "inconclusive"), "verdict_reason", "verdict_advice".
QJsonObject lessonInfoJson(const Lesson& lesson, const LessonVerdict& verdict);
// The keys above: what a saved lesson keeps of a sweep file's extra fields.
const QStringList& lessonInfoKeys();
// The verdict of a saved lesson (text, reason, advice included).
LessonVerdict verdictFromLessonInfo(const QJsonObject& info);

} // namespace conlab
