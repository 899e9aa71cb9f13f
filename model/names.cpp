#include <variant>

#include "model/events.hpp"
#include "model/states.hpp"

namespace fincheck::model {

std::optional<State> parse_state(std::string_view text) {
  for (State s : all_states)
    if (to_string(s) == text) return s;
  return std::nullopt;
}

std::string_view event_name(const AnyEvent& event) {
  return std::visit([](auto const& e) { return std::remove_cvref_t<decltype(e)>::name; }, event);
}

}  // namespace fincheck::model
