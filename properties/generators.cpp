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
  return draw_parameters(d, *model::profile_named(profile), overrides);
}

Scenario draw_parameters(Draw& d, const model::Parameters& profile, bool overrides) {
  Scenario s;
  s.params = profile;
  model::Parameters& p = s.params;
  if (!overrides) return s;
  // Linux fixes TIME-WAIT at 60 s = 2 x 30 s; changing MSL alone would make
  // it a mutant, so MSL moves only where TIME-WAIT follows it.
  if (!p.time_wait_us && d.weighted({3, 1}) == 1) p.msl_us = d.ms(1'000, 120'000);
  if (d.weighted({3, 1}) == 1) p.delayed_ack_us = d.ms(0, 450);
  if (d.weighted({4, 1}) == 1) s.delay_us = d.ms(1, 40);
  // The timer rules of real stacks, each now and then: one draw decides all
  // six (a weighted draw per rule was a tenth of generating a case).
  const std::uint64_t rules = d.next();
  const auto now_and_then = [&](int i, std::uint64_t one_in) {
    return (rules >> (10 * i)) % 1024 % one_in == 0;
  };
  if (now_and_then(0, 5)) p.delayed_ack_first_us = d.ms(0, 450);
  if (now_and_then(1, 5)) p.tail_loss_probe = !p.tail_loss_probe;
  if (now_and_then(2, 5)) p.rto_estimation = !p.rto_estimation;
  if (now_and_then(3, 7)) p.retries_by_time = !p.retries_by_time;
  if (now_and_then(4, 5)) p.nagle = !p.nagle;
  if (now_and_then(5, 7))
    p.timer_tick_us = static_cast<std::int64_t>(rules >> 60) % 3 * 4 * ms_us + ms_us;
  // The RTO stays above a round trip plus the delayed ACK, as RFC 6298 §2.4's
  // 1 s floor ensures: below it every close retransmits spuriously (the
  // first counterexample this suite found had a 400 ms delayed ACK under a
  // 200 ms RTO). The rto-below-rtt mutant steps outside on purpose.
  // RFC 8985 §7.2 sizes the probe for a delayed ACK of at most 200 ms
  // (WCDelAckT): with the probe on, the generated ACK delays stay below it.
  if (p.tail_loss_probe) {
    p.delayed_ack_us = std::min<std::int64_t>(p.delayed_ack_us, 190 * ms_us);
    p.delayed_ack_first_us = std::min<std::int64_t>(p.delayed_ack_first_us, 190 * ms_us);
  }
  const std::int64_t floor_us =
      std::max(p.delayed_ack_us, p.delayed_ack_first_us) + 2 * s.delay_us + 10'000;
  if (d.weighted({3, 1}) == 1) p.rto_initial_us = d.ms(floor_us / ms_us, 3'000);
  p.rto_initial_us = std::max(p.rto_initial_us, floor_us);
  p.rto_max_us = std::max(p.rto_max_us, p.rto_initial_us);
  // An estimated RTO sinks to its floor: the floor obeys the same rule.
  if (p.rto_estimation) p.rto_min_us = std::clamp(p.rto_min_us, floor_us, p.rto_max_us);
  // Small budgets let a few drops exhaust them: the abort rows.
  if (d.weighted({2, 1}) == 1) p.retries = static_cast<std::uint32_t>(d.range(0, 3));
  if (d.weighted({5, 1}) == 1) p.rfc1337 = !p.rfc1337;
  if (d.weighted({5, 1}) == 1) p.ack_of_unacceptable = !p.ack_of_unacceptable;
  if (d.weighted({5, 1}) == 1) p.last_retransmission_wait_us = d.ms(0, 1'000);
  // An idle LAST-ACK timeout (last_ack_timeout_us), short enough to beat a small budget now
  // and then: from bits already drawn, so every other case stays as it was.
  if ((rules >> 61) == 0)
    p.last_ack_timeout_us = static_cast<std::int64_t>(2 + rules % 5) * p.rto_initial_us;
  return s;
}

std::uint32_t draw_isn(Draw& d, std::uint32_t plain) {
  if (d.weighted({3, 1}) == 0) return plain;
  // Within a few hundred bytes of the wrap: FINs and data straddle 2^32.
  return static_cast<std::uint32_t>(0xFFFFFFFFU - d.range(0, 399));
}

std::vector<AppAction> draw_app(Draw& d, const Scenario& s) {
  using K = AppAction::Kind;
  std::vector<AppAction> actions;
  const Side first = d.weighted({3, 1}) == 0 ? Side::A : Side::B;
  const Side second = peer_of(first);
  // Mostly at once; sometimes late, after whatever the peer did first (an
  // abort, a reset) has played out.
  const std::int64_t t0 = d.weighted({5, 1}) == 0 ? d.ms(0, 50) : d.ms(0, 5'000);
  // The data case below decides whether the first closer still reads.
  const std::size_t data = d.weighted({5, 3, 1});
  // The first closer: close() (orphaned), or shutdown() when the peer writes
  // during the half-close -- and now and then close() anyway (its data then
  // draws RST), shutdown() then close(), or an abort.
  K first_call = K::Close;
  if (data != 0 ? d.weighted({1, 3}) == 1 : d.weighted({6, 1}) == 1) first_call = K::Shutdown;
  if (d.weighted({20, 1}) == 1) first_call = K::Abort;
  actions.push_back({first, first_call, t0, 0, 0});
  if (first_call == K::Shutdown && d.weighted({2, 1}) == 1)
    actions.push_back({first, K::Close, t0 + d.ms(0, 3'000), 0, 0});
  // The second: a server that closes after reading EOF, mostly.
  const std::int64_t delack = std::max(s.params.delayed_ack_us, s.params.delayed_ack_first_us);
  switch (d.weighted({6, 2, 1, 1})) {
    case 0:  // the usual server: close after EOF, before or after the delayed ACK
      actions.push_back({second, K::Close, d.ms(0, 2 * delack / ms_us + 10), 0, 0, true});
      if (d.weighted({5, 1}) == 1) {  // ... or shutdown(), and close() later
        actions.back().kind = K::Shutdown;
        if (d.weighted({1, 1}) == 1)
          actions.push_back({second, K::Close, actions.back().at_us + d.ms(0, 500), 0, 0, true});
      }
      break;
    case 1:  // simultaneous: the second close leaves before the first FIN lands
      actions.push_back({second, d.weighted({3, 1}) == 0 ? K::Close : K::Shutdown,
                         t0 + d.ms(0, s.delay_us / ms_us), 0, 0});
      break;
    case 2:  // a slow application: long enough to outlive FIN-WAIT-2 timers
      actions.push_back({second, K::Close, d.ms(0, 90'000), 0, 0, true});
      break;
    default:  // the second application never closes
      break;
  }
  // Now and then an application that shut down aborts later, in whatever
  // state its connection has reached.
  if (d.weighted({10, 1}) == 1) {
    for (const Side side : {first, second}) {
      bool ends = false, shut = false;
      for (const AppAction& a : actions)
        if (a.side == side) {
          ends |= a.kind == K::Close || a.kind == K::Abort;
          shut |= a.kind == K::Shutdown;
        }
      if (!ends && (shut || side == second)) {
        actions.push_back({side, K::Abort, t0 + d.ms(0, 2'000), 0, 0});
        break;
      }
    }
  }
  const auto segments = [&] { return static_cast<std::uint32_t>(d.range(1, 3)); };
  switch (data) {
    case 1:  // the passive side writes during the half-close
      actions.push_back({second, K::Send, t0 + s.delay_us + d.ms(0, 100), segments(), 0});
      break;
    case 2:  // either side writes at any time in the first two seconds
      actions.push_back(
          {d.weighted({1, 1}) == 0 ? Side::A : Side::B, K::Send, d.ms(0, 2'000), segments(), 0});
      break;
    default:
      break;
  }
  return actions;
}

void draw_unread(Draw& d, Scenario& s) {
  // A server that never reads: the first closer writes, the other side's
  // close() finds the data unread and resets (RFC 2525 §2.17). It cannot
  // wait for an EOF it never reads.
  const Side writer = s.actions.front().side;
  const Side server = peer_of(writer);
  s.reads[server == Side::A ? 0 : 1] = false;
  for (AppAction& a : s.actions)
    if (a.side == server && a.after_eof) {
      a.after_eof = false;
      a.at_us += s.actions.front().at_us + s.delay_us;
    }
  s.actions.insert(s.actions.begin(),
                   {writer, AppAction::Kind::Send, d.ms(0, s.actions.front().at_us / ms_us), 1, 0});
}

std::vector<Injection> draw_injections(Draw& d, const Scenario& s) {
  std::vector<Injection> out;
  if (d.weighted({12, 1}) == 0) return out;
  // A segment no endpoint sent, aimed at the receiver's own numbers: a RST
  // in the window but not at RCV.NXT (RFC 5961 §3.2 challenges it), a RST
  // just outside the window, or a bare ACK out of range.
  Injection in;
  in.from = d.weighted({1, 1}) == 0 ? Side::A : Side::B;
  in.at_us = d.ms(0, 3 * s.delay_us / ms_us + 300);
  switch (d.weighted({3, 1, 1})) {
    case 0:
      in.flags.rst = true;
      in.seq = {Injection::Anchor::RcvNxt, d.weighted({2, 1, 1}) == 0 ? 1 : d.range(2, 65'534)};
      break;
    case 1:
      in.flags.rst = true;
      in.seq = {Injection::Anchor::RcvNxt, 65'535};
      break;
    default:
      // A bare ACK below RCV.NXT (a keep-alive probe), or at RCV.NXT
      // acknowledging one past SND.NXT: both are answered and dropped.
      in.flags.ack = true;
      if (d.weighted({1, 1}) == 0) {
        in.seq = {Injection::Anchor::RcvNxt, -1};
        in.ack = {Injection::Anchor::SndUna, 0};
      } else {
        in.seq = {Injection::Anchor::RcvNxt, 0};
        in.ack = {Injection::Anchor::SndNxt, 1};
      }
      break;
  }
  out.push_back(in);
  return out;
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
    else {
      f.dup_gaps_us.push_back(std::min(held, msl - s.delay_us));
      // Now and then a second duplicate, later still.
      if (d.weighted({4, 1}) == 1) f.dup_gaps_us.push_back(std::min(2 * held, msl - s.delay_us));
    }
  }
  return plan.faults;
}

Scenario draw_scenario(Draw& d, const GenOptions& options) {
  Scenario s = options.params
                   ? draw_parameters(d, *options.params, !options.profile_parameters_only)
                   : draw_parameters(d, options.profile ? *options.profile : draw_profile(d),
                                     !options.profile_parameters_only);
  s.source = "generated";
  s.isn_a = draw_isn(d, s.isn_a);
  s.isn_b = draw_isn(d, s.isn_b);
  s.actions = draw_app(d, s);
  if (d.weighted({24, 1}) == 1) draw_unread(d, s);
  s.faults = draw_faults(d, s, options.max_faults);
  if (options.inject) s.injections = draw_injections(d, s);
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
    if (s.actions[i].kind == AppAction::Kind::Send || i > 0) {
      Scenario c = s;
      c.actions.erase(c.actions.begin() + static_cast<std::ptrdiff_t>(i));
      offer(std::move(c));
    }
  for (std::size_t i = 0; i < s.injections.size(); ++i) {
    Scenario c = s;
    c.injections.erase(c.injections.begin() + static_cast<std::ptrdiff_t>(i));
    offer(std::move(c));
  }
  // The plain profile and its own parameters.
  const Scenario base = [&] {
    Scenario b;
    b.params = model::profile_named(s.params.profile).value_or(s.params);
    return b;
  }();
  if (s.params.profile != "rfc9293") {
    Scenario c = s;
    c.params = model::rfc9293_profile();
    offer(std::move(c));
  }
  for (auto field : {&model::Parameters::msl_us, &model::Parameters::rto_initial_us,
                     &model::Parameters::delayed_ack_us, &model::Parameters::rto_max_us,
                     &model::Parameters::last_retransmission_wait_us,
                     &model::Parameters::delayed_ack_first_us, &model::Parameters::rto_min_us,
                     &model::Parameters::timer_tick_us, &model::Parameters::last_ack_timeout_us})
    if (s.params.*field != base.params.*field) {
      Scenario c = s;
      c.params.*field = base.params.*field;
      offer(std::move(c));
    }
  for (auto flag : {&model::Parameters::rto_estimation, &model::Parameters::tail_loss_probe,
                    &model::Parameters::retries_by_time, &model::Parameters::nagle})
    if (s.params.*flag != base.params.*flag) {
      Scenario c = s;
      c.params.*flag = base.params.*flag;
      offer(std::move(c));
    }
  // The plainest calls: close() for shutdown() and abort, an application
  // that reads.
  for (std::size_t i = 0; i < s.actions.size(); ++i)
    if (s.actions[i].kind == AppAction::Kind::Shutdown ||
        s.actions[i].kind == AppAction::Kind::Abort) {
      Scenario c = s;
      c.actions[i].kind = AppAction::Kind::Close;
      offer(std::move(c));
    }
  if (!s.reads[0] || !s.reads[1]) {
    Scenario c = s;
    c.reads = {true, true};
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
    if (s.actions[i].kind != AppAction::Kind::Send && !s.actions[i].after_eof) {
      Scenario c = s;
      c.actions[i].after_eof = true;
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
    if (f.dup_gaps_us.size() > 1) {
      Scenario c = s;
      c.faults[i].dup_gaps_us.pop_back();
      offer(std::move(c));
    }
    for (std::size_t g = 0; g < f.dup_gaps_us.size(); ++g)
      for (std::int64_t v : smaller(f.dup_gaps_us[g])) {
        Scenario c = s;
        c.faults[i].dup_gaps_us[g] = v;
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
