#include "cancel_token.h"

#include <cstdint>
#include <sys/eventfd.h>
#include <unistd.h>

namespace conlab {

CancelToken::CancelToken() : m_fd(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}

CancelToken::~CancelToken() {
    if (m_fd >= 0) close(m_fd);
}

void CancelToken::cancel() {
    if (m_flag.exchange(true)) return;
    uint64_t one = 1;
    if (m_fd >= 0) [[maybe_unused]]
        auto n = write(m_fd, &one, sizeof one);
}

} // namespace conlab
