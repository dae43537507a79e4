// `conlab run --ab A --ab B`: each variant is a set of workload options applied over the
// command line's ("--chunksize 16"); both run on every backend, interleaved repetition by
// repetition with the variants' order alternating (Engine::runVariants), then B is compared
// with A per backend and figure by the statistics of `conlab compare` (docs/compare.md).
#include "cli_ab.h"
#include "cli.h"
#include "cli_args.h"
#include "cli_progress.h"

#include "backends/python_backend.h"
#include "calibration.h"
#include "compare/compare.h"
#include "compare/compare_format.h"
#include "engine.h"
#include "report.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <iostream>
#include <set>
#include <sstream>
#include <stdexcept>

namespace conlab::cli {
namespace {

// What a variant may change: the workload, not how many samples each side gets.
std::set<std::string> variantFlags() {
    std::set<std::string> flags = kSpecFlags;
    flags.erase("repeat");
    flags.erase("warmup");
    return flags;
}

std::vector<std::string> splitWords(const std::string& text) {
    std::istringstream in(text);
    std::vector<std::string> words;
    for (std::string w; in >> w;)
        words.push_back(w);
    return words;
}

std::string flagName(const std::string& token) {
    std::string name = token.substr(2);
    if (auto eq = name.find('='); eq != std::string::npos) name.resize(eq);
    return name;
}

struct Variant {
    std::string text;               // as given to --ab
    std::vector<std::string> words; // its options
    std::set<std::string> changed;  // the flags it sets
};

// Checked on its own first, so that an error names the variant.
Variant parseVariant(const std::string& text) {
    Variant v{text, splitWords(text), {}};
    try {
        const std::set<std::string> allowed = variantFlags();
        Args own(v.words, 0, allowed, {});
        for (const auto& w : v.words)
            if (w.rfind("--", 0) == 0) v.changed.insert(flagName(w));
    } catch (const UsageError& e) {
        std::string msg = e.message;
        if (msg.rfind("unknown option --", 0) == 0) {
            const std::string flag = msg.substr(std::string("unknown option --").size());
            msg += flag == "repeat" || flag == "warmup"
                       ? " (both variants get the same repetitions: give it outside --ab)"
                       : " (a variant sets workload options: --tasks, --task-us, --chunksize, …)";
        } else if (msg.find("needs a value") != std::string::npos) {
            msg += " (quote a variant's options: --ab '--chunksize 16')";
        }
        throw UsageError{"--ab '" + text + "': " + msg};
    }
    return v;
}

// args with every option the variant sets replaced by the variant's value.
std::vector<std::string> applyVariant(const std::vector<std::string>& args, const Variant& variant) {
    std::vector<std::string> out;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& t = args[i];
        if (i > 0 && t.rfind("--", 0) == 0 && variant.changed.count(flagName(t))) {
            if (t.find('=') == std::string::npos) ++i; // its value too
            continue;
        }
        out.push_back(t);
    }
    out.insert(out.end(), variant.words.begin(), variant.words.end());
    return out;
}

std::string label(char side, const std::string& variant) {
    const auto words = splitWords(variant);
    std::string joined;
    for (const auto& w : words)
        joined += (joined.empty() ? "" : " ") + w;
    return std::string(1, side) + " (" + (joined.empty() ? "as given" : joined) + ")";
}

} // namespace

bool takeAbVariants(const std::vector<std::string>& args, std::vector<std::string>& rest,
                    std::vector<std::string>& variants) {
    rest.clear();
    variants.clear();
    bool any = false;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& t = args[i];
        if (i > 0 && t == "--ab") {
            if (i + 1 >= args.size())
                throw UsageError{"--ab needs a value (workload options, e.g. --ab '--chunksize 16')"};
            variants.push_back(args[++i]);
            any = true;
        } else if (i > 0 && t.rfind("--ab=", 0) == 0) {
            variants.push_back(t.substr(5));
            any = true;
        } else {
            rest.push_back(t);
        }
    }
    return any;
}

int cmdRunAb(const std::vector<std::string>& args, const std::vector<std::string>& variants) {
    if (variants.size() != 2)
        throw UsageError{
            "--ab: give it twice, A then B (e.g. --ab '--chunksize 1' --ab '--chunksize 16'); got " +
            std::to_string(variants.size())};
    std::vector<Variant> parsed;
    for (const auto& v : variants)
        parsed.push_back(parseVariant(v));
    std::set<std::string> valued = kSpecFlags;
    valued.insert(
        {"backends", "format", "output", "python", "plot", "inject-fault", "alpha", "fail-if-slower"});
    Args a(args, 1, valued, {"advise", "interleave"});
    for (const char* flag : {"plot", "advise"})
        if (a.has(flag))
            throw UsageError{"--" + std::string(flag) +
                             ": not with --ab (an A/B run prints a comparison; run each variant on its own "
                             "for its figure or advice)"};
    if (auto p = a.get("python")) python::setInterpreterOverride(*p);
    const std::string format = a.get("format").value_or("table");
    if (format != "table" && format != "json" && format != "csv")
        throw UsageError{"--format: '" + format + "' is not a format (allowed: table, json, csv)"};
    CompareOptions options;
    options.force = true; // the variants differ by design; the table lists how
    if (auto v = a.get("alpha")) options.alpha = parseOpenRange("alpha", *v, 0, 1);
    std::optional<double> failPct;
    if (auto v = a.get("fail-if-slower")) failPct = parseOpenRange("fail-if-slower", *v, 0, 100);
    std::vector<WorkloadSpec> specs;
    for (const auto& v : parsed) {
        const auto merged = applyVariant(args, v);
        try {
            Args va(merged, 1, valued, {"advise", "interleave"});
            specs.push_back(specFromArgs(va));
            warnIgnoredOptions(va, specs.back());
        } catch (const UsageError& e) {
            throw UsageError{"--ab '" + v.text + "': " + e.message};
        }
    }
    const auto backends = selectBackends(a);
    checkOutputPath(a.get("output"));

    Engine engine(loadOrMeasureCalibration());
    CancelToken interrupt;
    ProgressPrinter progress(std::max(specs[0].tasks, specs[1].tasks));
    EngineOptions opt;
    opt.observer = &progress;
    opt.cancel = &interrupt;
    std::vector<Experiment> ex;
    {
        InterruptScope scope(interrupt);
        ex = engine.runVariants(specs, backends, opt);
    }
    for (auto& e : ex)
        e.conlabVersion = CONLAB_VERSION;

    const Comparison c = compareExperiments(ex[0], ex[1], options);
    CompareLabels labels{label('A', variants[0]), label('B', variants[1])};
    labels.differencesHeading = "varied (--ab)";
    const std::string text = format == "json"  ? formatCompareJson(c, labels)
                             : format == "csv" ? formatCompareCsv(c)
                                               : formatCompareTable(c, labels);
    if (!writeOutput(a.get("output"), text)) return RunFailed;
    int rc = Ok;
    for (size_t v = 0; v < ex.size(); ++v)
        for (const auto& r : ex[v].runs)
            if (!r.error.empty()) {
                std::cerr << "conlab: " << (v == 0 ? "A" : "B") << ": " << printable(r.error) << "\n";
                rc = RunFailed;
            }
    if (interrupt.isCancelled()) {
        std::cerr << "conlab: interrupted; the comparison above is of the repetitions that finished\n";
        rc = RunFailed;
    }
    if (failPct && rc == Ok) {
        const auto slower = slowerThan(c, *failPct);
        for (const auto& b : slower)
            std::cerr << "conlab: " << printable(b)
                      << " is significantly slower with B than with A by more than " << fmtDouble(*failPct)
                      << "% (--fail-if-slower)\n";
        if (!slower.empty()) rc = Slower;
    }
    return rc;
}

} // namespace conlab::cli
