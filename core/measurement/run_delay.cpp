#include "run_delay.h"

#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace conlab {

RunDelayReader RunDelayReader::forThisThread() {
    RunDelayReader r;
    r.m_fd = ::open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
    return r;
}

RunDelayReader& RunDelayReader::operator=(RunDelayReader&& o) noexcept {
    if (this != &o) {
        if (m_fd >= 0) ::close(m_fd);
        m_fd = o.m_fd;
        o.m_fd = -1;
    }
    return *this;
}

RunDelayReader::~RunDelayReader() {
    if (m_fd >= 0) ::close(m_fd);
}

int64_t RunDelayReader::read() const {
    if (m_fd < 0) return -1;
    char buf[96];
    const ssize_t n = ::pread(m_fd, buf, sizeof buf - 1, 0);
    if (n <= 0) return -1;
    buf[n] = '\0';
    // "<ns on cpu> <ns waiting on a runqueue> <timeslices>"
    const char* space = std::strchr(buf, ' ');
    if (!space) return -1;
    return int64_t(std::strtoull(space + 1, nullptr, 10));
}

} // namespace conlab
