#pragma once
// The two sides of a run; the segment itself is the model's (model/segment.hpp).
#include <cstdint>

#include "model/segment.hpp"

namespace fincheck {

enum class Side : std::uint8_t { A, B };
constexpr Side peer_of(Side s) { return s == Side::A ? Side::B : Side::A; }
constexpr const char* name_of(Side s) { return s == Side::A ? "a" : "b"; }

}  // namespace fincheck
