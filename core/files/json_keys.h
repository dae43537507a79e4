#pragma once
// Checks on the keys of a JSON document conlab loads.
#include <QJsonValue>

namespace conlab {

// "spec\u0000" is not "spec" here, but is to a reader that stops at NUL: refused.
bool hasNulInKeys(const QJsonValue& v);

} // namespace conlab
