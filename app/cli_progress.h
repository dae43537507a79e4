#pragma once
// What every long `conlab` command shares: Ctrl-C/SIGTERM as a cancel of the work under way
// (finished results are kept and printed), and live progress on a terminal.
#include "cancel_token.h"
#include "engine.h"

#include <cstdint>
#include <string>

namespace conlab::cli {

// While alive, SIGINT and SIGTERM cancel `token`; the default actions come back on
// destruction (also when the work throws). One at a time.
class InterruptScope {
  public:
    explicit InterruptScope(CancelToken& token);
    ~InterruptScope();
    InterruptScope(const InterruptScope&) = delete;
    InterruptScope& operator=(const InterruptScope&) = delete;
};

// Live progress on a terminal: one rewritten line on stderr.
class ProgressPrinter final : public EngineObserver {
  public:
    explicit ProgressPrinter(int64_t tasks);
    void repetitionStarted(const std::string& backend, int rep, bool warmup) override;
    void snapshot(const std::string&, int, const Snapshot& s) override;
    void backendFinished(const BackendRun&) override;

  private:
    int64_t m_tasks;
    bool m_tty;
    std::string m_backend;
};

} // namespace conlab::cli
