#pragma once
// A scenario: the parameters, what the applications do and when, and the
// fate of chosen segments. It is the fault plan, and it is the file format
// (DESIGN.md "Scenario files"): parse_scenario reads it, write_scenario
// writes it back.
#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "impl/segment.hpp"
#include "model/parameters.hpp"

namespace fincheck {

// One-way delay of every segment unless a `delay` or `set delay` says otherwise.
inline constexpr std::int64_t default_delay_us = 10'000;

// What an application does: the socket calls close(), shutdown(SHUT_WR),
// close() with SO_LINGER 0 (abort) and send().
struct AppAction {
  enum class Kind : std::uint8_t { Close, Shutdown, Abort, Send };
  Side side = Side::A;
  Kind kind = Kind::Close;
  std::int64_t at_us = 0;      // absolute, or after EOF
  std::uint32_t segments = 0;  // Send
  int line = 0;                // where the scenario said it; 0 if generated
  bool after_eof = false;      // at_us counts from the application's EOF
};
std::string_view call_name(AppAction::Kind k);
// More application calls than a teardown test needs is a mistake; the
// simulator keeps one bit per call.
inline constexpr std::size_t max_actions = 64;
// No duration (a timer, a delay, the time of a call) above a day, and no
// retry budget above a thousand: no honest test needs more, and the
// simulator's horizon (every timer run back to back, four times over) then
// fits in 63 bits with room to spare.
inline constexpr std::int64_t max_duration_us = 86'400'000'000;
inline constexpr std::uint32_t max_retries = 1'000;

// A segment the scenario puts on the wire in one side's name (`inject`):
// the model did not produce it. Its sequence and acknowledgment numbers are
// fixed, or taken from the receiver's variables at that moment plus an
// offset ("a RST at b's RCV.NXT").
struct Injection {
  enum class Anchor : std::uint8_t { Fixed, RcvNxt, SndNxt, SndUna };
  struct Number {
    Anchor anchor = Anchor::Fixed;
    std::int64_t offset = 0;  // Fixed: the number itself
  };
  Side from = Side::A;  // it arrives at the peer of `from`
  std::int64_t at_us = 0;
  Flags flags;
  Number seq{Anchor::RcvNxt, 0};
  Number ack{Anchor::SndNxt, 0};
  std::uint32_t len = 0;
  int line = 0;
};

// The fate of the n-th segment one side sends (n from 1, per direction,
// retransmissions included). Delays are capped by MSL.
struct SegmentFault {
  Side from = Side::A;
  std::uint32_t n = 0;
  bool drop = false;
  std::optional<std::int64_t> delay_us;  // this segment's one-way delay
  // More copies, each this much after the first arrives (at most
  // max_copies - 1 of them).
  std::vector<std::int64_t> dup_gaps_us;
  int drop_line = 0;
  int delay_line = 0;
  int dup_line = 0;
};

// A file's own claim about its verdict, from a comment line
// `# expect: pass` or `# expect: fail ID, ID`: what `fincheck run --expect`
// holds the run to.
struct Expectation {
  bool pass = true;
  std::vector<std::string> failing;  // invariant ids, sorted
  int line = 0;
};

struct Scenario {
  std::string source = "<scenario>";  // file name in messages
  model::Parameters params = model::rfc9293_profile();
  std::int64_t delay_us = default_delay_us;
  // Initial sequence numbers; the defaults put no wrap in sight, tests and
  // generators move them next to 2^32.
  std::uint32_t isn_a = 1000;
  std::uint32_t isn_b = 5000;
  std::vector<AppAction> actions;
  std::vector<SegmentFault> faults;
  std::vector<Injection> injections;
  // Sides whose application never reads (`a reads nothing`).
  std::array<bool, 2> reads{true, true};
  bool reopen = false;
  // A network that breaks its promise: delays may reach this, past MSL
  // (a sweep's `late` axis). 0: MSL bounds every delay (RFC 9293 §3.4.1).
  std::int64_t max_delay_us = 0;
  std::optional<Expectation> expectation;
  // The line of each `set`, for messages about the value it gave.
  std::map<std::string, int, std::less<>> setting_lines;

  // The longest delay a segment may have.
  std::int64_t delay_bound_us() const { return std::max(params.msl_us, max_delay_us); }
  const SegmentFault* fault_for(Side from, std::uint32_t n) const;
  SegmentFault& fault_slot(Side from, std::uint32_t n);
};

}  // namespace fincheck
