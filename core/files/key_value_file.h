#pragma once
// The calibration caches' format (native and python, docs/measurement.md): one `key=value`
// per line. Read through readRegularFile, so a FIFO or device planted at a cache path does not
// block and a huge file is refused; written atomically by the callers (writeFileAtomically).
#include <map>
#include <string>

namespace conlab {

// Every `key=value` line of `path` (later lines win); empty when the file is missing, not a
// regular file or larger than 64 KiB.
std::map<std::string, std::string> readKeyValueFile(const std::string& path);
// The value of `key` as a number; NaN when missing or not a number.
double numberOf(const std::map<std::string, std::string>& kv, const std::string& key);
// The value of `key`, or "" when missing.
std::string textOf(const std::map<std::string, std::string>& kv, const std::string& key);

} // namespace conlab
