// transitions-in-table: every state change an endpoint shows is a row of the
// reference table (model/teardown_table.hpp), and no event it was fed fell
// outside the table. The oracle for mutants and third-party stacks.
#include "impl/duration.hpp"
#include "model/machine.hpp"
#include "properties/invariants/all.hpp"

namespace fincheck::invariants {

namespace {

bool always(const Run&) { return true; }

bool is_reference_row(const StepRecord& s) {
  for (const model::RowInfo& r : model::reference_table().rows())
    if (r.from == s.from && r.event == s.cause && r.to == s.to) return true;
  return false;
}

void check(const Run& run, std::vector<Violation>& out) {
  for (const StepRecord& s : run.trace.steps) {
    const std::string who = name_of(s.endpoint);
    // After its divergence the shadow names nothing; that is reported once.
    if (s.cause == unjudged_cause) continue;
    if (s.cause == unexplained_cause)
      out.push_back({std::string(transitions_in_table.id), s.at_us,
                     who + " went " + std::string(model::to_string(s.from)) + " -> " +
                         std::string(model::to_string(s.to)) +
                         "; no row the model took at that side leads there"});
    else if (s.row < 0)
      out.push_back({std::string(transitions_in_table.id), s.at_us,
                     who + " was fed " + std::string(s.cause) + " in " +
                         std::string(model::to_string(s.from)) + ", for which no row exists"});
    else if (!is_reference_row(s))
      out.push_back({std::string(transitions_in_table.id), s.at_us,
                     who + " went " + std::string(model::to_string(s.from)) + " -> " +
                         std::string(model::to_string(s.to)) + " on " + std::string(s.cause) +
                         ": no row of the RFC 9293 table does that"});
  }
}

}  // namespace

const Invariant transitions_in_table{
    "transitions-in-table", "every state change observed in an endpoint is a row of the table",
    always, check};

}  // namespace fincheck::invariants
