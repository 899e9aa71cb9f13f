#pragma once
// The trace in the JSON shape DESIGN.md fixes for `fincheck run --json`:
// "segments", "transitions", "final_states" (and, beyond the contract,
// "timers" and "app").
#include <nlohmann/json.hpp>

#include "impl/trace.hpp"

namespace fincheck {

nlohmann::json segments_json(const Trace& t);
nlohmann::json transitions_json(const Trace& t);
nlohmann::json final_states_json(const Trace& t);
nlohmann::json timers_json(const Trace& t);
nlohmann::json app_json(const Trace& t);

}  // namespace fincheck
