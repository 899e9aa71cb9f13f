#pragma once
// A scenario: the parameters, what the applications do and when, and the
// fate of chosen segments. It is the fault plan, and it is the file format
// (DESIGN.md "Scenario files"): parse_scenario reads it, write_scenario
// writes it back.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "impl/segment.hpp"
#include "model/parameters.hpp"

namespace fincheck {

// One-way delay of every segment unless a `delay` or `set delay` says otherwise.
inline constexpr std::int64_t default_delay_us = 10'000;

struct AppAction {
  enum class Kind : std::uint8_t { CloseAt, CloseAfterEof, Send };
  Side side = Side::A;
  Kind kind = Kind::CloseAt;
  std::int64_t at_us = 0;      // CloseAt, Send: absolute; CloseAfterEof: after EOF
  std::uint32_t segments = 0;  // Send
  int line = 0;                // where the scenario said it; 0 if generated
};

// The fate of the n-th segment one side sends (n from 1, per direction,
// retransmissions included). Delays are capped by MSL.
struct SegmentFault {
  Side from = Side::A;
  std::uint32_t n = 0;
  bool drop = false;
  std::optional<std::int64_t> delay_us;    // this segment's one-way delay
  std::optional<std::int64_t> dup_gap_us;  // a second copy, this much later
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
  bool reopen = false;
  std::optional<Expectation> expectation;
  // The line of each `set`, for messages about the value it gave.
  std::map<std::string, int, std::less<>> setting_lines;

  const SegmentFault* fault_for(Side from, std::uint32_t n) const;
  SegmentFault& fault_slot(Side from, std::uint32_t n);
};

}  // namespace fincheck
