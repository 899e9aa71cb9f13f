#include "research/sweep_spec.hpp"

#include <charconv>
#include <functional>
#include <set>

#include "impl/duration.hpp"
#include "impl/scenario_io.hpp"
#include "impl/scenario_settings.hpp"
#include "impl/text.hpp"
#include "research/sweep_axes.hpp"

namespace fincheck::research {

std::int64_t DelayDistribution::sample(Draw& d, std::int64_t msl_us) const {
  std::int64_t v = a_us;
  if (kind == Kind::Uniform) v = d.range(a_us, b_us);
  if (kind == Kind::Exponential) v = d.exponential(a_us);
  return std::min(v, msl_us);
}

std::string DelayDistribution::text() const {
  switch (kind) {
    case Kind::Fixed:
      return "fixed:" + format_duration(a_us);
    case Kind::Uniform:
      return "uniform:" + format_duration(a_us) + ":" + format_duration(b_us);
    case Kind::Exponential:
      return "exp:" + format_duration(a_us);
  }
  return "?";
}

std::optional<DelayDistribution> DelayDistribution::parse(std::string_view text) {
  DelayDistribution d;
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const std::string_view kind = text.substr(0, colon);
  std::string_view rest = text.substr(colon + 1);
  const auto second = rest.find(':');
  const auto a = parse_duration_us(rest.substr(0, second));
  if (!a) return std::nullopt;
  d.a_us = *a;
  if (kind == "fixed" && second == std::string_view::npos) {
    d.kind = Kind::Fixed;
  } else if (kind == "exp" && second == std::string_view::npos && *a > 0) {
    d.kind = Kind::Exponential;
  } else if (kind == "uniform" && second != std::string_view::npos) {
    const auto b = parse_duration_us(rest.substr(second + 1));
    if (!b || *b < *a) return std::nullopt;
    d.kind = Kind::Uniform;
    d.b_us = *b;
  } else {
    return std::nullopt;
  }
  return d;
}

namespace {

std::string format_scaled(std::uint64_t v, std::uint64_t scale) {
  std::string s = std::to_string(v / scale);
  std::uint64_t frac = v % scale;
  if (frac == 0) return s;
  std::string digits = std::to_string(frac + scale).substr(1);
  while (digits.back() == '0') digits.pop_back();
  return s + "." + digits;
}

}  // namespace

std::optional<std::uint32_t> parse_ratio_ppm(std::string_view text) {
  std::optional<std::uint64_t> v;
  if (text.ends_with('%')) {
    v = parse_decimal(text.substr(0, text.size() - 1), 10'000, 100);
  } else {
    v = parse_decimal(text, 1'000'000, 1);
  }
  if (!v || *v > 1'000'000) return std::nullopt;
  return static_cast<std::uint32_t>(*v);
}

std::optional<std::optional<std::uint32_t>> parse_multiple(std::string_view text) {
  // In place: g++ 12 warns falsely of an uninitialized copy of an empty
  // inner optional (-Wmaybe-uninitialized).
  if (text == "profile") return std::optional<std::optional<std::uint32_t>>(std::in_place);
  const auto v = parse_decimal(text, 1'000, 1'000);
  if (!v || *v > 1'000'000) return std::nullopt;
  return std::optional<std::uint32_t>{static_cast<std::uint32_t>(*v)};
}

std::string format_ppm(std::uint32_t ppm) { return format_scaled(ppm, 1'000'000); }
std::string format_permille(std::uint32_t permille) { return format_scaled(permille, 1'000); }

std::string SweepPoint::key() const {
  std::string key;
  for (const SweepAxis& axis : sweep_axes()) key += (key.empty() ? "" : ",") + axis.text(*this);
  return key;
}

Scenario SweepPoint::scenario(const Scenario& base, const SweepStack* stack) const {
  Scenario s = base;
  s.params = profile_or_file(profile);
  // The template's own `set` lines still hold, except where an axis speaks.
  for (const auto& [name, line] : base.setting_lines)
    if (const Setting* setting = setting_named(name)) setting->put(s, setting->get(base));
  // A stack with parameters of its own takes them; sweep --impl refuses
  // axes that would set them.
  if (stack && stack->prepare) stack->prepare(s);
  if (msl_us) {
    // TIME-WAIT stays the multiple of MSL it was (unset: 2·MSL, which
    // follows MSL by itself) unless an axis sets it.
    if (s.params.time_wait_us)
      s.params.time_wait_us = *s.params.time_wait_us * *msl_us / s.params.msl_us;
    s.params.msl_us = *msl_us;
  }
  if (rfc1337) s.params.rfc1337 = *rfc1337;
  if (time_wait_permille) s.params.time_wait_us = s.params.msl_us * *time_wait_permille / 1'000;
  if (rto_us) {
    s.params.rto_initial_us = *rto_us;
    s.params.rto_max_us = std::max(s.params.rto_max_us, *rto_us);
  }
  if (rto_estimation) s.params.rto_estimation = *rto_estimation;
  if (tail_loss_probe) s.params.tail_loss_probe = *tail_loss_probe;
  if (retries) s.params.retries = *retries;
  if (retries_by_time) s.params.retries_by_time = *retries_by_time;
  if (delayed_ack_us) {
    // Before data and after: a teardown often carries none.
    s.params.delayed_ack_us = *delayed_ack_us;
    s.params.delayed_ack_first_us = *delayed_ack_us;
  }
  // The scenario must admit the late delays the fault source draws.
  if (late_ppm > 0) s.max_delay_us = s.params.msl_us * late_max_permille / 1'000;
  if (reopen) {
    s.reopen = true;
    // A data stream still in flight when the connection closes: b writes
    // four segments as a's FIN leaves. a's application still reads it, so
    // a's close() is a half close (close() would answer the data with RST).
    for (AppAction& a : s.actions)
      if (a.side == Side::A && a.kind == AppAction::Kind::Close) a.kind = AppAction::Kind::Shutdown;
    s.actions.push_back({Side::B, AppAction::Kind::Send, 0, 4, 0});
  }
  return s;
}

Scenario SweepSpec::default_base() {
  // The usual server: a closes, b closes as soon as it reads EOF.
  return parse_scenario("a close at 0ms\nb close after eof 0ms\n", "default teardown");
}

std::vector<SweepPoint> SweepSpec::points() const {
  // An odometer over the axes' values, the last axis turning fastest.
  const auto& axes = sweep_axes();
  std::vector<std::size_t> at(axes.size(), 0);
  std::vector<SweepPoint> out;
  if (point_count() == 0) return out;
  for (;;) {
    SweepPoint& p = out.emplace_back();
    for (std::size_t a = 0; a < axes.size(); ++a) axes[a].pick(*this, at[a], p);
    std::size_t a = axes.size();
    while (a > 0 && ++at[a - 1] == axes[a - 1].count(*this)) at[--a] = 0;
    if (a == 0) return out;
  }
}

std::uint64_t SweepSpec::point_count() const {
  std::uint64_t n = 1;
  for (const SweepAxis& axis : sweep_axes())
    if (__builtin_mul_overflow(n, axis.count(*this), &n)) return UINT64_MAX;
  return n;
}

std::string SweepSpec::grid_error() const {
  if (const std::uint64_t n = point_count(); n > max_sweep_points)
    return "the grid has " + (n == UINT64_MAX ? std::string("more than 2^64") : std::to_string(n)) +
           " points (the axes' values multiplied); at most " + std::to_string(max_sweep_points);
  std::set<std::string> keys;
  for (const SweepPoint& p : points()) {
    if (!keys.insert(p.key()).second)
      return "point " + p.key() + " twice: a value is repeated on an axis";
    // No segment outlives MSL (RFC 9293 §3.4.1), and a sweep keeps that
    // promise by cutting draws at it: a bound past MSL would be cut
    // silently while the CSV names it; an exponential mean past it would
    // make most draws the cut.
    const Scenario s = p.scenario(base, stack.get());
    const std::int64_t msl = s.params.msl_us;
    const DelayDistribution& d = p.delay;
    const std::int64_t bound = d.kind == DelayDistribution::Kind::Uniform ? d.b_us : d.a_us;
    if (bound > msl)
      return "delay " + d.text() + " goes past the MSL of " + p.profile + " (" +
             format_duration(msl) + "): no segment outlives MSL (RFC 9293 §3.4.1); " +
             (d.kind == DelayDistribution::Kind::Exponential
                  ? "most draws would be cut to it"
                  : "its draws would be cut to it while the CSV names " + d.text()) +
             " (the late axis delays segments past MSL)";
    if (s.max_delay_us > max_duration_us)
      return "late_max " + format_permille(p.late_max_permille) + " MSL of " +
             format_duration(msl) + " is " + format_duration(s.max_delay_us) +
             ", above the limit of a day";
  }
  return {};
}

bool set_axis(SweepSpec& spec, std::string_view key, const std::vector<std::string_view>& values,
              const std::function<void(const std::string&)>& fail) {
  const SweepAxis* axis = sweep_axis_named(key);
  if (!axis) return false;
  axis->set(spec, values, fail);
  return true;
}

SweepSpec parse_sweep(std::string_view text, const std::string& source) {
  SweepSpec spec;
  int line = 0;
  std::string base_text;
  auto fail = [&](const std::string& m) { throw ScenarioError(source, line, m); };
  while (!text.empty()) {
    ++line;
    const auto nl = text.find('\n');
    std::string_view l = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (const auto hash = l.find('#'); hash != std::string_view::npos) l = l.substr(0, hash);
    const auto w = split_words(l);
    if (w.empty()) continue;
    if (w.size() < 2) fail(quoted(w[0]) + " needs at least one value");
    const std::string_view key = w[0];
    const std::vector<std::string_view> values(w.begin() + 1, w.end());
    if (set_axis(spec, key, values, fail)) continue;
    if (key == "samples" || key == "seed") {
      std::uint64_t n = 0;
      const auto [end, ec] =
          std::from_chars(values[0].data(), values[0].data() + values[0].size(), n);
      if (values.size() != 1 || ec != std::errc{} || end != values[0].data() + values[0].size() ||
          (key == "samples" && n == 0))
        fail(std::string(key) + " takes one whole number" +
             (key == "samples" ? ", at least 1" : ""));
      (key == "samples" ? spec.samples : spec.seed) = n;
    } else if (key == "teardown") {
      // The rest of the line is one scenario directive of the template.
      base_text += std::string(l.substr(l.find("teardown") + 8)) + "\n";
    } else {
      std::string known;
      for (const SweepAxis& a : sweep_axes()) known += std::string(a.name) + ", ";
      fail("unknown axis " + quoted(key) + " (" + known + "samples, seed, teardown)");
    }
  }
  if (!base_text.empty()) spec.base = parse_scenario(base_text, source + " (teardown lines)");
  if (const std::string error = spec.grid_error(); !error.empty()) fail(error);
  return spec;
}

SweepSpec load_sweep(const std::string& path) { return parse_sweep(read_text_file(path), path); }

}  // namespace fincheck::research
