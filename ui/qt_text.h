#pragma once
// The core speaks std::string, Qt speaks QString: the one conversion the figure code uses.
#include <QString>
#include <string>

namespace conlab::ui {

inline QString q(const std::string& s) {
    return QString::fromStdString(s);
}

} // namespace conlab::ui
