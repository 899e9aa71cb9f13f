#pragma once
// A trace as a ladder diagram: two lifelines, one row per thing that
// happened, in the order it happened.
#include <string>
#include <vector>

#include "impl/trace.hpp"
#include "model/row_info.hpp"

namespace fincheck {

struct LadderOptions {
  bool timers = false;  // also print every timer set, restarted, fired, cancelled
};

// One line of a ladder: when, at whose lifeline, what, and which record of
// the trace it shows (an index into Trace::segments, arrivals, steps, timers
// or app, by kind). The text ladder and the SVG ladder draw these.
struct LadderLine {
  enum class Kind : std::uint8_t { Sent, Arrival, Step, Timer, App, Reopen };
  enum class Arrow : std::uint8_t { None, Right, Left, LostRight, LostLeft };
  std::int64_t at_us = 0;
  Side side = Side::A;
  std::string text;
  Kind kind = Kind::Sent;
  std::uint32_t record = 0;
  Arrow arrow = Arrow::None;
};

std::vector<LadderLine> ladder_lines(const Trace& trace, const std::vector<model::RowInfo>& rows,
                                     const LadderOptions& options = {});

// `rows` is the table that ran, to name the row each step took.
std::string render_ladder(const Trace& trace, const std::vector<model::RowInfo>& rows,
                          const LadderOptions& options = {});

// "F. seq 1001 ack 5001", "P. seq 5001 ack 1002 len 100", "R seq 1002".
std::string describe_segment(const Segment& seg);

}  // namespace fincheck
