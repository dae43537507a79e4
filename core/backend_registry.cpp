#include "backend_registry.h"

#include <stdexcept>

namespace conlab {

BackendRegistry& BackendRegistry::instance() {
    static BackendRegistry registry;
    return registry;
}

BackendRegistry::BackendRegistry() {
    registerBuiltinBackends(*this);
}

void BackendRegistry::add(BackendFactory factory) {
    auto info = factory()->info();
    if (contains(info.id)) throw std::logic_error("backend registered twice: " + info.id);
    m_entries.emplace_back(std::move(info), std::move(factory));
}

std::vector<BackendInfo> BackendRegistry::list() const {
    std::vector<BackendInfo> out;
    for (const auto& e : m_entries)
        out.push_back(e.first);
    return out;
}

std::vector<std::string> BackendRegistry::ids() const {
    std::vector<std::string> out;
    for (const auto& e : m_entries)
        out.push_back(e.first.id);
    return out;
}

bool BackendRegistry::contains(const std::string& id) const {
    for (const auto& e : m_entries)
        if (e.first.id == id) return true;
    return false;
}

std::unique_ptr<Backend> BackendRegistry::create(const std::string& id) const {
    for (const auto& e : m_entries)
        if (e.first.id == id) return e.second();
    return nullptr;
}

} // namespace conlab
