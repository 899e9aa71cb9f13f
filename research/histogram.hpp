#pragma once
// A histogram of durations that adds up exactly across shards: each value
// falls in the bin of its three leading decimal digits (below 1 ms, its own
// bin), so a quantile read off it is the bin's lower end, less than 1 %
// below the true value and exact under 1 ms -- and two shards' histograms
// sum to the histogram of the whole, bin by bin.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace fincheck::research {

class Histogram {
 public:
  void add(std::int64_t us, std::uint64_t count = 1);
  void merge(const Histogram& other);
  std::uint64_t count() const;
  // The lower end of the bin holding the q-th quantile (0 < q <= 1), in
  // microseconds; nullopt when empty.
  std::optional<std::int64_t> quantile(double q) const;
  // The bins, lower end -> count.
  const std::map<std::int64_t, std::uint64_t>& bins() const { return bins_; }

  // "240000000:12;250000000:3": the CSV cell; "" when empty.
  std::string text() const;
  // nullopt when `text` is not such a cell, or a bin is not a lower end.
  static std::optional<Histogram> parse(std::string_view text);
  static std::int64_t bin_of(std::int64_t us);
  // The first value past the bin whose lower end is `lower`.
  static std::int64_t bin_end(std::int64_t lower);

  friend bool operator==(const Histogram&, const Histogram&) = default;

 private:
  std::map<std::int64_t, std::uint64_t> bins_;
};

}  // namespace fincheck::research
