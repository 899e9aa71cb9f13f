#pragma once
// A 64-bit fingerprint built piece by piece: what the explorer keeps of a
// state it has visited (hash compaction, Wolper and Leroy 1993). Two states
// with equal pieces have equal fingerprints; two different ones collide with
// probability about 2^-64 per pair.
#include <cstdint>
#include <optional>

namespace fincheck {

class Fingerprint {
 public:
  void add(std::uint64_t v) { h_ = mix(h_ + v * 0x9e3779b97f4a7c15ULL + 0x632be59bd9b4e019ULL); }
  void add(std::int64_t v) { add(static_cast<std::uint64_t>(v)); }
  void add(std::uint32_t v) { add(std::uint64_t{v}); }
  void add(bool v) { add(std::uint64_t{v ? 1u : 2u}); }
  template <class T>
  void add(const std::optional<T>& v) {
    add(v.has_value());
    if (v) add(*v);
  }
  std::uint64_t value() const { return mix(h_); }

 private:
  // SplitMix64's finalizer: every input bit moves every output bit.
  static std::uint64_t mix(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::uint64_t h_ = 0x243f6a8885a308d3ULL;
};

}  // namespace fincheck
