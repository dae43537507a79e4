#include "cli_progress.h"

#include <csignal>
#include <cstdio>
#include <unistd.h>

namespace conlab::cli {
namespace {

CancelToken* g_interrupt = nullptr;
extern "C" void onInterrupt(int) {
    if (g_interrupt) g_interrupt->cancel(); // atomic store + eventfd write: async-signal-safe
}

} // namespace

InterruptScope::InterruptScope(CancelToken& token) {
    g_interrupt = &token;
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
}

InterruptScope::~InterruptScope() {
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    g_interrupt = nullptr;
}

ProgressPrinter::ProgressPrinter(int64_t tasks) : m_tasks(tasks), m_tty(isatty(STDERR_FILENO)) {}

void ProgressPrinter::repetitionStarted(const std::string& backend, int rep, bool warmup) {
    m_backend = backend + (warmup ? " (warmup " : " (rep ") + std::to_string(rep + 1) + ")";
}

void ProgressPrinter::snapshot(const std::string&, int, const Snapshot& s) {
    if (!m_tty) return;
    std::fprintf(stderr, "\r\033[K%s: %lld/%lld tasks, %.0f tasks/s", m_backend.c_str(),
                 (long long)s.tasksDone, (long long)m_tasks, s.windowThroughput);
}

void ProgressPrinter::backendFinished(const BackendRun&) {
    if (m_tty) std::fprintf(stderr, "\r\033[K");
}

} // namespace conlab::cli
