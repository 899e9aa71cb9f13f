#include "explore/visited_set.hpp"

#include <cmath>

namespace fincheck::explore {

namespace {
constexpr int probes = 3;
// A fingerprint of 0 marks an empty slot; it is stored as 1.
std::uint64_t nonzero(std::uint64_t fp) { return fp ? fp : 1; }
}  // namespace

VisitedSet::VisitedSet(std::uint64_t budget_bytes) : budget_(budget_bytes), table_(1024, 0) {}

bool VisitedSet::insert(std::uint64_t fp) {
  fp = nonzero(fp);
  if (!bitstate_) {
    // Grow at half full; when the doubled table would break the budget,
    // become a bit array of the whole budget instead.
    if (2 * (stored_ + 1) > table_.size()) {
      if (2 * table_.size() * sizeof(std::uint64_t) > budget_)
        to_bitstate();
      else
        grow();
    }
    if (!bitstate_) return insert_table(fp);
  }
  const std::uint64_t m = bits_.size() * 64;
  const std::uint64_t h1 = fp, h2 = (fp >> 32 | fp << 32) | 1;
  bool fresh = false;
  for (int i = 0; i < probes; ++i) {
    const std::uint64_t bit = (h1 + static_cast<std::uint64_t>(i) * h2) % m;
    std::uint64_t& word = bits_[bit / 64];
    const std::uint64_t mask = std::uint64_t{1} << (bit % 64);
    if (!(word & mask)) {
      fresh = true;
      word |= mask;
      ++bits_set_;
    }
  }
  if (fresh) {
    // A state unseen is taken for seen when all its bits were already set.
    const double fill = static_cast<double>(bits_set_) / static_cast<double>(m);
    false_positive_sum_ += std::pow(fill, probes);
    ++stored_;
  }
  return fresh;
}

bool VisitedSet::insert_table(std::uint64_t fp) {
  const std::uint64_t mask = table_.size() - 1;
  for (std::uint64_t i = fp & mask;; i = (i + 1) & mask) {
    if (table_[i] == fp) return false;
    if (table_[i] == 0) {
      table_[i] = fp;
      ++stored_;
      return true;
    }
  }
}

void VisitedSet::grow() {
  std::vector<std::uint64_t> old(table_.size() * 2, 0);
  old.swap(table_);
  stored_ = 0;
  for (std::uint64_t fp : old)
    if (fp) insert_table(fp);
}

void VisitedSet::to_bitstate() {
  bitstate_ = true;
  bits_.assign(std::max<std::uint64_t>(budget_ / sizeof(std::uint64_t), 1), 0);
  const std::vector<std::uint64_t> old = std::move(table_);
  table_.clear();
  table_.shrink_to_fit();
  const std::uint64_t kept = stored_;
  stored_ = 0;
  for (std::uint64_t fp : old)
    if (fp) insert(fp);
  stored_ = kept;
}

std::uint64_t VisitedSet::bytes() const {
  return (bitstate_ ? bits_.size() : table_.size()) * sizeof(std::uint64_t);
}

double VisitedSet::omission_probability() const {
  const double n = static_cast<double>(stored_);
  return std::min(1.0, n * n / std::ldexp(1.0, 65) + false_positive_sum_);
}

}  // namespace fincheck::explore
