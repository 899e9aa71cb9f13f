#pragma once
// A sweep: the axes a researcher varies (research/sweep_axes.hpp lists
// them) and the teardown every point runs. Written as a small file or as
// flags.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "impl/draw.hpp"
#include "impl/scenario.hpp"
#include "research/sweep_stack.hpp"

namespace fincheck::research {

struct DelayDistribution {
  enum class Kind : std::uint8_t { Fixed, Uniform, Exponential };
  Kind kind = Kind::Fixed;
  std::int64_t a_us = 10'000;  // Fixed: the delay; Uniform: low; Exponential: mean
  std::int64_t b_us = 0;       // Uniform: high
  // One delay, capped at MSL: MSL is the network's promise.
  std::int64_t sample(Draw& d, std::int64_t msl_us) const;
  // "fixed:10ms", "uniform:1ms:100ms", "exp:20ms"
  std::string text() const;
  static std::optional<DelayDistribution> parse(std::string_view text);
};

// One point of the sweep: one value per axis.
struct SweepPoint {
  std::string profile = "rfc9293";
  std::uint32_t loss_ppm = 0;  // each segment lost with this probability, per million
  std::optional<std::uint32_t> loss_from_b_ppm;  // b's segments; unset: loss_ppm
  // Bursty loss, Gilbert-Elliott: each direction's channel moves from good
  // to bad with ge_p, back with ge_r, per segment; in the bad state a
  // segment is lost with ge_bad_loss, in the good with the loss above.
  // ge_p 0: no bursts.
  std::uint32_t ge_p_ppm = 0;
  std::uint32_t ge_r_ppm = 1'000'000;
  std::uint32_t ge_bad_loss_ppm = 1'000'000;
  DelayDistribution delay;
  // A network that breaks its promise: this fraction of the segments not
  // lost arrive later than MSL, uniformly in (MSL, late_max x MSL].
  std::uint32_t late_ppm = 0;
  std::uint32_t late_max_permille = 8'000;
  std::optional<std::uint32_t> time_wait_permille;  // of MSL; unset: the profile's
  std::optional<std::int64_t> rto_us;               // unset: the profile's
  std::optional<bool> rto_estimation;               // RFC 6298; unset: the profile's
  std::optional<bool> tail_loss_probe;              // RFC 8985 §7; unset: the profile's
  std::optional<std::uint32_t> retries;             // unset: the profile's
  std::optional<bool> retries_by_time;              // Linux's budget; unset: the profile's
  std::optional<std::int64_t> delayed_ack_us;       // unset: the profile's
  bool reopen = false;  // reuse the 4-tuple, with b's data stream in flight
  // RFC 1337's fix: TIME-WAIT ignores a RST. Unset: the profile's.
  std::optional<bool> rfc1337;
  // MSL, which TIME_WAIT multiples and the delay bound are of. Unset: the profile's.
  std::optional<std::int64_t> msl_us;

  // The point's identity in CSV files: its axis values, comma-separated.
  std::string key() const;
  // The teardown this point runs, from the sweep's template, as the
  // stack under test (if any) sees it.
  Scenario scenario(const Scenario& base, const SweepStack* stack = nullptr) const;
};

struct SweepSpec {
  std::vector<std::string> profiles{"rfc9293"};
  std::vector<std::uint32_t> loss_ppm{0};
  std::vector<std::optional<std::uint32_t>> loss_from_b_ppm{std::nullopt};
  std::vector<std::uint32_t> ge_p_ppm{0};
  std::vector<std::uint32_t> ge_r_ppm{1'000'000};
  std::vector<std::uint32_t> ge_bad_loss_ppm{1'000'000};
  std::vector<DelayDistribution> delays{DelayDistribution{}};
  std::vector<std::uint32_t> late_ppm{0};
  std::vector<std::uint32_t> late_max_permille{8'000};
  std::vector<std::optional<std::uint32_t>> time_wait_permille{std::nullopt};
  std::vector<std::optional<std::int64_t>> rto_us{std::nullopt};
  std::vector<std::optional<bool>> rto_estimation{std::nullopt};
  std::vector<std::optional<bool>> tail_loss_probe{std::nullopt};
  std::vector<std::optional<std::uint32_t>> retries{std::nullopt};
  std::vector<std::optional<bool>> retries_by_time{std::nullopt};
  std::vector<std::optional<std::int64_t>> delayed_ack_us{std::nullopt};
  std::vector<bool> reopen{false};
  std::vector<std::optional<bool>> rfc1337{std::nullopt};
  std::vector<std::optional<std::int64_t>> msl_us{std::nullopt};
  std::uint64_t samples = 10'000;
  std::uint64_t seed = 1;
  // A stack under test on some sides of every teardown; none: the model
  // plays both.
  std::shared_ptr<const SweepStack> stack;
  // The teardown of every point: what the applications do, plus any fixed
  // faults (a forced loss of the final ACK, say); the axes override the rest.
  Scenario base = default_base();

  // Every combination of the axes, in a fixed order.
  std::vector<SweepPoint> points() const;
  // How many there are, saturating at UINT64_MAX.
  std::uint64_t point_count() const;
  // Empty, or why the grid cannot run: more points than max_sweep_points,
  // or a point twice (a value repeated on an axis: merge would refuse it).
  std::string grid_error() const;
  static Scenario default_base();
};

// No honest grid comes near: 100,000 points of 10,000 samples is a
// billion teardowns. A file of long axis lines is an error at once, not a
// machine out of memory.
inline constexpr std::uint64_t max_sweep_points = 100'000;

// "0.01" or "1%" -> 10000 ppm.
std::optional<std::uint32_t> parse_ratio_ppm(std::string_view text);
// "0.5" -> 500 (per mille of MSL); "profile" -> unset.
std::optional<std::optional<std::uint32_t>> parse_multiple(std::string_view text);
std::string format_ppm(std::uint32_t ppm);
std::string format_permille(std::uint32_t permille);

// Parses a sweep file; throws ScenarioError naming the line.
// Sets axis `key` ("loss", "delay", ...) of `spec` to `values`, as a sweep
// file's line or a flag gives them; `fail` is called with the reason for a
// value that is not one ("loss must be a ratio in [0, 1], as 0.01 or 1%:
// '1.5'") and must throw. Returns false if `key` names no axis.
bool set_axis(SweepSpec& spec, std::string_view key, const std::vector<std::string_view>& values,
              const std::function<void(const std::string&)>& fail);

SweepSpec parse_sweep(std::string_view text, const std::string& source);
SweepSpec load_sweep(const std::string& path);

}  // namespace fincheck::research
