// Large vectors of rows (millions of parsed or sorted observations) backed
// by huge pages: one page fault per 2 MB instead of one per 4 kB as they
// fill, which on a virtual machine costs a noticeable share of an ingest.
#pragma once

#include <sys/mman.h>

#include <cstdint>
#include <vector>

namespace atalaya {

// Asks the kernel to back `v`'s reserved capacity with transparent huge
// pages. Only the 2 MB-aligned part of the buffer is advised; where the
// kernel does not leave the choice to the program (transparent_hugepage
// "always" or "never") it changes nothing. Call it after reserve() and
// before the rows are written.
template <typename T>
void advise_huge_pages(std::vector<T>& v) {
  constexpr uintptr_t kHuge = uintptr_t{2} << 20;
  const auto begin = reinterpret_cast<uintptr_t>(v.data());
  const uintptr_t first = (begin + kHuge - 1) & ~(kHuge - 1);
  const uintptr_t last = (begin + v.capacity() * sizeof(T)) & ~(kHuge - 1);
  if (v.data() != nullptr && last > first) ::madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
}

}  // namespace atalaya
