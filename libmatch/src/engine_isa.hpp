// Instruction-set variants of the scoring kernel. The library compiles the
// kernel for each (libmatch/CMakeLists.txt) and a Scorer runs the best one
// the processor supports, for candidates() and explain() alike, so the two
// agree bit for bit. Eigen's exp fuses multiply-adds where the instruction
// set has them, so scores of two variants may differ in the last bit.
#pragma once

#include <optional>
#include <vector>

namespace libmatch::detail {

enum class Isa {
  baseline,  // the build's flags: x86-64 (SSE2), or -march=native ("native")
  avx2,      // x86-64-v3: AVX2 and FMA
  avx512,    // x86-64-v4: AVX-512
};

const char* isa_name(Isa isa);

// The variants compiled in that this processor runs, baseline first.
std::vector<Isa> supported_isas();

// The variant a Scorer constructed now uses: the last of supported_isas(),
// unless overridden (tests and benchmarks compare the variants).
Isa scoring_isa();
void override_scoring_isa(std::optional<Isa> isa);

}  // namespace libmatch::detail
