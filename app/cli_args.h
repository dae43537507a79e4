#pragma once
// `conlab` argument parsing: "--flag value" / "--flag=value", numbers, sizes, the workload
// spec from the run flags, and the output paths checked before anything runs.
#include "cli.h"
#include "sweep.h"
#include "workload_spec.h"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace conlab::cli {

struct UsageError {
    std::string message;
};
struct OutputError { // an output path that cannot be written, found before anything runs: exit 1
    std::string message;
};

// "--flag value" / "--flag=value" parsing with the set of flags each subcommand accepts.
class Args {
  public:
    Args(const std::vector<std::string>& args, size_t from, const std::set<std::string>& valued,
         const std::set<std::string>& switches) {
        for (size_t i = from; i < args.size(); ++i) {
            std::string a = args[i];
            if (a.rfind("--", 0) != 0) throw UsageError{"unexpected argument '" + a + "'"};
            std::string name = a.substr(2), value;
            bool hasValue = false;
            if (auto eq = name.find('='); eq != std::string::npos) {
                value = name.substr(eq + 1);
                name = name.substr(0, eq);
                hasValue = true;
            }
            if (switches.count(name)) {
                if (hasValue) throw UsageError{"--" + name + " takes no value"};
                m_values[name] = "1";
                continue;
            }
            if (!valued.count(name)) throw UsageError{"unknown option --" + name};
            if (!hasValue) {
                if (i + 1 >= args.size()) throw UsageError{"--" + name + " needs a value"};
                value = args[++i];
            }
            if (m_values.count(name)) throw UsageError{"--" + name + " given twice"};
            m_values[name] = value;
        }
    }
    std::optional<std::string> get(const std::string& name) const {
        auto it = m_values.find(name);
        if (it == m_values.end()) return std::nullopt;
        return it->second;
    }
    bool has(const std::string& name) const { return m_values.count(name) > 0; }

  private:
    std::map<std::string, std::string> m_values;
};

// Throws OutputError when `path` cannot be written (core/file_io.h, outputTargetProblem).
void checkOutputPath(const std::optional<std::string>& path);
// Writes text to path atomically, or to stdout without one. False (the error printed on
// stderr) when the file cannot be written.
bool writeOutput(const std::optional<std::string>& path, const std::string& text);
// Throw UsageError naming the flag and the allowed values.
int64_t parseInteger(const std::string& flag, const std::string& v, int64_t lo, int64_t hi);
double parseNumber(const std::string& flag, const std::string& v, const std::string& allowed);
int64_t parseSizeFlag(const std::string& flag, const std::string& v);
// A number strictly between lo and hi (--alpha, --fail-if-slower); the error names the interval.
double parseOpenRange(const std::string& flag, const std::string& v, double lo, double hi);
std::string fmtDouble(double v);
extern const std::set<std::string> kSpecFlags;
WorkloadSpec specFromArgs(const Args& a);
// --backends (default "all"), resolved; throws UsageError naming an unknown id.
std::vector<std::string> selectBackends(const Args& a);
// Options that the rest of the command line makes meaningless ("--payload" with "--messages 0",
// "--working-set" with "--kind cpu", "--figure" without "--plot", …): one
// "conlab: warning: …" line each on stderr; the command still runs. `swept`: the parameter
// `conlab sweep --param` varies ("payload" counts as given, "messages" as non-zero); `swept2`
// the one --param2 varies in a map.
void warnIgnoredOptions(const Args& a, const WorkloadSpec& spec, const std::string& swept = {},
                        const std::string& swept2 = {});

// A sweep axis's values from --values{suffix} V,V,… or --from{suffix} A --to{suffix} B
// [--steps{suffix} N] [--scale{suffix} log|linear] (suffix "" for --param, "2" for --param2).
std::vector<double> sweepAxisValues(const Args& a, SweepParam param, const std::string& suffix);
// Every value of an axis applied to `base` must give a valid spec; the error names the value as given.
void checkSweepValues(const WorkloadSpec& base, SweepParam param, const std::string& name,
                      const std::vector<double>& values, const std::string& flag);
// --plot/--out PATH with --figure (one of `figures`, the first is the default), --size WxH and
// --scale S (not when `sweeping`: there --scale is the sweep's spacing).
PlotRequest plotRequestFor(const std::string& path, const Args& a, const std::vector<std::string>& figures,
                           const std::string& what, bool sweeping);

} // namespace conlab::cli
