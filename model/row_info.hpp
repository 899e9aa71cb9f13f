#pragma once
// One row of a transition table as data: what `fincheck table` prints and
// traces name. Read off the table's type by model/table_rows.hpp.
#include <cstddef>
#include <string>
#include <string_view>

#include "model/events.hpp"
#include "model/state.hpp"

namespace fincheck::model {

struct RowInfo {
  int index = 0;
  State from{};
  std::string_view event;
  std::size_t event_index = 0;
  Stimulus stimulus = Stimulus::Segment;
  State to{};             // equal to `from` for an internal row
  bool internal = false;  // Next is `none`: no exit, no entry
  std::string action;     // "none", or names joined by ", "
  std::string guard;      // "none", "Name" or "!Name"
};

}  // namespace fincheck::model
