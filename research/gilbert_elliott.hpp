#pragma once
// Bursty loss: the Gilbert-Elliott channel. A two-state Markov chain per
// direction; per segment the channel moves good -> bad with p and
// bad -> good with r, then loses the segment with the loss ratio of the
// state it is in. The first segment finds the channel in its stationary
// state (bad with p / (p + r)), so that every segment, first or not, is
// lost with the same marginal ratio.
#include <cstdint>

#include "impl/draw.hpp"

namespace fincheck::research {

class GilbertElliott {
 public:
  // Ratios per million.
  GilbertElliott(std::uint32_t p, std::uint32_t r, std::uint32_t good_loss, std::uint32_t bad_loss)
      : p_(p), r_(r), good_loss_(good_loss), bad_loss_(bad_loss) {}

  // Whether the next segment is lost.
  bool lost(Draw& d);

  // The closed forms: the share of segments lost in the long run,
  // (r·good + p·bad) / (p + r), and the mean length of a stay in the bad
  // state, 1 / r segments.
  double stationary_loss() const;
  double mean_bad_run() const { return 1e6 / r_; }

 private:
  std::uint32_t p_, r_, good_loss_, bad_loss_;
  bool started_ = false;
  bool bad_ = false;
};

}  // namespace fincheck::research
