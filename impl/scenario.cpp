#include "impl/scenario.hpp"

namespace fincheck {

std::string_view call_name(AppAction::Kind k) {
  switch (k) {
    case AppAction::Kind::Close:
      return "close";
    case AppAction::Kind::Shutdown:
      return "shutdown";
    case AppAction::Kind::Abort:
      return "abort";
    case AppAction::Kind::Send:
      return "send";
  }
  return "?";
}

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
