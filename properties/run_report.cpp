#include "properties/run_report.hpp"

#include "impl/scenario_settings.hpp"

#include <sstream>

#include "impl/duration.hpp"
#include "impl/trace_json.hpp"

namespace fincheck {

bool RunReport::passed() const {
  for (const Verdict& v : verdicts)
    if (!v.holds()) return false;
  return trace.stack_errors.empty() && divergences.empty();
}

std::vector<Violation> RunReport::violations() const {
  std::vector<Violation> all;
  for (const Verdict& v : verdicts) all.insert(all.end(), v.violations.begin(), v.violations.end());
  for (const Divergence& d : divergences) all.push_back({d.kind, d.at_us, d.message});
  for (const StackError& e : trace.stack_errors)
    all.push_back({"stack-error", e.at_us, std::string(name_of(e.endpoint)) + ": " + e.message});
  return all;
}

std::string verdict_line(const RunReport& r) {
  if (r.cut_off_by_cap())
    return "cut off (no verdict: the run reached fincheck's cap of " +
           std::to_string(r.trace.event_cap) + " segments and calls without falling quiet)";
  if (r.passed()) return "pass";
  std::string ids;
  for (const Verdict& v : r.verdicts)
    if (!v.holds()) ids += (ids.empty() ? "" : ", ") + std::string(v.id);
  for (const Divergence& d : r.divergences) ids += (ids.empty() ? "" : ", ") + d.kind;
  if (!r.trace.stack_errors.empty()) ids += (ids.empty() ? "" : ", ") + std::string("stack-error");
  return "fail (" + ids + ")";
}

std::string run_header(const Scenario& s, const std::array<std::string, 2>& players) {
  const model::Parameters& p = s.params;
  std::ostringstream out;
  out << s.source << ": profile " << p.profile << ", MSL " << format_duration(p.msl_us)
      << ", TIME_WAIT " << format_duration(p.time_wait()) << ", RTO "
      << format_duration(p.rto_initial_us) << ", delay " << format_duration(s.delay_us) << '\n';
  Scenario base;
  base.params = model::profile_named(p.profile).value_or(model::rfc9293_profile());
  std::string changed;
  for (const Setting& setting : settings())
    if (const std::int64_t v = setting.get(s); v != setting.get(base))
      changed += (changed.empty() ? "" : ", ") + std::string(setting.name) + " " +
                 format_setting_value(setting, v);
  if (!changed.empty()) out << "settings: " << changed << '\n';
  out << "playing a: " << players[0] << ", b: " << players[1] << '\n';
  return out.str();
}

std::string text_report(const RunReport& r, const LadderOptions& options) {
  std::ostringstream out;
  out << run_header(r.scenario, r.players) << '\n';
  out << render_ladder(r.trace, r.rows, options) << '\n';
  out << "final states: a " << model::to_string(r.trace.final_states[0]) << ", b "
      << model::to_string(r.trace.final_states[1]) << '\n';
  if (r.trace.event_cap)
    out << "note: the run reached the simulator's cap of " << r.trace.event_cap
        << " segments and application calls at " << format_seconds(r.trace.end_us)
        << " s without falling quiet: fincheck's own limit, not the protocol's\n";
  else if (r.trace.cut_off)
    out << "note: the run was cut off at " << format_seconds(r.trace.end_us)
        << " s without falling quiet\n";
  out << '\n';
  for (const Verdict& v : r.verdicts) {
    if (!v.applicable) {
      out << "  n/a   " << v.id << " (its preconditions do not hold in this run)\n";
      continue;
    }
    out << (v.holds() ? "  pass  " : "  FAIL  ") << v.id << '\n';
    for (const Violation& x : v.violations)
      out << "        at " << format_seconds(x.at_us) << " s: " << x.message << '\n';
  }
  for (const Divergence& d : r.divergences)
    out << "  FAIL  " << d.kind << " (the shadow)\n        " << d.message << '\n';
  for (const StackError& e : r.trace.stack_errors)
    out << "  FAIL  stack-error at " << format_seconds(e.at_us) << " s: " << name_of(e.endpoint)
        << ": " << e.message << '\n';
  out << "\nverdict: " << verdict_line(r) << '\n';
  return out.str();
}

std::vector<std::uint64_t> row_hits(const Trace& trace, std::size_t rows) {
  std::vector<std::uint64_t> hits(rows, 0);
  for (const StepRecord& s : trace.steps)
    if (s.row >= 0 && static_cast<std::size_t>(s.row) < rows)
      ++hits[static_cast<std::size_t>(s.row)];
  return hits;
}

nlohmann::json json_report(const RunReport& r, bool timers) {
  nlohmann::json violations = nlohmann::json::array();
  for (const Violation& v : r.violations())
    violations.push_back({{"property", v.property}, {"at_us", v.at_us}, {"message", v.message}});
  nlohmann::json properties = nlohmann::json::array();
  for (const Verdict& v : r.verdicts)
    properties.push_back({{"property", v.id}, {"applicable", v.applicable}, {"holds", v.holds()}});
  nlohmann::json j{{"scenario", r.scenario.source},
                   {"profile", r.scenario.params.profile},
                   {"players", {{"a", r.players[0]}, {"b", r.players[1]}}},
                   {"verdict", r.cut_off_by_cap() ? "cut-off"
                               : r.passed()       ? "pass"
                                                  : "fail"},
                   {"final_states", final_states_json(r.trace)},
                   {"violations", violations},
                   {"properties", properties},
                   {"segments", segments_json(r.trace)},
                   {"transitions", transitions_json(r.trace)},
                   {"app", app_json(r.trace)},
                   {"connections", r.trace.connections},
                   {"cut_off", r.trace.cut_off},
                   {"event_cap_reached", r.trace.event_cap != 0},
                   {"end_us", r.trace.end_us},
                   {"model", r.model},
                   {"row_hits", row_hits(r.trace, r.rows.size())}};
  if (timers) j["timers"] = timers_json(r.trace);
  return j;
}

}  // namespace fincheck
