#include "impl/draw.hpp"

namespace fincheck {

namespace {

std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

std::uint64_t splitmix(std::uint64_t& x) {
  std::uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// log2(x) for x in [1, 2^32), both in Q32 fixed point: the integer part from
// the leading bit, each fraction bit from squaring the mantissa.
std::uint64_t log2_q32(std::uint64_t x_q32) {
  int integer = 0;
  while (x_q32 >= (2ULL << 32)) {
    x_q32 >>= 1;
    ++integer;
  }
  std::uint64_t frac = 0;
  unsigned __int128 m = x_q32;  // in [1, 2) as Q32
  for (int bit = 31; bit >= 0; --bit) {
    m = (m * m) >> 32;
    if (m >= (2ULL << 32)) {
      m >>= 1;
      frac |= 1ULL << bit;
    }
  }
  return (static_cast<std::uint64_t>(integer) << 32) | frac;
}

}  // namespace

Draw::Draw(std::uint64_t seed) {
  for (auto& s : s_) s = splitmix(seed);
}

Draw::Draw(std::uint64_t seed, std::uint64_t a, std::uint64_t b) {
  std::uint64_t x = seed;
  std::uint64_t mixed = splitmix(x) ^ (a * 0xD1B54A32D192ED03ULL);
  mixed = splitmix(mixed) ^ (b * 0xABC98388FB8FAC03ULL);
  for (auto& s : s_) s = splitmix(mixed);
}

std::uint64_t Draw::next() {
  const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

std::int64_t Draw::range(std::int64_t lo, std::int64_t hi) {
  return lo + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(hi - lo + 1));
}

std::size_t Draw::weighted(std::initializer_list<std::uint32_t> weights) {
  std::uint64_t sum = 0;
  for (auto w : weights) sum += w;
  // Lemire's multiply-shift instead of a division: the same for every
  // machine, and a division was a tenth of generating a case.
  std::uint64_t pick =
      static_cast<std::uint64_t>((static_cast<unsigned __int128>(next()) * sum) >> 64);
  std::size_t i = 0;
  for (auto w : weights) {
    if (pick < w) return i;
    pick -= w;
    ++i;
  }
  return i - 1;
}

std::int64_t Draw::ms(std::int64_t lo_ms, std::int64_t hi_ms) {
  return range(lo_ms, hi_ms) * 1'000;
}

bool Draw::chance_ppm(std::uint32_t ppm) { return next() % 1'000'000 < ppm; }

std::int64_t Draw::exponential(std::int64_t mean) {
  // U in (0, 1] as k / 2^32 with k in [1, 2^32]; -ln U = (32 - log2 k) * ln 2.
  const std::uint64_t k = (next() >> 32) + 1;
  const std::uint64_t log2_k = log2_q32(k << 32);  // Q32, in [0, 32]
  const std::uint64_t minus_log2_u = (32ULL << 32) - log2_k;
  constexpr std::uint64_t ln2_q32 = 2977044472ULL;  // ln 2 * 2^32
  const unsigned __int128 nats = (static_cast<unsigned __int128>(minus_log2_u) * ln2_q32) >> 32;
  return static_cast<std::int64_t>((nats * static_cast<unsigned __int128>(mean)) >> 32);
}

}  // namespace fincheck
