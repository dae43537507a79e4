#pragma once
// Threads at the edges (docs/reliability.md, "Resource limits"): which limit stopped a thread
// from starting, and a pre-check for the library runtimes that cannot fail gracefully.
#include <string>

namespace conlab {

// " (…: what to change)" for a thread that could not be created with errno `err`: names the
// address-space limit (ulimit -v) when one is set, the process limit (ulimit -u) when it
// applies, else the kernel's or cgroup's thread limit. Empty for unrelated errors.
std::string threadLimitHint(int err);

// The same for a process that could not be started (fork, posix_spawn) with errno `err`: the
// process limit (ulimit -u) when it applies, else the system's; memory for ENOMEM; the fd
// limit (ulimit -n) for EMFILE. Empty for unrelated errors.
std::string processLimitHint(int err);

// " (fd limit reached (ulimit -n N): …)" for EMFILE, the system's file table for ENFILE.
std::string fdLimitHint(int err);

// The hint for an error a Python driver reported (its exception text): a thread that could not
// start, [Errno 11] from fork (or a fork server that could not fork), [Errno 24] from pipe or socket,
// MemoryError / [Errno 12]. The driver inherits conlab's limits, so conlab's own limits name the one that
// applied.
std::string pythonErrorHint(const std::string& message);

// oneTBB calls std::terminate, libgomp exits the process and Qt's QThreadPool hangs when a
// thread cannot be created. Before such a runtime starts `threads` threads, the same number
// (default stack size, all alive at once) is started and joined here; when that fails,
// throws BackendError "<backend>: could not start N threads (only K): reason (hint)".
void requireThreads(const std::string& backend, int threads);

// Throws BackendError "<backend>: <why> need about N file descriptors, but the fd limit
// (ulimit -n L) leaves F: …" when fewer than `needed` descriptors are free. (Each Qt thread's
// GLib event dispatcher opens a wake-up fd; GLib aborts with SIGTRAP when it cannot.)
void requireFreeFds(const std::string& backend, int needed, const std::string& why);

} // namespace conlab
