#pragma once
#include "backend.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace conlab {

using BackendFactory = std::function<std::unique_ptr<Backend>()>;

// Every registered backend, in display order. Ids are unique.
class BackendRegistry {
  public:
    static BackendRegistry& instance();
    void add(BackendFactory factory);
    std::vector<BackendInfo> list() const;
    std::unique_ptr<Backend> create(const std::string& id) const; // nullptr if unknown
    bool contains(const std::string& id) const;
    std::vector<std::string> ids() const;

  private:
    BackendRegistry();
    std::vector<std::pair<BackendInfo, BackendFactory>> m_entries;
};

// Registration lists live in backends/all_backends.cpp (explicit, so static linking keeps them).
void registerBuiltinBackends(BackendRegistry& registry);

} // namespace conlab
