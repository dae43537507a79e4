#pragma once
// Per-subcommand help: `conlab COMMAND --help` (also -h, and `conlab help COMMAND`).
#include <optional>
#include <string>
#include <vector>

namespace conlab::cli {

// The help text of one subcommand ("run", "sweep", "lesson", "plot", "show", "backends",
// "calibrate", "pingpong", "fidelity"); nullopt for an unknown command.
std::optional<std::string> subcommandHelp(const std::string& command);

// The help text `args` (without the program name) asks for, if any: `COMMAND … --help|-h`
// or `help COMMAND`. A "--help" that is the value of an option (`--output --help`) counts too:
// help never runs anything, so that is harmless.
std::optional<std::string> requestedHelp(const std::vector<std::string>& args);

} // namespace conlab::cli
