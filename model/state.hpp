#pragma once
// The eight states of a connection after the three-way handshake, RFC 9293
// §3.3.2 (Figure 5). Connection setup is out of scope: both ends start in
// ESTABLISHED. The Boost.MSM state types are model/states.hpp: everything
// that only names a state includes this light header instead.
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace fincheck::model {

enum class State : std::uint8_t {
  Established,
  FinWait1,
  FinWait2,
  Closing,
  TimeWait,
  CloseWait,
  LastAck,
  Closed,
};

inline constexpr std::array<State, 8> all_states{
    State::Established, State::FinWait1,  State::FinWait2, State::Closing,
    State::TimeWait,    State::CloseWait, State::LastAck,  State::Closed,
};

// Written as RFC 9293 names the states, with '_' for '-' so that a state is
// one token in JSON keys, scenario files and shell pipelines (docs/decisions.md).
constexpr std::string_view to_string(State s) {
  switch (s) {
    case State::Established:
      return "ESTABLISHED";
    case State::FinWait1:
      return "FIN_WAIT_1";
    case State::FinWait2:
      return "FIN_WAIT_2";
    case State::Closing:
      return "CLOSING";
    case State::TimeWait:
      return "TIME_WAIT";
    case State::CloseWait:
      return "CLOSE_WAIT";
    case State::LastAck:
      return "LAST_ACK";
    case State::Closed:
      return "CLOSED";
  }
  return "?";
}

std::optional<State> parse_state(std::string_view text);

}  // namespace fincheck::model
