#pragma once
// The advice of `--advise` saved with the results: the file's top-level "advice" array of
// strings (docs/results-format.md). Files without it (older, or run without --advise) load
// with no advice.
#include <QJsonArray>
#include <QJsonValue>
#include <QString>
#include <string>
#include <vector>

namespace conlab {

inline constexpr const char* kAdviceKey = "advice";

QJsonArray adviceToJson(const std::vector<std::string>& lines);
// Reads "advice": absent or null gives none. On anything but an array of at most 1000 strings
// of at most 4096 characters each, returns false with `error` set.
bool adviceFromJson(const QJsonValue& value, std::vector<std::string>& out, QString& error);

} // namespace conlab
