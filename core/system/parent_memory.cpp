#include "parent_memory.h"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <sys/mman.h>
#include <unistd.h>

namespace conlab {
namespace {

// What a forked child inherits: read after fork, where only this thread exists.
struct Alive {
    char* base = nullptr;
    int64_t touchBytes = 0;
};
Alive g_alive;

int64_t pageSize() {
    static const int64_t page = sysconf(_SC_PAGESIZE) > 0 ? sysconf(_SC_PAGESIZE) : 4096;
    return page;
}

} // namespace

ParentMemory::ParentMemory(int64_t bytes, double childTouch) : m_bytes(bytes > 0 ? bytes : 0) {
    if (m_bytes == 0) return;
    void* p = mmap(nullptr, size_t(m_bytes), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        throw std::runtime_error("--parent-memory: cannot map " + std::to_string(m_bytes) +
                                 " bytes: " + std::strerror(errno));
    m_base = static_cast<char*>(p);
    madvise(m_base, size_t(m_bytes), MADV_NOHUGEPAGE);
    const int64_t page = pageSize();
    for (int64_t off = 0; off < m_bytes; off += page) // resident, every page its own
        m_base[off] = char(off / page);
    const double share = childTouch < 0 ? 0 : childTouch > 1 ? 1 : childTouch;
    g_alive = {m_base, int64_t(double(m_bytes) * share)};
    std::atomic_signal_fence(std::memory_order_seq_cst);
}

ParentMemory::~ParentMemory() {
    if (!m_base) return;
    if (g_alive.base == m_base) g_alive = {};
    munmap(m_base, size_t(m_bytes));
}

void ParentMemory::touchInChild() {
    const Alive a = g_alive;
    if (!a.base) return;
    const int64_t page = pageSize();
    for (int64_t off = 0; off < a.touchBytes; off += page)
        a.base[off] = char(a.base[off] + 1); // a write: the page is copied for this child
}

} // namespace conlab
