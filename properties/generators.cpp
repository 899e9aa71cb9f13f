#include "properties/generators.hpp"

#include <algorithm>
#include <numeric>

namespace fincheck {

namespace {
constexpr std::int64_t ms = 1'000;
}  // namespace

rc::Gen<std::size_t> gen_choice(std::vector<std::size_t> weights) {
  return [weights](const rc::Random& random, int) {
    const std::size_t sum = std::accumulate(weights.begin(), weights.end(), std::size_t{0});
    std::size_t pick = static_cast<std::size_t>(rc::Random(random).next() % sum);
    std::size_t i = 0;
    while (pick >= weights[i]) pick -= weights[i++];
    return rc::shrinkable::shrinkRecur(
        i, [](std::size_t x) { return rc::shrink::towards<std::size_t>(x, 0); });
  };
}

rc::Gen<std::int64_t> gen_ms(std::int64_t lo_ms, std::int64_t hi_ms) {
  return rc::gen::map(rc::gen::inRange<std::int64_t>(lo_ms, hi_ms + 1),
                      [](std::int64_t v) { return v * ms; });
}

rc::Gen<std::string> gen_profile() {
  return rc::gen::map(gen_choice({4, 3, 3}), [](std::size_t i) {
    return std::string(model::profile_names()[i]);
  });
}

rc::Gen<Scenario> gen_parameters(const std::string& profile) {
  return rc::gen::exec([profile] {
    Scenario s;
    s.params = *model::profile_named(profile);
    model::Parameters& p = s.params;
    // Linux fixes TIME-WAIT at 60 s = 2 x 30 s; changing MSL alone would make
    // it a mutant, so MSL moves only where TIME-WAIT follows it.
    if (!p.time_wait_us && *gen_choice({3, 1}) == 1) p.msl_us = *gen_ms(1'000, 120'000);
    if (*gen_choice({3, 1}) == 1) p.delayed_ack_us = *gen_ms(0, 450);
    if (*gen_choice({4, 1}) == 1) s.delay_us = *gen_ms(1, 40);
    // The RTO stays above a round trip plus the delayed ACK, as RFC 6298 §2.4's
    // 1 s floor ensures: below it every close retransmits spuriously (the
    // first counterexample this suite found had a 400 ms delayed ACK under a
    // 200 ms RTO). The rto-below-rtt mutant steps outside on purpose.
    const std::int64_t floor_us = p.delayed_ack_us + 2 * s.delay_us + 10'000;
    if (*gen_choice({3, 1}) == 1) p.rto_initial_us = *gen_ms(floor_us / 1'000, 3'000);
    p.rto_initial_us = std::max(p.rto_initial_us, floor_us);
    p.rto_max_us = std::max(p.rto_max_us, p.rto_initial_us);
    // Small budgets let a few drops exhaust them: the abort rows.
    if (*gen_choice({2, 1}) == 1) p.retries = static_cast<std::uint32_t>(*rc::gen::inRange(0, 4));
    if (*gen_choice({5, 1}) == 1) p.rfc1337 = !p.rfc1337;
    return s;
  });
}

rc::Gen<std::uint32_t> gen_isn(std::uint32_t plain) {
  return rc::gen::exec([plain] {
    if (*gen_choice({3, 1}) == 0) return plain;
    // Within a few hundred bytes of the wrap: FINs and data straddle 2^32.
    return static_cast<std::uint32_t>(0xFFFFFFFFU - *rc::gen::inRange<std::uint32_t>(0, 400));
  });
}

rc::Gen<std::vector<AppAction>> gen_app(const Scenario& s) {
  const std::int64_t delay = s.delay_us;
  const std::int64_t delayed_ack = s.params.delayed_ack_us;
  return rc::gen::exec([delay, delayed_ack] {
    std::vector<AppAction> actions;
    const Side first = *gen_choice({3, 1}) == 0 ? Side::A : Side::B;
    const Side second = peer_of(first);
    // Mostly at once; sometimes late, after whatever the peer did first
    // (an abort, a reset) has played out.
    const std::int64_t t0 = *gen_choice({5, 1}) == 0 ? *gen_ms(0, 50) : *gen_ms(0, 5'000);
    actions.push_back({first, AppAction::Kind::CloseAt, t0, 0, 0});
    switch (*gen_choice({6, 2, 1, 1})) {
      case 0:  // the usual server: close after EOF, before or after the delayed ACK
        actions.push_back(
            {second, AppAction::Kind::CloseAfterEof, *gen_ms(0, 2 * delayed_ack / ms + 10), 0, 0});
        break;
      case 1:  // simultaneous: the second close leaves before the first FIN lands
        actions.push_back({second, AppAction::Kind::CloseAt, t0 + *gen_ms(0, delay / ms), 0, 0});
        break;
      case 2:  // a slow application: long enough to outlive FIN-WAIT-2 timers
        actions.push_back({second, AppAction::Kind::CloseAfterEof, *gen_ms(0, 90'000), 0, 0});
        break;
      default:  // the second application never closes
        break;
    }
    switch (*gen_choice({5, 3, 1})) {
      case 1:  // the passive side writes during the half-close
        actions.push_back({second, AppAction::Kind::Send, t0 + delay + *gen_ms(0, 100),
                           static_cast<std::uint32_t>(*rc::gen::inRange(1, 4)), 0});
        break;
      case 2:  // either side writes at any time in the first two seconds
        actions.push_back({*gen_choice({1, 1}) == 0 ? Side::A : Side::B, AppAction::Kind::Send,
                           *gen_ms(0, 2'000), static_cast<std::uint32_t>(*rc::gen::inRange(1, 4)),
                           0});
        break;
      default:
        break;
    }
    return actions;
  });
}

rc::Gen<std::vector<SegmentFault>> gen_faults(const Scenario& s, std::uint32_t max_faults) {
  const std::int64_t msl = s.params.msl_us;
  const std::int64_t delay = s.delay_us;
  return rc::gen::exec([msl, delay, max_faults] {
    // Mostly one fault or none; shrinking removes faults first.
    const auto count = static_cast<std::uint32_t>(std::min<std::size_t>(
        max_faults, *gen_choice({3, 4, 3, 2, 1, 1})));
    Scenario plan;
    for (std::uint32_t i = 0; i < count; ++i) {
      const Side from = *gen_choice({1, 1}) == 0 ? Side::A : Side::B;
      // The teardown's own segments are the first two or three each way.
      const auto n = static_cast<std::uint32_t>(*gen_choice({4, 4, 3, 2, 1, 1}) + 1);
      const std::size_t kind = *gen_choice({3, 2, 2});
      if (plan.fault_for(from, n)) continue;  // one fate per segment
      SegmentFault& f = plan.fault_slot(from, n);
      // Short delays reorder; long ones (up to MSL) outlive retransmissions.
      const std::int64_t held = *gen_choice({3, 1}) == 0 ? *gen_ms(0, 100)
                                                         : *gen_ms(0, msl / ms);
      if (kind == 0) {
        f.drop = true;
      } else if (kind == 1) {
        f.delay_us = std::min(held, msl);
      } else {
        f.dup_gap_us = std::min(held, msl - delay);
      }
    }
    return plan.faults;
  });
}

rc::Gen<Scenario> gen_scenario(const GenOptions& options) {
  return rc::gen::exec([options] {
    const std::string profile = options.profile ? *options.profile : *gen_profile();
    Scenario s = *gen_parameters(profile);
    s.source = "generated";
    s.isn_a = *gen_isn(s.isn_a);
    s.isn_b = *gen_isn(s.isn_b);
    s.actions = *gen_app(s);
    s.faults = *gen_faults(s, options.max_faults);
    s.reopen = *gen_choice({4, 1}) == 1;
    return s;
  });
}

}  // namespace fincheck
