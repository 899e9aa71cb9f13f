#include "impl/scenario.hpp"

namespace fincheck {

const SegmentFault* Scenario::fault_for(Side from, std::uint32_t n) const {
  for (const SegmentFault& f : faults)
    if (f.from == from && f.n == n) return &f;
  return nullptr;
}

SegmentFault& Scenario::fault_slot(Side from, std::uint32_t n) {
  for (SegmentFault& f : faults)
    if (f.from == from && f.n == n) return f;
  SegmentFault& f = faults.emplace_back();
  f.from = from;
  f.n = n;
  return f;
}

}  // namespace fincheck
