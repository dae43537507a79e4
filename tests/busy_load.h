#pragma once
// Other work on the machine, started and stopped by a test: N child processes spinning on the
// CPU (processes, not threads: their CPU time must count as someone else's, not the test's).
// They die with the test (PR_SET_PDEATHSIG), and the destructor kills and reaps them.
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace conlab::test {

class BusyLoad {
  public:
    explicit BusyLoad(int processes) {
        for (int i = 0; i < processes; ++i) {
            const pid_t pid = fork();
            if (pid == 0) {
                prctl(PR_SET_PDEATHSIG, SIGKILL);
                volatile unsigned long x = 0;
                for (;;)
                    x = x + 1;
            }
            if (pid > 0) m_pids.push_back(pid);
        }
    }
    ~BusyLoad() { stop(); }
    BusyLoad(const BusyLoad&) = delete;
    BusyLoad& operator=(const BusyLoad&) = delete;

    int running() const { return int(m_pids.size()); }
    // CPU seconds (user + system) the spinners have used so far, from /proc/<pid>/stat.
    double cpuSeconds() const {
        double ticks = 0;
        for (pid_t p : m_pids) {
            char path[64];
            std::snprintf(path, sizeof path, "/proc/%d/stat", int(p));
            FILE* f = std::fopen(path, "re");
            if (!f) continue;
            char buf[1024] = {};
            const size_t n = std::fread(buf, 1, sizeof buf - 1, f);
            std::fclose(f);
            buf[n] = 0;
            const char* rest = std::strrchr(buf, ')'); // the name may hold spaces
            unsigned long long utime = 0, stime = 0;
            if (rest && std::sscanf(rest + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime,
                                    &stime) == 2)
                ticks += double(utime + stime);
        }
        return ticks / double(sysconf(_SC_CLK_TCK));
    }
    void stop() {
        for (pid_t p : m_pids)
            kill(p, SIGKILL);
        for (pid_t p : m_pids)
            while (waitpid(p, nullptr, 0) < 0 && errno == EINTR) {
            }
        m_pids.clear();
    }

  private:
    std::vector<pid_t> m_pids;
};

} // namespace conlab::test
