#include "advice_json.h"

namespace conlab {

QJsonArray adviceToJson(const std::vector<std::string>& lines) {
    QJsonArray a;
    for (const auto& l : lines)
        a.append(QString::fromStdString(l));
    return a;
}

bool adviceFromJson(const QJsonValue& value, std::vector<std::string>& out, QString& error) {
    out.clear();
    if (value.isUndefined() || value.isNull()) return true;
    constexpr qsizetype kMaxLines = 1000, kMaxLineChars = 4096; // a real advice has a few lines
    if (!value.isArray() || value.toArray().size() > kMaxLines) {
        error = QStringLiteral("field 'advice' must be an array of at most %1 strings").arg(kMaxLines);
        return false;
    }
    for (const QJsonValue& line : value.toArray()) {
        if (!line.isString() || line.toString().size() > kMaxLineChars) {
            error = QStringLiteral("field 'advice' must hold strings of at most %1 characters")
                        .arg(kMaxLineChars);
            out.clear();
            return false;
        }
        out.push_back(line.toString().toStdString());
    }
    return true;
}

} // namespace conlab
