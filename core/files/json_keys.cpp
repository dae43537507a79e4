#include "json_keys.h"

#include <QJsonArray>
#include <QJsonObject>
#include <algorithm>

namespace conlab {

bool hasNulInKeys(const QJsonValue& v) {
    if (v.isArray()) {
        const QJsonArray a = v.toArray();
        return std::any_of(a.begin(), a.end(), [](const QJsonValue& x) { return hasNulInKeys(x); });
    }
    if (!v.isObject()) return false;
    const QJsonObject o = v.toObject();
    for (auto it = o.begin(); it != o.end(); ++it)
        if (it.key().contains(QChar(0)) || hasNulInKeys(it.value())) return true;
    return false;
}

} // namespace conlab
