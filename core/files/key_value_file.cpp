#include "key_value_file.h"

#include "../file_io.h"

#include <cmath>
#include <cstdlib>

namespace conlab {

std::map<std::string, std::string> readKeyValueFile(const std::string& path) {
    std::map<std::string, std::string> kv;
    QByteArray bytes;
    if (path.empty() || !readRegularFile(QString::fromStdString(path), 64 * 1024, &bytes, nullptr)) return kv;
    const std::string text = bytes.toStdString();
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        const std::string line = text.substr(start, end - start);
        if (const size_t eq = line.find('='); eq != std::string::npos)
            kv[line.substr(0, eq)] = line.substr(eq + 1);
        start = end + 1;
    }
    return kv;
}

double numberOf(const std::map<std::string, std::string>& kv, const std::string& key) {
    auto it = kv.find(key);
    if (it == kv.end() || it->second.empty()) return NAN;
    char* end = nullptr;
    const double v = std::strtod(it->second.c_str(), &end);
    return end && *end == '\0' ? v : NAN;
}

std::string textOf(const std::map<std::string, std::string>& kv, const std::string& key) {
    auto it = kv.find(key);
    return it == kv.end() ? std::string() : it->second;
}

} // namespace conlab
