#include "research/sweep_axes.hpp"

#include <charconv>

#include "impl/duration.hpp"
#include "impl/scenario_io.hpp"
#include "impl/text.hpp"
#include "model/parameters.hpp"
#include "research/sweep_spec.hpp"

namespace fincheck::research {

namespace {

using Values = std::vector<std::string_view>;

template <class T, class Parse>
void read_values(std::vector<T>& axis, const Values& values, const AxisFail& fail,
                 const std::string& why, Parse parse) {
  axis.clear();
  for (std::string_view v : values) {
    const std::optional<T> value = parse(v);
    if (!value) fail(why + ": " + quoted(v));
    axis.push_back(*value);
  }
}

std::optional<std::uint32_t> ratio(std::string_view v) { return parse_ratio_ppm(v); }

// "profile", or what `parse` makes of the text.
template <class T, class Parse>
auto or_profile(Parse parse) {
  return [parse](std::string_view v) -> std::optional<std::optional<T>> {
    if (v == "profile") return std::optional<std::optional<T>>(std::in_place);
    const auto value = parse(v);
    if (!value) return std::nullopt;
    return std::optional<T>(*value);
  };
}

std::optional<bool> on_off(std::string_view v) {
  if (v == "on") return true;
  if (v == "off") return false;
  return std::nullopt;
}

std::optional<std::int64_t> positive_duration(std::string_view v) {
  const auto d = parse_duration_us(v);
  if (!d || *d == 0 || *d > max_duration_us) return std::nullopt;
  return d;
}

std::optional<std::int64_t> duration(std::string_view v) {
  const auto d = parse_duration_us(v);
  if (!d || *d > max_duration_us) return std::nullopt;
  return d;
}

template <class T, class Text>
std::string profile_or(const std::optional<T>& v, Text text) {
  return v ? text(*v) : std::string("profile");
}

std::string on_off_text(bool v) { return v ? "on" : "off"; }
std::string count_text(std::uint32_t v) { return std::to_string(v); }

#define AXIS_VALUES_OF(field, point_field)                          \
  [](const SweepSpec& s) -> std::size_t { return s.field.size(); }, \
      [](const SweepSpec& s, std::size_t i, SweepPoint& p) { p.point_field = s.field[i]; }
#define AXIS_VALUES(field) AXIS_VALUES_OF(field, field)
// An on/off switch of the endpoint, or the profile's.
#define PROFILE_FLAG_AXIS(name, field, legend, help)                                       \
  SweepAxis {                                                                              \
    name, name, help, AXIS_VALUES(field),                                                  \
        [](const SweepPoint& p) { return profile_or(p.field, on_off_text); },              \
        [](const SweepPoint& p) { return legend " " + profile_or(p.field, on_off_text); }, \
        [](SweepSpec& s, const Values& v, const AxisFail& fail) {                          \
          read_values(s.field, v, fail, name " must be on, off or profile",                \
                      or_profile<bool>(on_off));                                           \
        }                                                                                  \
  }

const std::vector<SweepAxis> all_axes{
    {"profile", "profile", "rfc9293, linux, lwip or ./NAME.profile",
     AXIS_VALUES_OF(profiles, profile), [](const SweepPoint& p) { return p.profile; },
     [](const SweepPoint& p) { return p.profile; },
     [](SweepSpec& s, const Values& values, const AxisFail& fail) {
       s.profiles.clear();
       for (std::string_view v : values) {
         if (is_profile_path(v)) {
           read_profile_file(std::string(v));  // bad input shows now, not mid-sweep
         } else if (!model::profile_named(v)) {
           fail("profile must be rfc9293, linux, lwip or ./NAME.profile: " + quoted(v));
         }
         s.profiles.emplace_back(v);
       }
     }},
    {"loss", "loss", "loss ratios, of every segment in the good state (0.01 or 1%)",
     AXIS_VALUES(loss_ppm), [](const SweepPoint& p) { return format_ppm(p.loss_ppm); },
     [](const SweepPoint& p) { return "loss " + format_ppm(p.loss_ppm); },
     [](SweepSpec& s, const Values& v, const AxisFail& fail) {
       read_values(s.loss_ppm, v, fail, "loss must be a ratio in [0, 1], as 0.01 or 1%", ratio);
     },
     [](const SweepPoint& p) { return p.loss_ppm / 1e6; }, "loss ratio"},
    {"loss_from_b", "loss_from_b", "loss ratios of b's segments, or same (as loss)",
     AXIS_VALUES(loss_from_b_ppm),
     [](const SweepPoint& p) {
       return p.loss_from_b_ppm ? format_ppm(*p.loss_from_b_ppm) : std::string("same");
     },
     [](const SweepPoint& p) {
       return "loss from b " +
              (p.loss_from_b_ppm ? format_ppm(*p.loss_from_b_ppm) : std::string("same"));
     },
     [](SweepSpec& s, const Values& v, const AxisFail& fail) {
       read_values(s.loss_from_b_ppm, v, fail,
                   "loss_from_b must be a ratio in [0, 1], as 0.01 or 1%, or same",
                   [](std::string_view t) -> std::optional<std::optional<std::uint32_t>> {
                     if (t == "same")
                       return std::optional<std::optional<std::uint32_t>>(std::in_place);
                     const auto r = parse_ratio_ppm(t);
                     if (!r) return std::nullopt;
                     return std::optional<std::uint32_t>(*r);
                   });
     },
     [](const SweepPoint& p) { return p.loss_from_b_ppm ? *p.loss_from_b_ppm / 1e6 : -1.0; },
     "loss ratio of b's segments"},
    {"ge_p", "ge_p", "Gilbert-Elliott: chance per segment of going from good to bad (0: no bursts)",
     AXIS_VALUES(ge_p_ppm), [](const SweepPoint& p) { return format_ppm(p.ge_p_ppm); },
     [](const SweepPoint& p) { return "GE p " + format_ppm(p.ge_p_ppm); },
     [](SweepSpec& s, const Values& v, const AxisFail& fail) {
       read_values(s.ge_p_ppm, v, fail, "ge_p must be a ratio in [0, 1], as 0.01 or 1%", ratio);
     },
     [](const SweepPoint& p) { return p.ge_p_ppm / 1e6; }, "Gilbert-Elliott p (good to bad)"},
    {"ge_r", "ge_r", "Gilbert-Elliott: chance per segment of going from bad to good",
     AXIS_VALUES(ge_r_ppm), [](const SweepPoint& p) { return format_ppm(p.ge_r_ppm); },
     [](const SweepPoint& p) { return "GE r " + format_ppm(p.ge_r_ppm); },
     [](SweepSpec& s, const Values& v, const AxisFail& fail) {
       read_values(s.ge_r_ppm, v, fail, "ge_r must be a ratio in (0, 1], as 0.25 or 25%",
                   [](std::string_view t) -> std::optional<std::uint32_t> {
                     const auto r = parse_ratio_ppm(t);
                     if (!r || *r == 0) return std::nullopt;
                     return r;
                   });
     },
     [](const SweepPoint& p) { return p.ge_r_ppm / 1e6; }, "Gilbert-Elliott r (bad to good)"},
    {"ge_bad_loss", "ge_bad_loss", "Gilbert-Elliott: loss ratio in the bad state",
     AXIS_VALUES(ge_bad_loss_ppm),
     [](const SweepPoint& p) { return format_ppm(p.ge_bad_loss_ppm); },
     [](const SweepPoint& p) { return "GE bad loss " + format_ppm(p.ge_bad_loss_ppm); },
     [](SweepSpec& s, const Values& v, const AxisFail& fail) {
       read_values(s.ge_bad_loss_ppm, v, fail,
                   "ge_bad_loss must be a ratio in [0, 1], as 0.5 or 50%", ratio);
     },
     [](const SweepPoint& p) { return p.ge_bad_loss_ppm / 1e6; }, "loss in the bad state"},
    {"delay", "delay", "fixed:T uniform:LO:HI exp:MEAN, each at most MSL",
     AXIS_VALUES_OF(delays, delay), [](const SweepPoint& p) { return p.delay.text(); },
     [](const SweepPoint& p) { return "delay " + p.delay.text(); },
     [](SweepSpec& s, const Values& v, const AxisFail& fail) {
       read_values(s.delays, v, fail,
                   "delay must be fixed:T, uniform:LO:HI (LO at most HI) or exp:MEAN, each a "
                   "duration with its unit",
                   DelayDistribution::parse);
     }},
    {"late", "late", "fraction of segments delayed past MSL: a network breaking its promise",
     AXIS_VALUES(late_ppm), [](const SweepPoint& p) { return format_ppm(p.late_ppm); },
     [](const SweepPoint& p) { return "late " + format_ppm(p.late_ppm); },
     [](SweepSpec& s, const Values& v, const AxisFail& fail) {
       read_values(s.late_ppm, v, fail, "late must be a ratio in [0, 1], as 0.01 or 1%", ratio);
     },
     [](const SweepPoint& p) { return p.late_ppm / 1e6; }, "fraction of segments later than MSL"},
    {"late_max", "late_max_msl", "a late segment's delay is uniform in (MSL, this many MSL]",
     AXIS_VALUES(late_max_permille),
     [](const SweepPoint& p) { return format_permille(p.late_max_permille); },
     [](const SweepPoint& p) {
       return "late up to " + format_permille(p.late_max_permille) + " MSL";
     },
     [](SweepSpec& s, const Values& v, const AxisFail& fail) {
       read_values(s.late_max_permille, v, fail,
                   "late_max must be a multiple of MSL above 1 and at most 1000, at most 3 "
                   "decimals",
                   [](std::string_view t) -> std::optional<std::uint32_t> {
                     const auto m = parse_multiple(t);
                     if (!m || !*m || **m <= 1'000) return std::nullopt;
                     return **m;
                   });
     },
     [](const SweepPoint& p) { return p.late_max_permille / 1e3; },
     "latest delay (multiples of MSL)"},
    {"time_wait", "time_wait_msl", "TIME-WAIT as multiples of MSL (0.5, 2, profile)",
     AXIS_VALUES(time_wait_permille),
     [](const SweepPoint& p) { return profile_or(p.time_wait_permille, format_permille); },
     [](const SweepPoint& p) {
       return "TIME_WAIT " + (p.time_wait_permille ? format_permille(*p.time_wait_permille) + " MSL"
                                                   : std::string("profile"));
     },
     [](SweepSpec& s, const Values& v, const AxisFail& fail) {
       read_values(s.time_wait_permille, v, fail,
                   "time_wait must be a multiple of MSL from 0 to 1000, at most 3 decimals, or "
                   "'profile'",
                   parse_multiple);
     },
     [](const SweepPoint& p) { return p.time_wait_permille ? *p.time_wait_permille / 1e3 : -1.0; },
     "TIME_WAIT (multiples of MSL)"},
    {"rto", "rto", "initial RTOs (1s, 200ms) or profile", AXIS_VALUES(rto_us),
     [](const SweepPoint& p) { return profile_or(p.rto_us, format_duration); },
     [](const SweepPoint& p) { return "rto " + profile_or(p.rto_us, format_duration); },
     [](SweepSpec& s, const Values& v, const AxisFail& fail) {
       read_values(s.rto_us, v, fail,
                   "rto must be a positive duration with its unit (1s, 200ms), or profile",
                   or_profile<std::int64_t>(positive_duration));
     },
     [](const SweepPoint& p) { return p.rto_us ? *p.rto_us / 1e6 : -1.0; }, "initial RTO (s)"},
    PROFILE_FLAG_AXIS("rto_estimation", rto_estimation, "RTO estimation",
                      "on, off or profile: the RTO follows the round trip (RFC 6298)"),
    PROFILE_FLAG_AXIS("tail_loss_probe", tail_loss_probe, "tail loss probe",
                      "on, off or profile: probe with the last segment before the RTO (RFC 8985)"),
    {"retries", "retries", "retry budgets (whole numbers) or profile", AXIS_VALUES(retries),
     [](const SweepPoint& p) { return profile_or(p.retries, count_text); },
     [](const SweepPoint& p) { return "retries " + profile_or(p.retries, count_text); },
     [](SweepSpec& s, const Values& v, const AxisFail& fail) {
       read_values(
           s.retries, v, fail, "retries must be a whole number from 0 to 1000, or profile",
           or_profile<std::uint32_t>([](std::string_view t) -> std::optional<std::uint32_t> {
             std::uint32_t r = 0;
             const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), r);
             if (ec != std::errc{} || end != t.data() + t.size() || r > 1000) return std::nullopt;
             return r;
           }));
     },
     [](const SweepPoint& p) { return p.retries ? *p.retries * 1.0 : -1.0; }, "retries"},
    PROFILE_FLAG_AXIS("retries_by_time", retries_by_time, "retries by time",
                      "on, off or profile: the budget is the time the retries take (Linux)"),
    {"delayed_ack", "delayed_ack", "delayed-ACK timeouts (0ms, 200ms) or profile",
     AXIS_VALUES(delayed_ack_us),
     [](const SweepPoint& p) { return profile_or(p.delayed_ack_us, format_duration); },
     [](const SweepPoint& p) {
       return "delayed ACK " + profile_or(p.delayed_ack_us, format_duration);
     },
     [](SweepSpec& s, const Values& v, const AxisFail& fail) {
       read_values(s.delayed_ack_us, v, fail,
                   "delayed_ack must be a duration with its unit (0ms, 200ms), or profile",
                   or_profile<std::int64_t>(duration));
     },
     [](const SweepPoint& p) { return p.delayed_ack_us ? *p.delayed_ack_us / 1e6 : -1.0; },
     "delayed-ACK timeout (s)"},
    {"reopen", "reopen", "on and/or off: reuse the 4-tuple with b's data in flight",
     AXIS_VALUES(reopen), [](const SweepPoint& p) { return on_off_text(p.reopen); },
     [](const SweepPoint& p) { return "reopen " + on_off_text(p.reopen); },
     [](SweepSpec& s, const Values& v, const AxisFail& fail) {
       read_values(s.reopen, v, fail, "reopen must be on or off", on_off);
     }},
    PROFILE_FLAG_AXIS("rfc1337", rfc1337, "RFC 1337",
                      "on, off or profile: TIME-WAIT ignores a RST (RFC 1337)"),
    {"msl", "msl", "MSLs (30s, 120s) or profile", AXIS_VALUES(msl_us),
     [](const SweepPoint& p) { return profile_or(p.msl_us, format_duration); },
     [](const SweepPoint& p) { return "MSL " + profile_or(p.msl_us, format_duration); },
     [](SweepSpec& s, const Values& v, const AxisFail& fail) {
       read_values(s.msl_us, v, fail,
                   "msl must be a positive duration of at most a day, with its unit (30s, "
                   "120s), or profile",
                   or_profile<std::int64_t>(positive_duration));
     },
     [](const SweepPoint& p) { return p.msl_us ? *p.msl_us / 1e6 : -1.0; }, "MSL (s)"},
};

#undef AXIS_VALUES
#undef AXIS_VALUES_OF
#undef PROFILE_FLAG_AXIS

}  // namespace

const std::vector<SweepAxis>& sweep_axes() { return all_axes; }

const SweepAxis* sweep_axis_named(std::string_view name) {
  for (const SweepAxis& a : all_axes)
    if (a.name == name) return &a;
  return nullptr;
}

}  // namespace fincheck::research
