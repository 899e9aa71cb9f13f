#include <cstdlib>
#include <sstream>

#include "impl/duration.hpp"
#include "impl/scenario_io.hpp"
#include "impl/scenario_settings.hpp"

namespace fincheck {

namespace {

std::string direction(Side from) { return from == Side::A ? "a->b" : "b->a"; }

int line_of(const Scenario& s, std::string_view setting) {
  const auto it = s.setting_lines.find(setting);
  return it == s.setting_lines.end() ? 0 : it->second;
}

std::string number_text(const Injection::Number& n) {
  using A = Injection::Anchor;
  if (n.anchor == A::Fixed) return std::to_string(n.offset);
  std::string out = n.anchor == A::RcvNxt   ? "rcv_nxt"
                    : n.anchor == A::SndNxt ? "snd_nxt"
                                            : "snd_una";
  if (n.offset != 0) out += (n.offset > 0 ? "+" : "-") + std::to_string(std::abs(n.offset));
  return out;
}

}  // namespace

std::string write_scenario(const Scenario& scenario, std::string_view comment) {
  std::ostringstream out;
  std::string_view rest = comment;
  while (!rest.empty()) {
    const auto nl = rest.find('\n');
    out << "# " << rest.substr(0, nl) << '\n';
    if (nl == std::string_view::npos) break;
    rest.remove_prefix(nl + 1);
  }
  out << "profile " << scenario.params.profile << '\n';
  Scenario base;
  base.params = model::profile_named(scenario.params.profile).value_or(model::rfc9293_profile());
  for (const Setting& s : settings()) {
    const std::int64_t v = s.get(scenario);
    if (v != s.get(base)) out << "set " << s.name << ' ' << format_setting_value(s, v) << '\n';
  }
  for (Side side : {Side::A, Side::B})
    if (!scenario.reads[side == Side::A ? 0 : 1]) out << name_of(side) << " reads nothing\n";
  for (const AppAction& a : scenario.actions) {
    out << name_of(a.side) << ' ' << call_name(a.kind);
    if (a.kind == AppAction::Kind::Send) out << ' ' << a.segments;
    out << (a.after_eof ? " after eof " : " at ") << format_duration(a.at_us) << '\n';
  }
  for (const SegmentFault& f : scenario.faults) {
    const std::string seg = direction(f.from) + ' ' + std::to_string(f.n);
    if (f.drop) out << "drop " << seg << '\n';
    if (f.delay_us) out << "delay " << seg << ' ' << format_duration(*f.delay_us) << '\n';
    if (!f.dup_gaps_us.empty()) {
      out << "dup " << seg;
      for (std::int64_t gap : f.dup_gaps_us) out << ' ' << format_duration(gap);
      out << '\n';
    }
  }
  for (const Injection& in : scenario.injections) {
    out << "inject " << direction(in.from) << ' ' << tcpdump_flags(in.flags) << " seq "
        << number_text(in.seq);
    if (in.flags.ack) out << " ack " << number_text(in.ack);
    if (in.len > 0) out << " len " << in.len;
    out << " at " << format_duration(in.at_us) << '\n';
  }
  if (scenario.reopen) out << "reopen\n";
  return out.str();
}

void validate_scenario(const Scenario& s) {
  const model::Parameters& p = s.params;
  auto fail = [&](int line, const std::string& message) {
    throw ScenarioError(s.source, line, message);
  };
  for (const Setting& setting : settings())
    if (setting.kind == Setting::Kind::Duration && setting.get(s) > max_duration_us)
      fail(line_of(s, setting.name), std::string(setting.name) + " " +
                                         format_duration(setting.get(s)) +
                                         " is above the limit of a day (86400s)");
  if (p.retries > max_retries)
    fail(line_of(s, "retries"), "retries " + std::to_string(p.retries) + " is above the limit of " +
                                    std::to_string(max_retries));
  for (const AppAction& a : s.actions)
    if (a.at_us > max_duration_us)
      fail(a.line,
           "the time " + format_duration(a.at_us) + " is above the limit of a day (86400s)");
  for (const Injection& in : s.injections)
    if (in.at_us > max_duration_us)
      fail(in.line,
           "the time " + format_duration(in.at_us) + " is above the limit of a day (86400s)");
  if (p.msl_us <= 0) fail(line_of(s, "msl"), "msl must be positive");
  if (p.rto_initial_us <= 0) fail(line_of(s, "rto"), "rto must be positive");
  if (p.rto_max_us < p.rto_initial_us)
    fail(line_of(s, "rto_max"), "rto_max (" + format_duration(p.rto_max_us) + ") is below rto (" +
                                    format_duration(p.rto_initial_us) + ")");
  if (p.rto_min_us > p.rto_max_us)
    fail(line_of(s, "rto_min"), "rto_min (" + format_duration(p.rto_min_us) +
                                    ") is above rto_max (" + format_duration(p.rto_max_us) + ")");
  if (p.mss_bytes < 1) fail(line_of(s, "mss"), "mss must be at least 1 byte");
  if (p.rto_backoff < 1) fail(line_of(s, "backoff"), "backoff must be at least 1");
  const std::string msl =
      s.max_delay_us > p.msl_us
          ? " exceeds max_delay (" + format_duration(s.max_delay_us) + ")"
          : " exceeds MSL (" + format_duration(p.msl_us) +
                "): no segment may outlive MSL, the network's promise (set max_delay to break it)";
  const std::int64_t bound = s.delay_bound_us();
  if (s.delay_us > bound)
    fail(line_of(s, s.setting_lines.contains("delay") ? "delay" : "msl"),
         "the default delay " + format_duration(s.delay_us) + msl);
  for (const SegmentFault& f : s.faults) {
    const std::string seg = "segment " + direction(f.from) + " #" + std::to_string(f.n);
    const std::int64_t first = f.delay_us.value_or(s.delay_us);
    if (f.delay_us && first > bound)
      fail(f.delay_line, "the delay " + format_duration(first) + " of " + seg + msl);
    for (std::int64_t gap : f.dup_gaps_us)
      if (first + gap > bound)
        fail(f.dup_line, "a duplicate of " + seg + " arrives " + format_duration(first + gap) +
                             " after it was sent, which" + msl);
  }
}

}  // namespace fincheck
