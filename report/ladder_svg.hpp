#pragma once
// The ladder diagram as SVG: the same lines as the text ladder
// (impl/ladder.hpp) -- segments with flags, seq/ack, drops, duplicates,
// arrivals, state changes, timer events, the application's calls -- with
// each segment drawn from the moment it left to each moment it arrived, and
// the violations marked where they happened.
#include <cstdint>
#include <string>
#include <vector>

#include "impl/ladder.hpp"

namespace fincheck::report {

// A violation or divergence to mark on the ladder.
struct LadderMark {
  std::string what;  // an invariant's id, or a divergence kind
  std::int64_t at_us = 0;
  std::string message;
};

struct LadderSvgOptions {
  bool timers = false;
  std::vector<std::string> header;  // lines above the ladder
  std::vector<LadderMark> marks;
  // Prefixes the drawing's element ids: several ladders share one page.
  std::string id_prefix = "ladder";
};

std::string render_ladder_svg(const Trace& trace, const std::vector<model::RowInfo>& rows,
                              const LadderSvgOptions& options);

}  // namespace fincheck::report
