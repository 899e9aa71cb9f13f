#include "research/histogram.hpp"

#include <charconv>
#include <stdexcept>

namespace fincheck::research {

std::int64_t Histogram::bin_of(std::int64_t us) {
  if (us < 1'000) return us;
  std::int64_t scale = 1;
  while (us / scale >= 1'000) scale *= 10;
  return us / scale * scale;
}

std::int64_t Histogram::bin_end(std::int64_t lower) {
  if (lower < 1'000) return lower + 1;
  std::int64_t scale = 1;
  while (lower / scale >= 1'000) scale *= 10;
  return lower + scale;
}

void Histogram::add(std::int64_t us, std::uint64_t count) {
  std::uint64_t& bin = bins_[bin_of(us)];
  if (__builtin_add_overflow(bin, count, &bin))
    throw std::overflow_error("a merged histogram bin exceeds what 64 bits hold");
}

void Histogram::merge(const Histogram& other) {
  for (const auto& [lower, count] : other.bins_) add(lower, count);
}

std::uint64_t Histogram::count() const {
  std::uint64_t n = 0;
  for (const auto& [lower, count] : bins_) n += count;
  return n;
}

std::optional<std::int64_t> Histogram::quantile(double q) const {
  const std::uint64_t n = count();
  if (n == 0) return std::nullopt;
  // The smallest value with at least q*n values at or below it (the
  // "inverted empirical distribution", Hyndman and Fan's definition 1).
  std::uint64_t rank = static_cast<std::uint64_t>(q * static_cast<double>(n));
  if (static_cast<double>(rank) < q * static_cast<double>(n)) ++rank;
  if (rank == 0) rank = 1;
  std::uint64_t seen = 0;
  for (const auto& [lower, count] : bins_) {
    seen += count;
    if (seen >= rank) return lower;
  }
  return bins_.rbegin()->first;
}

std::string Histogram::text() const {
  std::string out;
  for (const auto& [lower, count] : bins_)
    out += (out.empty() ? "" : ";") + std::to_string(lower) + ":" + std::to_string(count);
  return out;
}

std::optional<Histogram> Histogram::parse(std::string_view text) {
  Histogram h;
  while (!text.empty()) {
    const auto semi = text.find(';');
    const std::string_view bin = text.substr(0, semi);
    text = semi == std::string_view::npos ? std::string_view{} : text.substr(semi + 1);
    if (semi != std::string_view::npos && text.empty()) return std::nullopt;  // "a:b;"
    const auto colon = bin.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    std::int64_t lower = 0;
    std::uint64_t count = 0;
    const auto [e1, c1] = std::from_chars(bin.data(), bin.data() + colon, lower);
    const auto [e2, c2] = std::from_chars(bin.data() + colon + 1, bin.data() + bin.size(), count);
    if (c1 != std::errc{} || e1 != bin.data() + colon || c2 != std::errc{} ||
        e2 != bin.data() + bin.size() || lower < 0 || count == 0 || bin_of(lower) != lower ||
        (!h.bins_.empty() && h.bins_.rbegin()->first >= lower))
      return std::nullopt;
    h.bins_[lower] = count;
  }
  return h;
}

}  // namespace fincheck::research
