#include "research/gilbert_elliott.hpp"

namespace fincheck::research {

bool GilbertElliott::lost(Draw& d) {
  if (!started_) {
    started_ = true;
    const std::uint64_t sum = std::uint64_t{p_} + r_;
    bad_ = sum > 0 && d.chance_ppm(static_cast<std::uint32_t>(std::uint64_t{p_} * 1'000'000 / sum));
  } else {
    bad_ = bad_ ? !d.chance_ppm(r_) : d.chance_ppm(p_);
  }
  const std::uint32_t loss = bad_ ? bad_loss_ : good_loss_;
  return loss > 0 && d.chance_ppm(loss);
}

double GilbertElliott::stationary_loss() const {
  const double p = p_ / 1e6, r = r_ / 1e6;
  return (r * good_loss_ / 1e6 + p * bad_loss_ / 1e6) / (p + r);
}

}  // namespace fincheck::research
