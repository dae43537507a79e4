// libFuzzer target: the results-file parser (conlab::fromJsonBytes). Properties checked:
// never crashes, never hangs, every refusal has a message, and whatever it accepts saves
// and loads again (a loaded file can always be re-saved).
#include "results_json.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const QByteArray bytes(reinterpret_cast<const char*>(data), qsizetype(size));
    conlab::LoadResult r = conlab::fromJsonBytes(bytes);
    if (!r.experiment) {
        if (r.error.isEmpty()) __builtin_trap(); // a refusal must say why
        return 0;
    }
    conlab::LoadResult again = conlab::fromJsonBytes(conlab::toJsonBytes(*r.experiment, false));
    if (!again.experiment) { // accepted once, must be accepted after a save
        std::fprintf(stderr, "accepted, then refused after a save: %s\n", qPrintable(again.error));
        __builtin_trap();
    }
    return 0;
}
