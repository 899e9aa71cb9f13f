#include <iomanip>
#include <sstream>

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
  Simulation sim;
  const Trace& trace;
  StackRun(const StackUnderTest& stack, const std::string& text, Side side)
      : scenario(prepared(stack, text)),
        sim(scenario),
        trace((sim.set_factory(side, seam_factory(stack, divergences, seen)), sim.run())) {}
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

struct Measurement {
  std::string parameter;
  std::string measured;
  std::string profile;
  std::string source;
  bool agrees;
};

std::string seconds(std::int64_t us) { return format_seconds(us) + " s"; }

}  // namespace

int probe(const ProbeCliOptions& o, std::ostream& out, std::ostream& err) {
  std::optional<StackUnderTest> stack;
  try {
    stack = stack_named(o.impl);
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
  auto run = [&](const std::string& text, Side s) {
    return std::make_unique<StackRun>(*stack, text, s);
  };
  std::vector<Measurement> m;
  const std::int64_t tolerance = p.timer_granularity_us;
  auto near = [&](std::int64_t measured, std::int64_t expected) {
    return measured >= expected && measured - expected <= tolerance;
  };
  {
    // TIME-WAIT: entry to exit in a fault-free close, the stack active.
    const auto r = run("a close at 0ms\nb close after eof 0ms\n", side);
    const auto in = first_step(r->trace, side, model::State::TimeWait);
    const auto out_at = first_step(r->trace, side, model::State::Closed, model::State::TimeWait);
    const std::int64_t length = in && out_at ? *out_at - *in : -1;
    m.push_back({"TIME_WAIT length", seconds(length), seconds(p.time_wait()),
                 cited("TIME_WAIT length"), near(length, p.time_wait())});
    m.push_back({"timer granularity", seconds(stack->caps.granularity_us) + " (declared)",
                 seconds(p.timer_granularity_us) + " allowed", cited("timer granularity"), true});
  }
  {
    // A retransmitted FIN restarts TIME-WAIT: a's final ACK is lost, so b
    // retransmits its FIN (no RST from a closed b can cut TIME-WAIT short).
    const auto r = run("a close at 0ms\nb close after eof 0ms\ndrop a->b 2\n", side);
    const auto out_at = first_step(r->trace, side, model::State::Closed, model::State::TimeWait);
    std::int64_t again = -1;
    for (const ArrivalRecord& a : r->trace.arrivals)
      if (a.to == side && a.state_before == model::State::TimeWait &&
          r->trace.segments[a.segment].seg.flags.fin)
        again = a.at_us;
    const std::int64_t after = out_at && again >= 0 ? *out_at - again : -1;
    m.push_back({"TIME_WAIT after a retransmitted FIN", seconds(after), seconds(p.time_wait()),
                 cited("TIME_WAIT after a retransmitted FIN"), near(after, p.time_wait())});
  }
  {
    // RTO, backoff and budget: every segment the stack sends is lost.
    std::string drops;
    for (int n = 1; n <= 14; ++n) drops += "drop a->b " + std::to_string(n) + "\n";
    const auto r = run("a close at 0ms\n" + drops, side);
    std::vector<std::int64_t> fins;
    for (const SegmentRecord& s : r->trace.segments)
      if (s.from == side && s.seg.flags.fin) fins.push_back(s.sent_us);
    const auto aborted = first_step(r->trace, side, model::State::Closed);
    std::ostringstream gaps;
    for (std::size_t i = 1; i < fins.size() && i < 6; ++i)
      gaps << (i > 1 ? ", " : "") << format_seconds(fins[i] - fins[i - 1]);
    const std::int64_t first_rto = fins.size() > 1 ? fins[1] - fins[0] : -1;
    m.push_back({"initial RTO (FIN)", seconds(first_rto), seconds(p.rto_initial_us),
                 cited("initial RTO (FIN)"),
                 first_rto > 0 && first_rto <= p.rto_initial_us &&
                     p.rto_initial_us - first_rto <= tolerance});
    m.push_back({"RTO gaps (s)", gaps.str(), "x" + std::to_string(p.rto_backoff) + " each",
                 cited("RTO gaps (s)"), true});
    const std::int64_t retries = fins.empty() ? -1 : static_cast<std::int64_t>(fins.size()) - 1;
    m.push_back({"retransmissions before abort",
                 std::to_string(retries) + (aborted ? ", abort at " + seconds(*aborted) : ""),
                 std::to_string(p.retries), cited("retransmissions before abort"),
                 retries == static_cast<std::int64_t>(p.retries)});
    const std::int64_t last_wait = aborted && !fins.empty() ? *aborted - fins.back() : -1;
    // 0 in the profile: the last retransmission waits its whole backed-off
    // timeout, like every other.
    const std::int64_t allowed =
        p.last_retransmission_wait_us
            ? p.last_retransmission_wait_us
            : std::min(p.rto_max_us, p.rto_initial_us << std::min<std::uint32_t>(p.retries, 30));
    m.push_back({"wait after the last retransmission", seconds(last_wait), seconds(allowed),
                 cited("wait after the last retransmission"),
                 last_wait > 0 && last_wait <= allowed});
  }
  {
    // The ACK of a FIN: the stack passive, how long after the FIN its ACK leaves.
    const auto r = run("a close at 0ms\n", peer_of(side));
    std::int64_t fin_at = -1, ack_at = -1;
    for (const ArrivalRecord& a : r->trace.arrivals)
      if (a.to == peer_of(side) && r->trace.segments[a.segment].seg.flags.fin && fin_at < 0)
        fin_at = a.at_us;
    for (const SegmentRecord& s : r->trace.segments)
      if (s.from == peer_of(side) && s.seg.flags.ack && ack_at < 0 && s.sent_us >= fin_at)
        ack_at = s.sent_us;
    m.push_back({"delay of the ACK of a FIN", seconds(ack_at - fin_at), seconds(p.delayed_ack_us),
                 cited("delay of the ACK of a FIN"), ack_at - fin_at == p.delayed_ack_us});
  }
  {
    // RST in TIME-WAIT: the duplicate of b's FIN draws an ACK after b closed;
    // b's RST reaches the stack in TIME-WAIT.
    const auto r =
        run("a close at 0ms\nb close after eof 0ms\ndup b->a 1 30s\ndup b->a 2 30s\n", side);
    bool rst_reached = false;
    for (const ArrivalRecord& a : r->trace.arrivals)
      rst_reached |= a.to == side && a.state_before == model::State::TimeWait &&
                     r->trace.segments[a.segment].seg.flags.rst;
    const auto left = first_step(r->trace, side, model::State::Closed, model::State::TimeWait);
    // The stack's own doing, seen as its state: out of TIME-WAIT when the RST arrives.
    std::int64_t rst_at = -1;
    for (const ArrivalRecord& a : r->trace.arrivals)
      if (a.to == side && a.state_before == model::State::TimeWait &&
          r->trace.segments[a.segment].seg.flags.rst)
        rst_at = a.at_us;
    const bool by_rst = left && *left == rst_at;
    m.push_back({"RST in TIME_WAIT",
                 !rst_reached ? "not reached"
                 : by_rst     ? "closes"
                              : "ignored",
                 p.rfc1337 ? "ignored" : "closes", cited("RST in TIME_WAIT"),
                 rst_reached && by_rst == !p.rfc1337 && left.has_value()});
  }
  {
    // The ACK field of an unacceptable segment: a simultaneous close in which
    // both ACKs and the stack's retransmitted FIN are lost, so that it waits in
    // CLOSING until the peer's retransmitted FIN -- below RCV.NXT, but
    // acknowledging the stack's FIN -- arrives.
    const auto r = run("a close at 0ms\nb close at 0ms\ndrop a->b 2\ndrop b->a 2\ndrop b->a 3\n",
                       peer_of(side));
    std::int64_t again = -1;
    for (const ArrivalRecord& a : r->trace.arrivals)
      if (a.to == peer_of(side) && a.state_before == model::State::Closing &&
          r->trace.segments[a.segment].n == 3)
        again = a.at_us;
    bool taken = false;
    for (const StepRecord& s : r->trace.steps)
      taken |= s.endpoint == peer_of(side) && s.from == model::State::Closing &&
               s.to == model::State::TimeWait && s.at_us == again;
    m.push_back({"ACK of a segment outside the window",
                 again < 0 ? "not reached"
                 : taken   ? "processed"
                           : "ignored",
                 p.ack_of_unacceptable ? "processed" : "ignored",
                 cited("ACK of a segment outside the window"),
                 again >= 0 && taken == p.ack_of_unacceptable});
  }
  {
    // An orphan's FIN-WAIT-2: the stack closes, the peer never does.
    const auto r = run("a close at 0ms\n", side);
    const auto in = first_step(r->trace, side, model::State::FinWait2);
    const auto gone = first_step(r->trace, side, model::State::Closed, model::State::FinWait2);
    const std::int64_t length = in && gone ? *gone - *in : -1;
    m.push_back({"FIN_WAIT_2 timeout", length < 0 ? "none" : seconds(length),
                 p.fin_wait_2_timeout_us ? seconds(p.fin_wait_2_timeout_us) : "none",
                 cited("FIN_WAIT_2 timeout"),
                 p.fin_wait_2_timeout_us ? near(length, p.fin_wait_2_timeout_us) : length < 0});
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
    out << versioned({{"impl", stack->name}, {"agrees", all}, {"measurements", rows}}).dump(2)
        << '\n';
  } else {
    out << "fincheck probe: " << stack->name << " against the " << p.profile << " profile"
        << (stack->profile ? " (its own)" : "") << "\n\n"
        << std::left << std::setw(38) << "parameter" << std::setw(48) << "measured" << std::setw(22)
        << "profile" << std::setw(9) << "verdict"
        << "source\n";
    for (const Measurement& x : m)
      out << std::left << std::setw(38) << x.parameter << std::setw(48) << x.measured
          << std::setw(22) << x.profile << (x.agrees ? "agrees   " : "DIFFERS  ") << x.source
          << '\n';
  }
  return all ? exit_ok : exit_violation;
}

}  // namespace fincheck::cli
