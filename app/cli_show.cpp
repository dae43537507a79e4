// `conlab show FILE`: a saved results file printed as the command that wrote it printed it:
// a run's table, a sweep's table and break-even points, a lesson's title, explanation and
// verdict too, and the advice when the file has it.
#include "cli_args.h"
#include "cli_files.h"
#include "cli_sweep_map.h"

#include "file_io.h"
#include "files/advice_json.h"
#include "files/lesson_info.h"
#include "report.h"
#include "verdict.h"

#include <QJsonDocument>
#include <cstdio>
#include <iostream>

namespace conlab::cli {

std::optional<CheckedFile> loadChecked(const std::string& path) {
    QByteArray bytes;
    QString error;
    CheckedFile f;
    if (readRegularFile(QString::fromStdString(path), kMaxResultsFileBytes, &bytes, &error)) {
        FileLoad load = fromJsonBytesWithSweep(std::move(bytes)); // one parse; the text freed at once
        f.results = std::move(load.results);
        f.sweep = std::move(load.sweep);
        if (!f.results.experiment)
            error = QString::fromStdString(path) + ": " + f.results.error;
        else if (f.sweep && !f.sweep->sweep)
            error = QString::fromStdString(path) + ": " + f.sweep->error;
    }
    if (error.isEmpty()) return f;
    std::cerr << "conlab: cannot load results: " << printable(error.toStdString()) << "\n";
    return std::nullopt;
}

std::string adviceText(const std::vector<std::string>& lines) {
    if (lines.empty()) return {};
    std::string text = "\nadvice:\n";
    for (const auto& line : lines)
        text += "  " + printable(line) + "\n";
    return text;
}

std::string verdictText(const LessonVerdict& v) {
    std::string text = "\nverdict: " + verdictHeadline(v.verdict) + " " + printable(v.text) + "\n";
    if (v.verdict == Verdict::Inconclusive)
        text += "  why: " + printable(v.reason) + "\n  what to do: " + printable(v.advice) + "\n";
    return text;
}

namespace {

// A sweep or lesson file, as `conlab sweep` / `conlab lesson run` printed it.
void showSweep(const SweepLoad& load, const std::vector<std::string>& advice, const std::string& format) {
    const SweepResult& sw = *load.sweep;
    const auto breakEven = breakEvenPoints(sw);
    const bool lesson = load.extra.contains(QLatin1String("lesson"));
    if (format == "json") {
        // Of the loaded "sweep" object only the lesson's fields are extra: the rest is the sweep.
        QJsonObject extra;
        for (const QString& key : lessonInfoKeys())
            if (load.extra.contains(key)) extra.insert(key, load.extra.value(key));
        if (load.extra.contains(QLatin1String("repetitions")))
            extra.insert("repetitions", load.extra.value(QLatin1String("repetitions")));
        QJsonObject root = sweepToJson(sw, breakEven, extra);
        if (!advice.empty()) root.insert(kAdviceKey, adviceToJson(advice));
        std::cout << QJsonDocument(root).toJson().toStdString();
        return;
    }
    if (format == "csv") {
        std::cout << formatSweepCsv(sw);
        std::cerr << adviceText(advice); // csv has no place for it (as by conlab sweep)
        return;
    }
    if (lesson) {
        auto field = [&](const char* key) {
            return printable(load.extra.value(key).toString().toStdString());
        };
        std::cout << field("lesson_title") << "\n\n" << field("explanation") << "\n\n";
    }
    std::cout << formatSweepTable(sw, breakEven) << adviceText(advice);
    if (lesson) {
        std::cout << verdictText(verdictFromLessonInfo(load.extra));
        if (const int reps = load.extra.value(QLatin1String("repetitions")).toInt(); reps > 0)
            std::cout << "  (" << reps << " measured repetitions per backend and point, interleaved)\n";
    }
}

} // namespace

// Prints a saved results file. A file that does not load (truncated, malformed, newer
// schema, hostile values, too big) is refused with the reason: exit 2, nothing written.
int cmdShow(const std::vector<std::string>& args) {
    if (args.size() < 2 || args[1].rfind("--", 0) == 0)
        throw UsageError{"show: which file? (conlab show FILE [--format table|json|csv])"};
    Args a(args, 2, {"format"}, {});
    std::string format = a.get("format").value_or("table");
    if (format != "table" && format != "json" && format != "csv")
        throw UsageError{"--format: '" + format + "' is not a format (allowed: table, json, csv)"};
    if (auto rc = showIfSweepMap(args[1], format)) return *rc; // cli_sweep_map.cpp
    auto loaded = loadChecked(args[1]);
    if (!loaded) return Usage;
    const LoadResult& r = loaded->results;
    if (!r.note.isEmpty()) std::cerr << "conlab: note: " << printable(r.note.toStdString()) << "\n";
    if (loaded->sweep) {
        showSweep(*loaded->sweep, r.advice, format);
        return Ok;
    }
    if (format == "json") {
        QJsonObject root = toJson(*r.experiment);
        if (!r.advice.empty()) root.insert(kAdviceKey, adviceToJson(r.advice));
        std::cout << QJsonDocument(root).toJson().toStdString();
    } else if (format == "csv") {
        std::cout << formatCsv(*r.experiment);
        std::cerr << adviceText(r.advice);
    } else {
        std::cout << formatTable(*r.experiment) << adviceText(r.advice);
    }
    return Ok;
}

} // namespace conlab::cli
