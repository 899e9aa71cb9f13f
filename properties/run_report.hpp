#pragma once
// The report of one `fincheck run`: the ladder, the final states, each
// invariant's verdict -- for people (text) and programs (JSON).
#include <array>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "impl/ladder.hpp"
#include "impl/scenario.hpp"
#include "impl/trace.hpp"
#include "model/row_info.hpp"
#include "properties/invariant.hpp"
#include "properties/shadow.hpp"

namespace fincheck {

struct RunReport {
  const Scenario& scenario;
  const Trace& trace;
  const std::vector<model::RowInfo>& rows;
  std::vector<Verdict> verdicts;
  // Who played a and who b: "model", "mutant NAME", a stack's name.
  std::array<std::string, 2> players{"model", "model"};
  // The shadow's verdicts on a stack under test: "state", "segment", "timer".
  std::vector<Divergence> divergences;
  // The table that ran: "reference", or a mutant's name.
  std::string model = "reference";

  bool passed() const;
  // No violation, but the run reached the simulator's event cap: no verdict.
  bool cut_off_by_cap() const { return passed() && trace.event_cap != 0; }
  std::vector<Violation> violations() const;
};

// The lines above a ladder: the file, profile, the main parameters, every
// setting that differs from the profile, and who plays each side.
std::string run_header(const Scenario& s, const std::array<std::string, 2>& players);
std::string text_report(const RunReport& r, const LadderOptions& options);
nlohmann::json json_report(const RunReport& r, bool timers);
// "pass", "cut off (...)" or "fail (id, id)".
std::string verdict_line(const RunReport& r);
// How often each of `rows` fired in `trace`: the coverage `fincheck table
// --coverage` draws.
std::vector<std::uint64_t> row_hits(const Trace& trace, std::size_t rows);

}  // namespace fincheck
