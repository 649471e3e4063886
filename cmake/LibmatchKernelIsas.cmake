# The instruction-set variants of the scoring kernel (libmatch/src/engine_isa.hpp):
# libmatch_kernel_isas names them and libmatch_kernel_flags_<isa> holds each one's
# compile flags. A native build has one variant, for this machine; GCC 12 or later
# on x86-64 adds AVX2 (x86-64-v3) and AVX-512 (x86-64-v4) to the portable baseline.
# libmatch/ compiles the kernel for each; benchmarks/ its Eigen product floor.
# (-Wno-*uninitialized: GCC 12 warns falsely inside its own AVX-512 intrinsics,
# GCC bug 105593.)
set(libmatch_kernel_isas baseline)
if(NOT LIBMATCH_NATIVE
   AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU"
   AND CMAKE_CXX_COMPILER_VERSION VERSION_GREATER_EQUAL 12
   AND CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
  list(APPEND libmatch_kernel_isas avx2 avx512)
endif()
set(libmatch_kernel_flags_baseline "")
if(LIBMATCH_NATIVE)
  set(libmatch_kernel_flags_baseline -march=native -Wno-uninitialized -Wno-maybe-uninitialized)
endif()
set(libmatch_kernel_flags_avx2 -march=x86-64-v3)
set(libmatch_kernel_flags_avx512 -march=x86-64-v4 -Wno-uninitialized -Wno-maybe-uninitialized)
