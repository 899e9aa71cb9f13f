#include <iomanip>
#include <sstream>

#include <nlohmann/json.hpp>

#include "impl/adapters/lwip/lwip_endpoint.hpp"
#include "impl/duration.hpp"
#include "impl/scenario_io.hpp"
#include "impl/simulation.hpp"
#include "model/events.hpp"
#include "tools/commands.hpp"

namespace fincheck::cli {

namespace {

// One run with lwIP as `side`; the rest is the reference endpoint under the
// lwip profile.
struct LwipRun {
  Scenario scenario;
  Simulation sim;
  const Trace& trace;
  LwipRun(const std::string& text, Side side)
      : scenario(parse_scenario("profile lwip\n" + text, "probe")),
        sim(scenario),
        trace((sim.set_factory(side, lwip::factory()), sim.run())) {}
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
  if (o.impl != "lwip") {
    err << "fincheck probe: error: unknown implementation '" << o.impl << "' (lwip)\n";
    return exit_bad_input;
  }
  const model::Parameters p = model::lwip_profile();
  std::vector<Measurement> m;
  const std::int64_t tolerance = p.timer_granularity_us;
  auto near = [&](std::int64_t measured, std::int64_t expected) {
    return measured >= expected && measured - expected <= tolerance;
  };
  {
    // TIME-WAIT: entry to exit in a fault-free close, lwIP active.
    LwipRun r("a close at 0ms\nb close after eof 0ms\n", Side::A);
    const auto in = first_step(r.trace, Side::A, model::State::TimeWait);
    const auto out_at = first_step(r.trace, Side::A, model::State::Closed, model::State::TimeWait);
    const std::int64_t length = in && out_at ? *out_at - *in : -1;
    m.push_back({"TIME_WAIT length", seconds(length), seconds(p.time_wait()),
                 "tcp_priv.h TCP_MSL 60000; tcp_slowtmr(): 2 * TCP_MSL / TCP_SLOW_INTERVAL ticks",
                 near(length, p.time_wait())});
    m.push_back({"timer granularity", seconds(500'000) + " (TCP_SLOW_INTERVAL)",
                 seconds(p.timer_granularity_us) + " allowed",
                 "tcp_priv.h TCP_SLOW_INTERVAL (2*TCP_TMR_INTERVAL)", true});
  }
  {
    // A retransmitted FIN restarts TIME-WAIT: b's FIN (its second segment:
    // the lwip profile ACKs a FIN at once) arrives again 30 s on.
    LwipRun r("a close at 0ms\nb close after eof 0ms\ndup b->a 2 30s\n", Side::A);
    const auto out_at = first_step(r.trace, Side::A, model::State::Closed, model::State::TimeWait);
    std::int64_t again = -1;
    for (const ArrivalRecord& a : r.trace.arrivals)
      if (a.to == Side::A && a.state_before == model::State::TimeWait) again = a.at_us;
    const std::int64_t after = out_at && again >= 0 ? *out_at - again : -1;
    m.push_back({"TIME_WAIT after a retransmitted FIN", seconds(after), seconds(p.time_wait()),
                 "tcp_in.c tcp_timewait_input(): \"pcb->tmr = tcp_ticks\" on FIN",
                 near(after, p.time_wait())});
  }
  {
    // RTO, backoff and budget: every segment lwIP sends is lost.
    std::string drops;
    for (int n = 1; n <= 14; ++n) drops += "drop a->b " + std::to_string(n) + "\n";
    LwipRun r("a close at 0ms\n" + drops, Side::A);
    std::vector<std::int64_t> fins;
    for (const SegmentRecord& s : r.trace.segments)
      if (s.from == Side::A && s.seg.flags.fin) fins.push_back(s.sent_us);
    const auto aborted = first_step(r.trace, Side::A, model::State::Closed);
    std::ostringstream gaps;
    for (std::size_t i = 1; i < fins.size() && i < 6; ++i)
      gaps << (i > 1 ? ", " : "") << format_seconds(fins[i] - fins[i - 1]);
    const std::int64_t first_rto = fins.size() > 1 ? fins[1] - fins[0] : -1;
    m.push_back({"initial RTO (FIN)", seconds(first_rto), seconds(p.rto_initial_us),
                 "tcp.c tcp_alloc(): rto = 3000 / TCP_SLOW_INTERVAL; counted in slow ticks",
                 first_rto > 0 && first_rto <= p.rto_initial_us &&
                     p.rto_initial_us - first_rto <= tolerance});
    m.push_back({"RTO gaps (s)", gaps.str(), "x" + std::to_string(p.rto_backoff) + " each",
                 "tcp.c tcp_backoff[] = {1,2,3,4,5,6,7,7,...} shifts", true});
    const std::int64_t retries = fins.empty() ? -1 : static_cast<std::int64_t>(fins.size()) - 1;
    m.push_back({"retransmissions before abort",
                 std::to_string(retries) + (aborted ? ", abort at " + seconds(*aborted) : ""),
                 std::to_string(p.retries), "opt.h TCP_MAXRTX 12",
                 retries == static_cast<std::int64_t>(p.retries)});
    const std::int64_t last_wait = aborted && !fins.empty() ? *aborted - fins.back() : -1;
    m.push_back({"wait after the last retransmission", seconds(last_wait),
                 seconds(p.last_retransmission_wait_us),
                 "tcp.c tcp_slowtmr(): nrtx >= TCP_MAXRTX removes the pcb at the next slow tick",
                 last_wait > 0 && last_wait <= p.last_retransmission_wait_us});
  }
  {
    // The ACK of a FIN: lwIP passive, how long after the FIN its ACK leaves.
    LwipRun r("a close at 0ms\n", Side::B);
    std::int64_t fin_at = -1, ack_at = -1;
    for (const ArrivalRecord& a : r.trace.arrivals)
      if (a.to == Side::B && r.trace.segments[a.segment].seg.flags.fin && fin_at < 0)
        fin_at = a.at_us;
    for (const SegmentRecord& s : r.trace.segments)
      if (s.from == Side::B && s.seg.flags.ack && ack_at < 0 && s.sent_us >= fin_at)
        ack_at = s.sent_us;
    m.push_back({"delay of the ACK of a FIN", seconds(ack_at - fin_at), seconds(p.delayed_ack_us),
                 "tcp_in.c tcp_process(), ESTABLISHED: tcp_ack_now() on FIN",
                 ack_at - fin_at == p.delayed_ack_us});
  }
  {
    // RST in TIME-WAIT: the duplicate of b's FIN draws an ACK after b closed;
    // b's RST reaches lwIP in TIME-WAIT.
    LwipRun r("a close at 0ms\nb close after eof 0ms\ndup b->a 2 30s\n", Side::A);
    bool rst_reached = false;
    for (const ArrivalRecord& a : r.trace.arrivals)
      rst_reached |= a.to == Side::A && a.state_before == model::State::TimeWait &&
                     r.trace.segments[a.segment].seg.flags.rst;
    const auto left = first_step(r.trace, Side::A, model::State::Closed, model::State::TimeWait);
    bool by_rst = false;
    for (const StepRecord& s : r.trace.steps)
      by_rst |= s.endpoint == Side::A && s.from == model::State::TimeWait &&
                s.cause == model::RstInWindow::name;
    m.push_back({"RST in TIME_WAIT",
                 !rst_reached ? "not reached"
                 : by_rst     ? "closes"
                              : "ignored",
                 p.rfc1337 ? "ignored" : "closes",
                 "tcp_in.c tcp_timewait_input(): \"if (flags & TCP_RST) { return; }\"",
                 rst_reached && by_rst == !p.rfc1337 && left.has_value()});
  }
  {
    // The ACK field of an unacceptable segment: a simultaneous close in which
    // both ACKs and lwIP's retransmitted FIN are lost, so that lwIP waits in
    // CLOSING until the peer's retransmitted FIN -- below RCV.NXT, but
    // acknowledging lwIP's FIN -- arrives.
    LwipRun r("a close at 0ms\nb close at 0ms\ndrop a->b 2\ndrop b->a 2\ndrop b->a 3\n", Side::B);
    std::int64_t again = -1;
    for (const ArrivalRecord& a : r.trace.arrivals)
      if (a.to == Side::B && a.state_before == model::State::Closing &&
          r.trace.segments[a.segment].n == 3)
        again = a.at_us;
    bool taken = false;
    for (const StepRecord& s : r.trace.steps)
      taken |= s.endpoint == Side::B && s.from == model::State::Closing &&
               s.to == model::State::TimeWait && s.at_us == again;
    m.push_back({"ACK of a segment outside the window",
                 again < 0 ? "not reached"
                 : taken   ? "processed"
                           : "ignored",
                 p.ack_of_unacceptable ? "processed" : "ignored",
                 "tcp_in.c tcp_receive(): \"if (flags & TCP_ACK)\" before the window test",
                 again >= 0 && taken == p.ack_of_unacceptable});
  }
  m.push_back({"FIN_WAIT_2 timeout", "none (half-closed pcb)", seconds(p.fin_wait_2_timeout_us),
               "tcp.c tcp_slowtmr(): TCP_FIN_WAIT_TIMEOUT only if TF_RXCLOSED (tcp_close)", true});
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
    out << nlohmann::json{{"impl", "lwip"}, {"agrees", all}, {"measurements", rows}}.dump(2)
        << '\n';
  } else {
    out << "fincheck probe: lwIP 2.1.3 (Debian liblwip) against the lwip profile\n\n";
    for (const Measurement& x : m)
      out << std::left << std::setw(38) << x.parameter << std::setw(48) << x.measured
          << std::setw(22) << x.profile << (x.agrees ? "agrees   " : "DIFFERS  ") << x.source
          << '\n';
  }
  return all ? exit_ok : exit_violation;
}

}  // namespace fincheck::cli
