#include "impl/simulation.hpp"

#include <algorithm>
#include <cassert>

#include "impl/reference_endpoint.hpp"

namespace fincheck {

namespace {
constexpr std::size_t idx(Side s) { return static_cast<std::size_t>(s); }
}  // namespace

EndpointFactory reference_factory(const model::TableVariant& table) {
  return [&table](const EndpointSetup& setup) {
    return std::make_unique<ReferenceEndpoint>(setup, table);
  };
}

std::int64_t run_horizon_us(const Scenario& scenario) {
  // Generous: every timer the parameters allow, run back to back, after the
  // last application action, four times over.
  const model::Parameters& p = scenario.params;
  std::int64_t last_action = 0;
  for (const AppAction& a : scenario.actions) last_action = std::max(last_action, a.at_us);
  for (const Injection& in : scenario.injections) last_action = std::max(last_action, in.at_us);
  const std::int64_t retransmissions =
      static_cast<std::int64_t>(p.retries + 1) * std::max(p.rto_max_us, p.rto_initial_us);
  return last_action + 4 * (retransmissions + p.time_wait() + p.fin_wait_2_timeout_us +
                            2 * scenario.delay_bound_us() + p.delayed_ack_us + scenario.delay_us);
}

std::uint64_t run_event_cap(const Scenario& scenario) {
  // Each segment an application writes, its ACK and a retransmission or
  // two; each fault line its copies and what they draw; the teardown itself
  // a thousand times over.
  std::uint64_t written = 0;
  for (const AppAction& a : scenario.actions) written += a.segments;
  return 1'000 + 8 * written + 16 * (scenario.faults.size() + scenario.injections.size());
}

Simulation::Simulation(const Scenario& scenario, const model::TableVariant& table)
    : Simulation(scenario, nullptr, table) {}

Simulation::Simulation(const Scenario& scenario, Trace& reuse, const model::TableVariant& table)
    : Simulation(scenario, &reuse, table) {}

Simulation::Simulation(const Scenario& scenario, Trace* reuse, const model::TableVariant& table)
    : scenario_(scenario),
      factories_{reference_factory(table), reference_factory(table)},
      fault_used_(scenario.faults.size(), false),
      trace_(reuse ? *reuse : own_trace_) {
  trace_.clear();
  // A teardown makes a few dozen records: one allocation per vector, not a
  // dozen regrowths (a third of the Monte Carlo loop went to malloc).
  trace_.log.reserve(64);
  trace_.segments.reserve(16);
  trace_.arrivals.reserve(16);
  trace_.steps.reserve(16);
  trace_.timers.reserve(32);
  trace_.app.reserve(8);
  std::vector<Event> storage;
  storage.reserve(16);
  queue_ = decltype(queue_)(std::greater<>{}, std::move(storage));
  horizon_us_ = run_horizon_us(scenario);
  event_cap_ = run_event_cap(scenario);
  // Many faults (a file may hold tens of thousands): find them by binary
  // search, not by a scan per segment sent.
  if (scenario.faults.size() > 16) {
    fault_index_.resize(scenario.faults.size());
    for (std::uint32_t i = 0; i < fault_index_.size(); ++i) fault_index_[i] = i;
    std::sort(fault_index_.begin(), fault_index_.end(), [&](std::uint32_t x, std::uint32_t y) {
      return std::pair{scenario.faults[x].from, scenario.faults[x].n} <
             std::pair{scenario.faults[y].from, scenario.faults[y].n};
    });
  }
}

void Simulation::set_factory(Side side, EndpointFactory factory) {
  factories_[idx(side)] = std::move(factory);
}

void Simulation::set_factory(Playing who, const EndpointFactory& factory) {
  for (Side s : {Side::A, Side::B})
    if (plays(who, s)) factories_[idx(s)] = factory;
}

const Trace& Simulation::run() {
  start_connection(1, Seq(scenario_.isn_a), Seq(scenario_.isn_b));
  assert(scenario_.actions.size() <= max_actions && "the parser allows no more");
  for (std::uint32_t i = 0; i < scenario_.actions.size(); ++i) {
    const AppAction& a = scenario_.actions[i];
    if (!a.after_eof) schedule(a.at_us, Event::Kind::App, i, 0);
  }
  for (std::uint32_t i = 0; i < scenario_.injections.size(); ++i)
    schedule(scenario_.injections[i].at_us, Event::Kind::Inject, i, 0);
  std::uint64_t events = 0;
  for (;;) {
    std::optional<std::int64_t> next;
    if (!queue_.empty()) next = queue_.top().at_us;
    std::array<std::optional<std::int64_t>, 2> timers{endpoint(Side::A).next_deadline(),
                                                      endpoint(Side::B).next_deadline()};
    for (const auto& t : timers)
      if (t && (!next || *t < *next)) next = t;
    if (!next) break;
    if (*next > horizon_us_) {
      trace_.cut_off = true;
      break;
    }
    if (real_clock_ && wake_early(*next)) continue;
    now_us_ = *next;
    // At one instant, segments and application calls go before timers.
    if (!queue_.empty() && queue_.top().at_us == now_us_) {
      // Timers are bounded by the horizon; segments by this count.
      if (++events > event_cap_) {
        trace_.cut_off = true;
        trace_.event_cap = event_cap_;
        break;
      }
      const Event e = queue_.top();
      queue_.pop();
      handle(e);
    } else {
      for (Side s : {Side::A, Side::B})
        if (timers[idx(s)] == now_us_) endpoint(s).advance(now_us_);
    }
    after_step();
  }
  trace_.end_us = now_us_;
  trace_.final_states = {endpoint(Side::A).state(), endpoint(Side::B).state()};
  return trace_;
}

bool Simulation::wake_early(std::int64_t next_us) {
  // Time passes for real until `next_us`; what a real-clock stack does
  // sooner comes first, at the moment it did it.
  for (Side s : {Side::A, Side::B}) {
    Endpoint& e = endpoint(s);
    if (!e.real_clock()) continue;
    const std::int64_t woke = std::max(now_us_, e.wait_until(next_us));
    if (woke >= next_us) continue;
    now_us_ = woke;
    e.advance(now_us_);
    after_step();
    return true;
  }
  return false;
}

const SegmentFault* Simulation::planned_fault(Side from, std::uint32_t n) const {
  if (fault_index_.empty()) return scenario_.fault_for(from, n);
  const auto key = std::pair{from, n};
  const auto it = std::lower_bound(fault_index_.begin(), fault_index_.end(), key,
                                   [&](std::uint32_t i, const auto& k) {
                                     const SegmentFault& f = scenario_.faults[i];
                                     return std::pair{f.from, f.n} < k;
                                   });
  if (it == fault_index_.end()) return nullptr;
  const SegmentFault& f = scenario_.faults[*it];
  return f.from == from && f.n == n ? &f : nullptr;
}

std::vector<const SegmentFault*> Simulation::unused_faults() const {
  std::vector<const SegmentFault*> unused;
  for (std::size_t i = 0; i < scenario_.faults.size(); ++i)
    if (!fault_used_[i]) unused.push_back(&scenario_.faults[i]);
  return unused;
}

void Simulation::start_connection(int conn, Seq iss_a, Seq iss_b) {
  conn_ = conn;
  for (Side s : {Side::A, Side::B}) {
    EndpointSetup setup;
    setup.side = s;
    setup.conn = conn;
    setup.iss = s == Side::A ? iss_a : iss_b;
    setup.irs = s == Side::A ? iss_b : iss_a;
    setup.params = scenario_.params;
    setup.trace = &trace_;
    setup.wire = this;
    setup.run = this;
    setup.reads = scenario_.reads[idx(s)];
    setup.start_us = now_us_;
    endpoints_[idx(s)] = factories_[idx(s)](setup);
  }
  real_clock_ = endpoint(Side::A).real_clock() || endpoint(Side::B).real_clock();
}

void Simulation::transmit(Side from, int conn, const Segment& seg) {
  const std::uint32_t n = ++sent_[idx(from)];
  // Built in place: a copy of a record built on the stack stalled on
  // store forwarding (perf: an eighth of the Monte Carlo loop).
  const auto index = static_cast<std::uint32_t>(trace_.segments.size());
  SegmentRecord& rec = trace_.add_segment();
  rec.conn = conn;
  rec.from = from;
  rec.n = n;
  rec.sent_us = now_us_;
  rec.seg = seg;
  rec.arrivals_before = static_cast<std::uint32_t>(trace_.arrivals.size());
  SegmentFault drawn;
  const SegmentFault* fault = nullptr;
  if (fault_source_) {
    if (fault_source_->fate(from, n, drawn)) fault = &drawn;
  } else if ((fault = planned_fault(from, n))) {
    fault_used_[static_cast<std::size_t>(fault - scenario_.faults.data())] = true;
  }
  if (fault && fault->drop) {
    rec.fate = Fate::Dropped;
  } else {
    const std::int64_t delay = fault && fault->delay_us ? *fault->delay_us : scenario_.delay_us;
    assert(delay <= scenario_.delay_bound_us() && "delays are bounded by MSL or max_delay");
    rec.arrivals_us[rec.arrival_count++] = now_us_ + delay;
    if (fault)
      for (std::int64_t gap : fault->dup_gaps_us) {
        assert(rec.arrival_count < max_copies && "the parser allows at most max_copies");
        rec.fate = Fate::Duplicated;
        rec.arrivals_us[rec.arrival_count++] = now_us_ + delay + gap;
      }
    for (std::uint8_t c = 0; c < rec.arrival_count; ++c)
      schedule(rec.arrivals_us[c], Event::Kind::Arrival, index, c);
  }
}

void Simulation::schedule(std::int64_t at_us, Event::Kind kind, std::uint32_t index,
                          std::uint8_t copy) {
  queue_.push(Event{at_us, order_++, kind, index, copy});
}

void Simulation::handle(const Event& e) {
  if (e.kind == Event::Kind::Arrival)
    deliver(e.index, e.copy);
  else if (e.kind == Event::Kind::Inject)
    inject(scenario_.injections[e.index]);
  else
    apply(scenario_.actions[e.index]);
}

void Simulation::inject(const Injection& in) {
  // The numbers are read off the receiver at this instant, so that "a RST
  // at RCV.NXT" means the receiver's RCV.NXT whatever came before.
  const std::optional<SeqView> view = endpoint(peer_of(in.from)).seq_view();
  auto resolve = [&](const Injection::Number& n) {
    using A = Injection::Anchor;
    if (n.anchor == A::Fixed) return Seq(static_cast<std::uint32_t>(n.offset));
    if (!view) {
      trace_.stack_errors.push_back(
          {now_us_, peer_of(in.from),
           "cannot inject at line " + std::to_string(in.line) +
               ": the receiver does not tell its sequence numbers; give a fixed number"});
      return Seq(0);
    }
    const Seq base = n.anchor == A::RcvNxt   ? view->rcv_nxt
                     : n.anchor == A::SndNxt ? view->snd_nxt
                                             : view->snd_una;
    return base + static_cast<std::uint32_t>(n.offset);
  };
  SegmentRecord rec;
  rec.conn = conn_;
  rec.from = in.from;
  rec.sent_us = now_us_;
  rec.seg.seq = resolve(in.seq);
  rec.seg.ack = in.flags.ack ? resolve(in.ack) : Seq(0);
  rec.seg.len = in.len;
  rec.seg.flags = in.flags;
  rec.injected = true;
  rec.arrivals_us[rec.arrival_count++] = now_us_;
  rec.arrivals_before = static_cast<std::uint32_t>(trace_.arrivals.size());
  const auto index = static_cast<std::uint32_t>(trace_.segments.size());
  trace_.add(rec);
  deliver(index, 0);
}

void Simulation::deliver(std::uint32_t segment, std::uint8_t) {
  const SegmentRecord& rec = trace_.segments[segment];
  const Side to = peer_of(rec.from);
  Endpoint& receiver = endpoint(to);
  const auto arrival = static_cast<std::int64_t>(trace_.arrivals.size());
  trace_.add(ArrivalRecord{now_us_, to, conn_, segment, receiver.state(), false});
  const Segment seg = rec.seg;  // the receiver may send, and grow the vector
  const bool accepted = receiver.receive(now_us_, seg, arrival);
  trace_.arrivals[static_cast<std::size_t>(arrival)].accepted = accepted;
}

void Simulation::apply(const AppAction& action) {
  Endpoint& ep = endpoint(action.side);
  if (conn_ != 1) {
    // Application calls belong to the first connection.
    trace_.add(AppRecord{now_us_,
                         action.side,
                         conn_,
                         AppOp::Refused,
                         {},
                         0,
                         -1,
                         "scenario action for connection 1 after reopen"});
    return;
  }
  make_call(ep, now_us_, action);
}

void make_call(Endpoint& e, std::int64_t now_us, const AppAction& a) {
  switch (a.kind) {
    case AppAction::Kind::Send:
      return e.app_send(now_us, a.segments);
    case AppAction::Kind::Close:
      return e.app_close(now_us);
    case AppAction::Kind::Shutdown:
      return e.app_shutdown(now_us);
    case AppAction::Kind::Abort:
      return e.app_abort(now_us);
  }
}

void Simulation::after_step() {
  if (conn_ == 1)
    schedule_after_eof(
        scenario_, after_eof_scheduled_, [&](Side s) { return endpoint(s).eof_seen(); },
        [&](std::uint32_t i) {
          schedule(now_us_ + scenario_.actions[i].at_us, Event::Kind::App, i, 0);
        });
  if (scenario_.reopen && conn_ == 1 && endpoint(Side::A).state() == model::State::Closed &&
      endpoint(Side::B).state() == model::State::Closed)
    reopen();
}

void Simulation::reopen() {
  // The side that held TIME-WAIT (a, if none did) continues its sequence
  // space where connection 1 ended; the other side reuses its old ISN. That
  // is the worst case for the TIME-WAIT side: a segment its peer sent in
  // connection 1 lands at the new RCV.NXT with an acceptable ACK field
  // (docs/decisions.md, "reopen").
  Side holder = Side::A;
  for (const StepRecord& s : trace_.steps)
    if (s.conn == 1 && s.to == model::State::TimeWait) {
      holder = s.endpoint;
      break;
    }
  std::uint32_t holder_next = holder == Side::A ? scenario_.isn_a + 1 : scenario_.isn_b + 1;
  for (const SegmentRecord& r : trace_.segments)
    if (r.conn == 1 && r.from == holder && !r.seg.flags.rst && !r.injected) {
      const Seq end = r.seg.seq + r.seg.seg_len();
      if (end > Seq(holder_next)) holder_next = end.raw();
    }
  const std::uint32_t holder_iss = holder_next - 1;
  trace_.add_reopen(now_us_);
  if (holder == Side::A)
    start_connection(2, Seq(holder_iss), Seq(scenario_.isn_b));
  else
    start_connection(2, Seq(scenario_.isn_a), Seq(holder_iss));
}

}  // namespace fincheck
