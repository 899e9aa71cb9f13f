#pragma once
// The states the explorer has visited, by 64-bit fingerprint: hash
// compaction (Wolper and Leroy, 1993) -- a state is never stored, only its
// fingerprint. When the table would outgrow its budget it becomes a bit
// array probed three times per state (Holzmann's bitstate hashing, as in
// SPIN's -DBITSTATE): no longer exhaustive, and the report says how likely
// an omission was.
#include <cstdint>
#include <vector>

namespace fincheck::explore {

class VisitedSet {
 public:
  explicit VisitedSet(std::uint64_t budget_bytes);
  // Whether `fingerprint` was not there before; it is now.
  bool insert(std::uint64_t fingerprint);

  bool bitstate() const { return bitstate_; }
  std::uint64_t bytes() const;
  // An upper bound on the chance that some new state was taken for
  // visited: fingerprint collisions (n^2 / 2^65) and, after the switch,
  // the bit array's false positives, summed over the insertions.
  double omission_probability() const;

 private:
  bool insert_table(std::uint64_t fp);
  void grow();
  void to_bitstate();

  std::uint64_t budget_;
  std::vector<std::uint64_t> table_;  // open addressing; 0 = empty
  std::uint64_t stored_ = 0;
  bool bitstate_ = false;
  std::vector<std::uint64_t> bits_;
  std::uint64_t bits_set_ = 0;
  double false_positive_sum_ = 0;
};

}  // namespace fincheck::explore
