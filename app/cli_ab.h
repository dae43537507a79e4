#pragma once
// `conlab run --ab OPTIONS --ab OPTIONS` (issue 15 item 6): two workload variants on the same
// backends in one interleaved invocation, compared as `conlab compare` compares two files.
#include <string>
#include <vector>

namespace conlab::cli {

// Moves every "--ab VALUE" / "--ab=VALUE" out of args into variants; the rest stays in order.
// False when there is none (a plain run).
bool takeAbVariants(const std::vector<std::string>& args, std::vector<std::string>& rest,
                    std::vector<std::string>& variants);
// args: `run` and its options without --ab; variants: the two --ab values.
int cmdRunAb(const std::vector<std::string>& args, const std::vector<std::string>& variants);

} // namespace conlab::cli
