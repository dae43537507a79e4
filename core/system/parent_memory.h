#pragma once
// --parent-memory / --child-touch (issue 16, docs/measurement.md "Fork cost vs parent memory"):
// memory the coordinator holds while a repetition's workers start, so that fork has page tables
// to copy and the children pages to copy on write. Anonymous, private, touched page by page,
// without transparent huge pages (a heap of small objects — a Python list's — is not huge-page
// backed, and 2 MiB pages would hide the per-page cost fork pays).
#include <cstddef>
#include <cstdint>

namespace conlab {

class ParentMemory {
  public:
    // Maps and touches `bytes` (0: nothing); throws std::runtime_error when it cannot be mapped.
    // The one alive is what children touch (touchInChild): one at a time.
    ParentMemory(int64_t bytes, double childTouch);
    ~ParentMemory();
    ParentMemory(const ParentMemory&) = delete;
    ParentMemory& operator=(const ParentMemory&) = delete;

    int64_t bytes() const { return m_bytes; }

    // In a freshly forked child (async-signal-safe: plain stores): writes one byte per page of
    // the first childTouch share of the parent memory alive at the fork. Nothing without one.
    static void touchInChild();

  private:
    char* m_base = nullptr;
    int64_t m_bytes = 0;
};

} // namespace conlab
