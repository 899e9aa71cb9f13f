#include <algorithm>
#include <iomanip>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "impl/duration.hpp"
#include "impl/scenario_io.hpp"
#include "impl/simulation.hpp"
#include "model/events.hpp"
#include "stacks/registry.hpp"
#include "tools/commands.hpp"

namespace fincheck::cli {

namespace {

// One run with the stack as `side`, through the seam; the rest is the
// reference endpoint under the stack's profile.
struct StackRun {
  Scenario scenario;
  std::vector<Divergence> divergences;
  SeamObservations seen;
  Trace trace;
  StackRun(const StackUnderTest& stack, const std::string& text, Side side)
      : scenario(prepared(stack, text)) {
    // The simulation, and the stack's driver with it, ends here: a stack
    // that exists once per process (lwIP) plays the next run.
    Simulation sim(scenario);
    sim.set_factory(side, seam_factory(stack, divergences, seen));
    trace = sim.run();
  }
  static Scenario prepared(const StackUnderTest& stack, const std::string& text) {
    Scenario s = parse_scenario(text, "probe");
    prepare(stack, s);
    return s;
  }
};

std::optional<std::int64_t> first_step(const Trace& t, Side side, model::State to,
                                       model::State from = model::State::Closed) {
  for (const StepRecord& s : t.steps)
    if (s.endpoint == side && s.to == to && (from == model::State::Closed || s.from == from))
      return s.at_us;
  return std::nullopt;
}

// The fault-free close whose TIME-WAIT the probe measures, the stack as a.
constexpr const char* time_wait_close = "a close at 0ms\nb close after eof 0ms\n";

std::optional<std::int64_t> time_wait_of(const Trace& t) {
  const auto in = first_step(t, Side::A, model::State::TimeWait);
  const auto out = first_step(t, Side::A, model::State::Closed, model::State::TimeWait);
  if (!in || !out) return std::nullopt;
  return *out - *in;
}

struct Measurement {
  std::string parameter;
  std::string measured;
  std::string profile;
  std::string source;
  bool agrees;
};

std::string seconds(std::int64_t us) { return format_seconds(us) + " s"; }

}  // namespace

std::optional<std::int64_t> measured_time_wait(const StackUnderTest& stack) {
  return time_wait_of(StackRun(stack, time_wait_close, Side::A).trace);
}

int probe(const ProbeCliOptions& o, std::ostream& out, std::ostream& err) {
  std::optional<StackUnderTest> stack;
  // A stack NAME:rfc1337 registered beside NAME is the same stack with
  // RFC 1337's fix on: the probe measures a RST in TIME-WAIT on both.
  std::optional<StackUnderTest> rfc1337;
  try {
    stack = stack_named(o.impl);
    for (const RegisteredStack& r : registered_stacks())
      if (r.name == o.impl + ":rfc1337") rfc1337 = r.make();
  } catch (const StackUnavailable& e) {
    err << "fincheck probe: error: " << e.what() << '\n';
    return exit_bad_input;
  }
  const model::Parameters p = stack->profile.value_or(model::rfc9293_profile());
  // Where the profile's value comes from, as the registry cites it.
  auto cited = [&](const std::string& parameter) {
    const auto it = stack->citations.find(parameter);
    return it == stack->citations.end() ? std::string("(no source cited)") : it->second;
  };
  // The scripts below close first from a; measurements of the passive side
  // run the stack as b.
  constexpr Side side = Side::A;
  constexpr Side passive = peer_of(side);
  std::string drops;
  std::string drops_from_b;
  for (int n = 1; n <= 20; ++n) {
    drops += "drop a->b " + std::to_string(n) + "\n";
    drops_from_b += "drop b->a " + std::to_string(n) + "\n";
  }
  const std::string rst_in_time_wait =
      "a close at 0ms\nb close after eof 0ms\ndup b->a 1 30s\ndup b->a 2 30s\n";
  // Every run the probe makes, declared first: a stack on a real clock
  // lives through each run's timers, so they all run at once.
  struct Plan {
    std::string text;
    Side as;
    const StackUnderTest* on;
  };
  enum Runs : std::size_t {
    TimeWait,
    Restart,
    Rto,
    AckOfFin,
    AckOfFinAfterData,
    CloseAtEof,
    CloseLater,
    RstTimeWait,
    RstTimeWait1337,
    Unacceptable,
    FinWait2,
    FinWait2AfterShutdown,
    DataAfterClose,
    LastAck,
    RunCount
  };
  const std::vector<Plan> plans{
      {time_wait_close, side, &*stack},
      // a's final ACK is lost, so b retransmits its FIN (no RST from a
      // closed b can cut TIME-WAIT short).
      {"a close at 0ms\nb close after eof 0ms\ndrop a->b 2\n", side, &*stack},
      // Every segment the stack sends is lost.
      {"a close at 0ms\n" + drops, side, &*stack},
      {"a close at 0ms\n", passive, &*stack},
      {"a send 1 at 0ms\na close at 500ms\n", passive, &*stack},
      {"a close at 0ms\nb close after eof 0ms\n", passive, &*stack},
      {"a close at 0ms\nb close after eof " + format_duration(2 * p.delayed_ack_us + 100'000) +
           "\n",
       passive, &*stack},
      // The duplicate of b's FIN draws an ACK after b closed; b's RST
      // reaches the stack in TIME-WAIT.
      {rst_in_time_wait, side, &*stack},
      {rst_in_time_wait, side, rfc1337 ? &*rfc1337 : nullptr},
      // A simultaneous close in which both ACKs and the stack's
      // retransmitted FIN are lost, so that it waits in CLOSING until the
      // peer's retransmitted FIN -- below RCV.NXT, but acknowledging the
      // stack's FIN -- arrives.
      {"a close at 0ms\nb close at 0ms\ndrop a->b 2\ndrop b->a 2\ndrop b->a 3\n", passive, &*stack},
      // An orphan's FIN-WAIT-2: the stack closes, the peer never does.
      {"a close at 0ms\n", side, &*stack},
      // After shutdown() the application holds the socket: data 70 s on
      // finds it still in FIN-WAIT-2 if no timer ended it.
      {"a shutdown at 0ms\nb send 1 at 70s\n", side, &*stack},
      // b's data leaves before a's FIN arrives: its ACK field is below
      // a's SND.NXT, so the two candidates for the RST differ.
      {"a close at 0ms\nb send 1 at 5ms\n", side, &*stack},
      // The stack's FIN never arrives: it waits in LAST-ACK until a timer
      // of its own or its retry budget ends it. On a real clock that is
      // the whole budget (minutes): not run.
      {"a close at 0ms\nb close after eof 0ms\n" + drops_from_b, passive,
       stack->caps.clock == StackClock::Real ? nullptr : &*stack},
  };
  std::vector<std::unique_ptr<StackRun>> runs(RunCount);
  {
    auto make = [&](std::size_t i) {
      if (plans[i].on)
        runs[i] = std::make_unique<StackRun>(*plans[i].on, plans[i].text, plans[i].as);
    };
    if (stack->caps.clock == StackClock::Real) {
      err << "fincheck probe: " << stack->name << " keeps real time: " << RunCount
          << " runs at once, about two minutes\n";
      std::vector<std::thread> threads;
      for (std::size_t i = 0; i < RunCount; ++i) threads.emplace_back(make, i);
      for (std::thread& t : threads) t.join();
    } else {
      for (std::size_t i = 0; i < RunCount; ++i) make(i);
    }
  }
  const auto run = [&](Runs r) -> const StackRun& { return *runs[r]; };
  std::vector<Measurement> m;
  // How late a timer of the profile's may go off and still be on time.
  auto near = [&](std::int64_t measured, std::int64_t expected) {
    return measured >= expected && measured - expected <= p.timer_tolerance_us(expected);
  };
  {
    // TIME-WAIT: entry to exit in a fault-free close, the stack active.
    const std::int64_t length = time_wait_of(run(TimeWait).trace).value_or(-1);
    m.push_back(
        {"TIME_WAIT length", seconds(length),
         seconds(p.time_wait()) + " + " + format_duration(p.timer_tolerance_us(p.time_wait())),
         cited("TIME_WAIT length"), near(length, p.time_wait())});
    m.push_back({"timer granularity", seconds(stack->caps.granularity_us) + " (declared)",
                 seconds(p.timer_granularity_us) + " allowed", cited("timer granularity"), true});
  }
  {
    const Trace& t = run(Restart).trace;
    const auto out_at = first_step(t, side, model::State::Closed, model::State::TimeWait);
    std::int64_t again = -1;
    for (const ArrivalRecord& a : t.arrivals)
      if (a.to == side && a.state_before == model::State::TimeWait &&
          t.segments[a.segment].seg.flags.fin)
        again = a.at_us;
    const std::int64_t after = out_at && again >= 0 ? *out_at - again : -1;
    m.push_back({"TIME_WAIT after a retransmitted FIN", seconds(after), seconds(p.time_wait()),
                 cited("TIME_WAIT after a retransmitted FIN"), near(after, p.time_wait())});
  }
  {
    // RTO, backoff and budget.
    const Trace& t = run(Rto).trace;
    std::vector<std::int64_t> fins;
    for (const SegmentRecord& s : t.segments)
      if (s.from == side && s.seg.flags.fin) fins.push_back(s.sent_us);
    const auto aborted = first_step(t, side, model::State::Closed);
    std::ostringstream gaps;
    for (std::size_t i = 1; i < fins.size() && i < 7; ++i)
      gaps << (i > 1 ? ", " : "") << format_seconds(fins[i] - fins[i - 1]);
    const std::int64_t first_rto = fins.size() > 1 ? fins[1] - fins[0] : -1;
    const std::int64_t rto_tolerance = p.timer_tolerance_us(p.rto_initial_us);
    m.push_back({"initial RTO (FIN)", seconds(first_rto), seconds(p.rto_initial_us),
                 cited("initial RTO (FIN)"),
                 first_rto > 0 && first_rto <= p.rto_initial_us + rto_tolerance &&
                     p.rto_initial_us - first_rto <= rto_tolerance});
    m.push_back({"RTO gaps (s)", gaps.str(), "x" + std::to_string(p.rto_backoff) + " each",
                 cited("RTO gaps (s)"), true});
    const std::int64_t retries = fins.empty() ? -1 : static_cast<std::int64_t>(fins.size()) - 1;
    m.push_back({"retransmissions before abort",
                 std::to_string(retries) + (aborted ? ", abort at " + seconds(*aborted) : ""),
                 std::to_string(p.retries), cited("retransmissions before abort"),
                 p.retries_by_time ? retries >= 1 && retries <= static_cast<std::int64_t>(p.retries)
                                   : retries == static_cast<std::int64_t>(p.retries)});
    const std::int64_t last_wait = aborted && !fins.empty() ? *aborted - fins.back() : -1;
    // 0 in the profile: the last retransmission waits its whole backed-off
    // timeout, like every other.
    const std::int64_t allowed =
        p.last_retransmission_wait_us
            ? p.last_retransmission_wait_us
            : std::min(p.rto_max_us, p.rto_initial_us << std::min<std::uint32_t>(p.retries, 30));
    m.push_back({"wait after the last retransmission", seconds(last_wait), seconds(allowed),
                 cited("wait after the last retransmission"),
                 last_wait > 0 && last_wait <= allowed + p.timer_tolerance_us(allowed)});
  }
  // The ACK of a FIN: the stack passive, how long after the FIN its ACK leaves.
  auto ack_delay = [&](const Trace& t) {
    std::int64_t fin_at = -1, ack_at = -1;
    for (const ArrivalRecord& a : t.arrivals)
      if (a.to == passive && t.segments[a.segment].seg.flags.fin && fin_at < 0) fin_at = a.at_us;
    for (const SegmentRecord& s : t.segments)
      if (s.from == passive && s.seg.flags.ack && ack_at < 0 && fin_at >= 0 && s.sent_us >= fin_at)
        ack_at = s.sent_us;
    return fin_at >= 0 && ack_at >= 0 ? ack_at - fin_at : -1;
  };
  auto delay_agrees = [&](std::int64_t measured, std::int64_t profile) {
    return measured >= 0 && measured <= profile + p.timer_tolerance_us(profile) &&
           measured + p.timer_tolerance_us(profile) >= profile;
  };
  {
    const std::int64_t d = ack_delay(run(AckOfFin).trace);
    m.push_back({"delay of the ACK of a FIN", seconds(d), seconds(p.delayed_ack_first_us),
                 cited("delay of the ACK of a FIN"), delay_agrees(d, p.delayed_ack_first_us)});
    const std::int64_t after_data = ack_delay(run(AckOfFinAfterData).trace);
    m.push_back({"delay of the ACK of a FIN after data", seconds(after_data),
                 seconds(p.delayed_ack_us), cited("delay of the ACK of a FIN after data"),
                 delay_agrees(after_data, p.delayed_ack_us)});
  }
  {
    // A close soon after EOF: the FIN carries the ACK when the close comes
    // before the delayed ACK goes (three segments); later, four.
    auto segments = [&](const Trace& t) {
      return std::count_if(t.segments.begin(), t.segments.end(),
                           [](const SegmentRecord& s) { return !s.injected; });
    };
    const auto soon = segments(run(CloseAtEof).trace);
    const auto later = segments(run(CloseLater).trace);
    const bool three = p.delayed_ack_first_us > 0;
    m.push_back({"segments of a close 0 ms after EOF", std::to_string(soon),
                 three ? "3 (the ACK rides on the FIN)" : "4",
                 cited("segments of a close 0 ms after EOF"), soon == (three ? 3 : 4)});
    m.push_back(
        {"segments of a close " + format_duration(2 * p.delayed_ack_us + 100'000) + " after EOF",
         std::to_string(later), "4", cited("segments of a close 0 ms after EOF"), later == 4});
  }
  // RST in TIME-WAIT: out of TIME-WAIT when the RST arrives, or not.
  auto rst_effect = [&](const Trace& t) -> std::string {
    std::int64_t rst_at = -1;
    for (const ArrivalRecord& a : t.arrivals)
      if (a.to == side && a.state_before == model::State::TimeWait &&
          t.segments[a.segment].seg.flags.rst)
        rst_at = a.at_us;
    if (rst_at < 0) return "not reached";
    const auto left = first_step(t, side, model::State::Closed, model::State::TimeWait);
    return left && *left == rst_at ? "closes" : "ignored";
  };
  {
    const std::string effect = rst_effect(run(RstTimeWait).trace);
    m.push_back({"RST in TIME_WAIT", effect, p.rfc1337 ? "ignored" : "closes",
                 cited("RST in TIME_WAIT"), effect == (p.rfc1337 ? "ignored" : "closes")});
    if (rfc1337) {
      const std::string with = rst_effect(run(RstTimeWait1337).trace);
      m.push_back({"RST in TIME_WAIT (" + rfc1337->name + ")", with, "ignored",
                   cited("RST in TIME_WAIT (rfc1337)"), with == "ignored"});
    }
  }
  {
    const Trace& t = run(Unacceptable).trace;
    std::int64_t again = -1;
    for (const ArrivalRecord& a : t.arrivals)
      if (a.to == passive && a.state_before == model::State::Closing &&
          t.segments[a.segment].n == 3)
        again = a.at_us;
    bool taken = false;
    for (const StepRecord& s : t.steps)
      taken |= s.endpoint == passive && s.from == model::State::Closing &&
               s.to == model::State::TimeWait && s.at_us == again;
    m.push_back({"ACK of a segment outside the window",
                 again < 0 ? "not reached"
                 : taken   ? "processed"
                           : "ignored",
                 p.ack_of_unacceptable ? "processed" : "ignored",
                 cited("ACK of a segment outside the window"),
                 again >= 0 && taken == p.ack_of_unacceptable});
  }
  if (runs[LastAck]) {
    // Entry to exit of LAST-ACK, and whether a timeout ended it before the
    // retry budget would have.
    const Trace& t = run(LastAck).trace;
    const auto in = first_step(t, passive, model::State::LastAck);
    const auto gone = first_step(t, passive, model::State::Closed, model::State::LastAck);
    bool by_budget = false;
    for (const StepRecord& s : t.steps)
      by_budget |= s.endpoint == passive && s.from == model::State::LastAck &&
                   s.to == model::State::Closed && s.cause == model::RtoExpired::name;
    const std::int64_t length = in && gone ? *gone - *in : -1;
    const bool timeout = length >= 0 && !by_budget;
    m.push_back({"LAST_ACK timeout", timeout ? seconds(length) : "none (the retry budget ends it)",
                 p.last_ack_timeout_us ? seconds(p.last_ack_timeout_us) : "none",
                 cited("LAST_ACK timeout"),
                 p.last_ack_timeout_us ? timeout && near(length, p.last_ack_timeout_us)
                                       : !timeout});
  }
  {
    const Trace& t = run(FinWait2).trace;
    const auto in = first_step(t, side, model::State::FinWait2);
    const auto gone = first_step(t, side, model::State::Closed, model::State::FinWait2);
    const std::int64_t length = in && gone ? *gone - *in : -1;
    m.push_back({"FIN_WAIT_2 timeout", length < 0 ? "none" : seconds(length),
                 p.fin_wait_2_timeout_us ? seconds(p.fin_wait_2_timeout_us) : "none",
                 cited("FIN_WAIT_2 timeout"),
                 p.fin_wait_2_timeout_us ? near(length, p.fin_wait_2_timeout_us) : length < 0});
  }
  {
    // After shutdown(): the peer's data at 70 s finds FIN-WAIT-2, or not.
    const Trace& t = run(FinWait2AfterShutdown).trace;
    std::string found = "no data arrived";
    for (const ArrivalRecord& a : t.arrivals)
      if (a.to == side && t.segments[a.segment].seg.len > 0)
        found = std::string(model::to_string(a.state_before)) + " at " + seconds(a.at_us);
    const bool kept = found.starts_with("FIN_WAIT_2");
    m.push_back({"FIN_WAIT_2 timeout after shutdown()", kept ? "none (" + found + ")" : found,
                 "none", cited("FIN_WAIT_2 timeout after shutdown()"), kept});
  }
  {
    // Data after close(): the orphan answers with a RST, at SND.NXT or at
    // the data's ACK field.
    const Trace& t = run(DataAfterClose).trace;
    std::string reply = "no RST";
    for (const SegmentRecord& s : t.segments)
      if (s.from == side && s.seg.flags.rst) {
        std::optional<Seq> snd_nxt;
        for (const SegmentRecord& f : t.segments)
          if (f.from == side && f.seg.flags.fin) snd_nxt = f.seg.seq + f.seg.seg_len();
        std::optional<Seq> seg_ack;
        for (const SegmentRecord& d : t.segments)
          if (d.from == passive && d.seg.len > 0) seg_ack = d.seg.ack;
        reply = snd_nxt && s.seg.seq == *snd_nxt   ? "RST at SND.NXT"
                : seg_ack && s.seg.seq == *seg_ack ? "RST at SEG.ACK"
                                                   : "RST at " + std::to_string(s.seg.seq.raw());
        break;
      }
    const std::string expected = p.orphan_rst_at_snd_nxt ? "RST at SND.NXT" : "RST at SEG.ACK";
    m.push_back(
        {"data after close()", reply, expected, cited("data after close()"), reply == expected});
  }
  bool all = true;
  for (const Measurement& x : m) all &= x.agrees;
  if (o.json) {
    nlohmann::json rows = nlohmann::json::array();
    for (const Measurement& x : m)
      rows.push_back({{"parameter", x.parameter},
                      {"measured", x.measured},
                      {"profile", x.profile},
                      {"source", x.source},
                      {"agrees", x.agrees}});
    out << json_text(versioned({{"impl", stack->name}, {"agrees", all}, {"measurements", rows}}), 2)
        << '\n';
  } else {
    out << "fincheck probe: " << stack->name << " against the " << p.profile << " profile"
        << (stack->profile ? " (its own)" : "") << "\n\n"
        << std::left << std::setw(38) << "parameter" << std::setw(48) << "measured" << std::setw(32)
        << "profile" << std::setw(9) << "verdict"
        << "source\n";
    for (const Measurement& x : m)
      out << std::left << std::setw(38) << x.parameter << std::setw(48) << x.measured
          << std::setw(32) << x.profile << (x.agrees ? "agrees   " : "DIFFERS  ") << x.source
          << '\n';
  }
  return all ? exit_ok : exit_violation;
}

}  // namespace fincheck::cli
