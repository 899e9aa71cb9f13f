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

// `rows` is the table that ran, to name the row each step took.
std::string render_ladder(const Trace& trace, const std::vector<model::RowInfo>& rows,
                          const LadderOptions& options = {});

// "F. seq 1001 ack 5001", "P. seq 5001 ack 1002 len 100", "R seq 1002".
std::string describe_segment(const Segment& seg);

}  // namespace fincheck
