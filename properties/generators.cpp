#include "properties/generators.hpp"

#include <algorithm>

#include "impl/scenario_io.hpp"

namespace fincheck {

namespace {
constexpr std::int64_t ms_us = 1'000;
}  // namespace

std::string draw_profile(Draw& d) {
  return std::string(model::profile_names()[d.weighted({4, 3, 3})]);
}

Scenario draw_parameters(Draw& d, const std::string& profile, bool overrides) {
  Scenario s;
  s.params = *model::profile_named(profile);
  model::Parameters& p = s.params;
  if (!overrides) return s;
  // Linux fixes TIME-WAIT at 60 s = 2 x 30 s; changing MSL alone would make
  // it a mutant, so MSL moves only where TIME-WAIT follows it.
  if (!p.time_wait_us && d.weighted({3, 1}) == 1) p.msl_us = d.ms(1'000, 120'000);
  if (d.weighted({3, 1}) == 1) p.delayed_ack_us = d.ms(0, 450);
  if (d.weighted({4, 1}) == 1) s.delay_us = d.ms(1, 40);
  // The RTO stays above a round trip plus the delayed ACK, as RFC 6298 §2.4's
  // 1 s floor ensures: below it every close retransmits spuriously (the
  // first counterexample this suite found had a 400 ms delayed ACK under a
  // 200 ms RTO). The rto-below-rtt mutant steps outside on purpose.
  const std::int64_t floor_us = p.delayed_ack_us + 2 * s.delay_us + 10'000;
  if (d.weighted({3, 1}) == 1) p.rto_initial_us = d.ms(floor_us / ms_us, 3'000);
  p.rto_initial_us = std::max(p.rto_initial_us, floor_us);
  p.rto_max_us = std::max(p.rto_max_us, p.rto_initial_us);
  // Small budgets let a few drops exhaust them: the abort rows.
  if (d.weighted({2, 1}) == 1) p.retries = static_cast<std::uint32_t>(d.range(0, 3));
  if (d.weighted({5, 1}) == 1) p.rfc1337 = !p.rfc1337;
  if (d.weighted({5, 1}) == 1) p.ack_of_unacceptable = !p.ack_of_unacceptable;
  if (d.weighted({5, 1}) == 1) p.last_retransmission_wait_us = d.ms(0, 1'000);
  return s;
}

std::uint32_t draw_isn(Draw& d, std::uint32_t plain) {
  if (d.weighted({3, 1}) == 0) return plain;
  // Within a few hundred bytes of the wrap: FINs and data straddle 2^32.
  return static_cast<std::uint32_t>(0xFFFFFFFFU - d.range(0, 399));
}

std::vector<AppAction> draw_app(Draw& d, const Scenario& s) {
  std::vector<AppAction> actions;
  const Side first = d.weighted({3, 1}) == 0 ? Side::A : Side::B;
  const Side second = peer_of(first);
  // Mostly at once; sometimes late, after whatever the peer did first (an
  // abort, a reset) has played out.
  const std::int64_t t0 = d.weighted({5, 1}) == 0 ? d.ms(0, 50) : d.ms(0, 5'000);
  actions.push_back({first, AppAction::Kind::CloseAt, t0, 0, 0});
  switch (d.weighted({6, 2, 1, 1})) {
    case 0:  // the usual server: close after EOF, before or after the delayed ACK
      actions.push_back({second, AppAction::Kind::CloseAfterEof,
                         d.ms(0, 2 * s.params.delayed_ack_us / ms_us + 10), 0, 0});
      break;
    case 1:  // simultaneous: the second close leaves before the first FIN lands
      actions.push_back({second, AppAction::Kind::CloseAt, t0 + d.ms(0, s.delay_us / ms_us), 0, 0});
      break;
    case 2:  // a slow application: long enough to outlive FIN-WAIT-2 timers
      actions.push_back({second, AppAction::Kind::CloseAfterEof, d.ms(0, 90'000), 0, 0});
      break;
    default:  // the second application never closes
      break;
  }
  const auto segments = [&] { return static_cast<std::uint32_t>(d.range(1, 3)); };
  switch (d.weighted({5, 3, 1})) {
    case 1:  // the passive side writes during the half-close
      actions.push_back(
          {second, AppAction::Kind::Send, t0 + s.delay_us + d.ms(0, 100), segments(), 0});
      break;
    case 2:  // either side writes at any time in the first two seconds
      actions.push_back({d.weighted({1, 1}) == 0 ? Side::A : Side::B, AppAction::Kind::Send,
                         d.ms(0, 2'000), segments(), 0});
      break;
    default:
      break;
  }
  return actions;
}

std::vector<SegmentFault> draw_faults(Draw& d, const Scenario& s, std::uint32_t max_faults) {
  const std::int64_t msl = s.params.msl_us;
  const auto count = std::min<std::size_t>(max_faults, d.weighted({3, 4, 3, 2, 1, 1}));
  Scenario plan;
  for (std::size_t i = 0; i < count; ++i) {
    const Side from = d.weighted({1, 1}) == 0 ? Side::A : Side::B;
    // The teardown's own segments are the first two or three each way.
    const auto n = static_cast<std::uint32_t>(d.weighted({4, 4, 3, 2, 1, 1}) + 1);
    const std::size_t kind = d.weighted({3, 2, 2});
    // Short delays reorder; long ones (up to MSL) outlive retransmissions.
    const std::int64_t held = d.weighted({3, 1}) == 0 ? d.ms(0, 100) : d.ms(0, msl / ms_us);
    if (plan.fault_for(from, n)) continue;  // one fate per segment
    SegmentFault& f = plan.fault_slot(from, n);
    if (kind == 0)
      f.drop = true;
    else if (kind == 1)
      f.delay_us = std::min(held, msl);
    else
      f.dup_gap_us = std::min(held, msl - s.delay_us);
  }
  return plan.faults;
}

Scenario draw_scenario(Draw& d, const GenOptions& options) {
  const std::string profile = options.profile ? *options.profile : draw_profile(d);
  Scenario s = draw_parameters(d, profile, !options.profile_parameters_only);
  s.source = "generated";
  s.isn_a = draw_isn(d, s.isn_a);
  s.isn_b = draw_isn(d, s.isn_b);
  s.actions = draw_app(d, s);
  s.faults = draw_faults(d, s, options.max_faults);
  s.reopen = d.weighted({4, 1}) == 1 && options.reopen;
  return s;
}

namespace {

bool valid(const Scenario& s) {
  try {
    validate_scenario(s);
    return true;
  } catch (const ScenarioError&) {
    return false;
  }
}

// Candidates for one integer: 0 first, then halfway there, and so on.
std::vector<std::int64_t> smaller(std::int64_t x, std::int64_t target = 0) {
  std::vector<std::int64_t> out;
  auto seq = rc::shrink::towards<std::int64_t>(x, target);
  while (auto v = seq.next()) out.push_back(*v);
  return out;
}

}  // namespace

std::vector<Scenario> shrink_scenario(const Scenario& s) {
  std::vector<Scenario> out;
  auto offer = [&](Scenario c) {
    if (valid(c)) out.push_back(std::move(c));
  };
  // Fewer faults, no reopen, fewer data writes.
  for (std::size_t i = 0; i < s.faults.size(); ++i) {
    Scenario c = s;
    c.faults.erase(c.faults.begin() + static_cast<std::ptrdiff_t>(i));
    offer(std::move(c));
  }
  if (s.reopen) {
    Scenario c = s;
    c.reopen = false;
    offer(std::move(c));
  }
  for (std::size_t i = 0; i < s.actions.size(); ++i)
    if (s.actions[i].kind == AppAction::Kind::Send) {
      Scenario c = s;
      c.actions.erase(c.actions.begin() + static_cast<std::ptrdiff_t>(i));
      offer(std::move(c));
    }
  // The plain profile and its own parameters.
  const Scenario base = [&] {
    Scenario b;
    b.params = *model::profile_named(s.params.profile);
    return b;
  }();
  if (s.params.profile != "rfc9293") {
    Scenario c = s;
    c.params = model::rfc9293_profile();
    offer(std::move(c));
  }
  for (auto field : {&model::Parameters::msl_us, &model::Parameters::rto_initial_us,
                     &model::Parameters::delayed_ack_us, &model::Parameters::rto_max_us,
                     &model::Parameters::last_retransmission_wait_us})
    if (s.params.*field != base.params.*field) {
      Scenario c = s;
      c.params.*field = base.params.*field;
      offer(std::move(c));
    }
  if (s.params.retries != base.params.retries || s.params.rfc1337 != base.params.rfc1337 ||
      s.params.ack_of_unacceptable != base.params.ack_of_unacceptable ||
      s.params.time_wait_us != base.params.time_wait_us) {
    Scenario c = s;
    c.params.retries = base.params.retries;
    c.params.rfc1337 = base.params.rfc1337;
    c.params.ack_of_unacceptable = base.params.ack_of_unacceptable;
    c.params.time_wait_us = base.params.time_wait_us;
    offer(std::move(c));
  }
  if (s.delay_us != default_delay_us || s.isn_a != base.isn_a || s.isn_b != base.isn_b) {
    Scenario c = s;
    c.delay_us = default_delay_us;
    c.isn_a = base.isn_a;
    c.isn_b = base.isn_b;
    offer(std::move(c));
  }
  // The usual story: a closes first, b closes after reading EOF.
  if (!s.actions.empty() && s.actions.front().side == Side::B) {
    Scenario c = s;
    for (AppAction& a : c.actions) a.side = peer_of(a.side);
    for (SegmentFault& f : c.faults) f.from = peer_of(f.from);
    std::swap(c.isn_a, c.isn_b);
    offer(std::move(c));
  }
  for (std::size_t i = 1; i < s.actions.size(); ++i)
    if (s.actions[i].kind == AppAction::Kind::CloseAt) {
      Scenario c = s;
      c.actions[i].kind = AppAction::Kind::CloseAfterEof;
      c.actions[i].at_us = 0;
      offer(std::move(c));
    }
  // Smaller delays and times, fewer segments per write.
  for (std::size_t i = 0; i < s.faults.size(); ++i) {
    const SegmentFault& f = s.faults[i];
    if (f.delay_us)
      for (std::int64_t v : smaller(*f.delay_us)) {
        Scenario c = s;
        c.faults[i].delay_us = v;
        offer(std::move(c));
      }
    if (f.dup_gap_us)
      for (std::int64_t v : smaller(*f.dup_gap_us)) {
        Scenario c = s;
        c.faults[i].dup_gap_us = v;
        offer(std::move(c));
      }
  }
  for (std::size_t i = 0; i < s.actions.size(); ++i) {
    for (std::int64_t v : smaller(s.actions[i].at_us)) {
      Scenario c = s;
      c.actions[i].at_us = v;
      offer(std::move(c));
    }
    if (s.actions[i].segments > 1) {
      Scenario c = s;
      c.actions[i].segments = 1;
      offer(std::move(c));
    }
  }
  return out;
}

rc::Gen<Scenario> gen_scenario(const GenOptions& options) {
  return [options](const rc::Random& random, int) {
    Draw d(rc::Random(random).next());
    return rc::shrinkable::shrinkRecur(draw_scenario(d, options), [](const Scenario& s) {
      return rc::seq::fromContainer(shrink_scenario(s));
    });
  };
}

}  // namespace fincheck
