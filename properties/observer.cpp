#include "properties/observer.hpp"

#include <algorithm>

#include "impl/duration.hpp"
#include "impl/ladder.hpp"
#include "impl/reference_endpoint.hpp"
#include "impl/simulation.hpp"
#include "model/machine.hpp"

namespace fincheck {

namespace {

using model::State;

int idx(Side s) { return s == Side::A ? 0 : 1; }
Side side_at(int i) { return i == 0 ? Side::A : Side::B; }
std::string at(std::int64_t us) { return format_seconds(us) + " s"; }
std::string seq_text(Seq s) { return std::to_string(s.raw()); }

// What the models send goes nowhere: the capture says what was sent. Each
// end's emissions since it last spoke are what it "would have allowed"; one
// the capture shows took place when the model sent it (a capture taken at
// the receiver sees it later).
struct Emission {
  Segment seg;
  std::int64_t at_us = 0;
  std::uint32_t arrivals_before = 0;
};
struct ModelWire final : Wire {
  std::vector<Emission> sent[2];
  const Trace* trace = nullptr;
  std::int64_t now_us = 0;  // set before every call into a model
  void transmit(Side from, int, const Segment& seg) override {
    sent[idx(from)].push_back(
        {seg, now_us, static_cast<std::uint32_t>(trace ? trace->arrivals.size() : 0)});
  }
};

// The timers whose firing changes a state and sends nothing the capture
// would show: they run out on their own.
constexpr TimerKind quiet_timers[] = {TimerKind::TimeWait, TimerKind::FinWait2,
                                      TimerKind::LastAck};

// What to do with one held segment before its receiver's next segment.
enum class Choice : std::uint8_t { Deliver, Lose, Keep };

}  // namespace

std::string_view to_string(Vantage v) {
  switch (v) {
    case Vantage::A:
      return "a";
    case Vantage::B:
      return "b";
    case Vantage::Path:
      return "path";
    default:
      return "both";
  }
}

std::optional<Vantage> vantage_named(std::string_view name) {
  for (Vantage v : {Vantage::A, Vantage::B, Vantage::Path, Vantage::Both})
    if (to_string(v) == name) return v;
  return std::nullopt;
}

struct ConnectionObserver::Configuration {
  Trace trace;
  ModelWire wire;
  std::unique_ptr<ReferenceEndpoint> end[2];
  std::vector<std::uint32_t> in_flight[2];  // segments sent by each side, not yet arrived
  std::optional<Seq> ack_low[2];            // the last ACK field each side sent
  std::optional<Seq> high[2];               // the end of the highest sequence space it sent
  std::int64_t last_us[2] = {0, 0};         // of the last event at each model
  std::uint32_t sent[2] = {0, 0};           // segments each side sent: the n of a fault
  bool fin_seen = false;                    // a FIN among the segments explained
  std::vector<RetransmissionTiming> retransmissions;
  std::vector<AppAction> actions;  // inferred; a write's bytes beside it
  std::vector<std::uint32_t> bytes;
  std::string failure_kind, failure;

  std::unique_ptr<Configuration> copy() const {
    auto c = std::make_unique<Configuration>();
    c->trace = trace;
    c->wire = wire;
    c->wire.trace = &c->trace;
    for (int d : {0, 1}) {
      c->end[d] = end[d]->copy_onto(c->trace, c->wire);
      c->in_flight[d] = in_flight[d];
      c->ack_low[d] = ack_low[d];
      c->high[d] = high[d];
      c->last_us[d] = last_us[d];
      c->sent[d] = sent[d];
    }
    c->fin_seen = fin_seen;
    c->retransmissions = retransmissions;
    c->actions = actions;
    c->bytes = bytes;
    return c;
  }

  // Two configurations with equal signatures explain everything to come alike.
  std::string signature() const {
    std::string s;
    s.reserve(2 * 20 * sizeof(std::int64_t));
    auto put = [&](std::int64_t v) { s.append(reinterpret_cast<const char*>(&v), sizeof v); };
    for (int d : {0, 1}) {
      const ReferenceEndpoint& e = *end[d];
      put(static_cast<std::int64_t>(e.state()));
      put(e.snd_una().raw());
      put(e.snd_nxt().raw());
      put(e.rcv_nxt().raw());
      put(e.write_end().raw());
      put(e.fin_seq() ? e.fin_seq()->raw() : -1);
      put(e.app_closed() * 2 + e.shut_for_writing());
      for (TimerKind k : all_timer_kinds) put(e.deadline_of(k).value_or(-1));
      put(static_cast<std::int64_t>(in_flight[d].size()));
      for (std::uint32_t i : in_flight[d]) put(i);
      put(ack_low[d] ? ack_low[d]->raw() : -1);
    }
    return s;
  }
};

ConnectionObserver::ConnectionObserver(const model::Parameters& params,
                                       std::optional<Vantage> vantage, const ObserverBounds& bounds)
    : params_(params), bounds_(bounds) {
  // How a stack cuts its bytes into segments is its own (RFC 9293 §3.7.4);
  // the capture shows it. Without Nagle the model sends what it is written
  // at once, so its SND.NXT keeps up with the capture's.
  params_.nagle = false;
  if (vantage) {
    vantage_ = *vantage;
    vantage_given_ = true;
    vantage_reason_ = "given";
  }
}

ConnectionObserver::~ConnectionObserver() = default;
ConnectionObserver::ConnectionObserver(ConnectionObserver&&) noexcept = default;
ConnectionObserver& ConnectionObserver::operator=(ConnectionObserver&&) noexcept = default;

bool ConnectionObserver::started() const { return !configs_.empty(); }

const Trace& ConnectionObserver::trace() const {
  static const Trace empty;
  return configs_.empty() ? empty : configs_.front()->trace;
}

const std::vector<RetransmissionTiming>& ConnectionObserver::retransmissions() const {
  static const std::vector<RetransmissionTiming> none;
  return configs_.empty() ? none : configs_.front()->retransmissions;
}

std::vector<std::string> ConnectionObserver::inferred() const {
  std::vector<std::string> out;
  if (configs_.empty()) return out;
  const Configuration& c = *configs_.front();
  for (std::size_t i = 0; i < c.actions.size(); ++i) {
    const AppAction& a = c.actions[i];
    const std::string what = a.kind == AppAction::Kind::Close      ? "close()"
                             : a.kind == AppAction::Kind::Shutdown ? "shutdown(SHUT_WR)"
                             : a.kind == AppAction::Kind::Abort
                                 ? "abort (SO_LINGER 0)"
                                 : "send() of " + std::to_string(c.bytes[i]) + " bytes";
    out.push_back(std::string(name_of(a.side)) + ": " + what + " by " + at(a.at_us));
  }
  return out;
}

void ConnectionObserver::observe(const ObservedSegment& s) {
  if (finished_ || divergence_) {
    ++unjudged_;
    return;
  }
  if (s.syn) {
    // The models begin ESTABLISHED: the handshake gives the ISNs and, by its
    // timing, the vantage.
    if (!started()) (s.seg.flags.ack ? syn_ack_ : syn_) = s;
    ++unjudged_;
    return;
  }
  if (!started()) {
    if (!s.seg.flags.ack) {  // a RST alone names no sequence number of the peer
      ++unjudged_;
      return;
    }
    start(s);
  }
  judge_all(s);
}

void ConnectionObserver::start(const ObservedSegment& s) {
  const bool handshake = syn_ && syn_ack_ && syn_ack_->from != syn_->from;
  origin_us_ = handshake ? syn_->at_us : s.at_us;
  if (!vantage_given_) {
    // On a host, its own reply follows what it answers at once; between
    // the hosts, neither does.
    if (handshake && s.from == syn_->from) {
      const std::int64_t to_syn_ack = syn_ack_->at_us - syn_->at_us;
      const std::int64_t to_ack = s.at_us - syn_ack_->at_us;
      const Side client = syn_->from;
      vantage_ = 4 * to_ack < to_syn_ack   ? (client == Side::A ? Vantage::A : Vantage::B)
                 : 4 * to_syn_ack < to_ack ? (client == Side::A ? Vantage::B : Vantage::A)
                                           : Vantage::Path;
      vantage_reason_ = "handshake: SYN to SYN/ACK " + format_duration(to_syn_ack) +
                        ", SYN/ACK to ACK " + format_duration(to_ack);
    } else {
      vantage_ = Vantage::Path;
      vantage_reason_ = "no handshake seen: path";
    }
  }
  Seq iss[2];
  if (handshake) {
    iss[idx(syn_->from)] = syn_->seg.seq;
    iss[idx(syn_ack_->from)] = syn_ack_->seg.seq;
  } else {
    // Joined mid-connection: each side's next byte is where this segment
    // says it is.
    iss[idx(s.from)] = s.seg.seq + static_cast<std::uint32_t>(-1);
    iss[1 - idx(s.from)] = s.seg.ack + static_cast<std::uint32_t>(-1);
  }
  iss_[0] = iss[0];
  iss_[1] = iss[1];
  auto c = std::make_unique<Configuration>();
  c->wire.trace = &c->trace;
  for (int d : {0, 1}) {
    EndpointSetup setup;
    setup.side = side_at(d);
    setup.iss = iss[d];
    setup.irs = iss[1 - d];
    setup.params = params_;
    setup.trace = &c->trace;
    setup.wire = &c->wire;
    c->end[d] = std::make_unique<ReferenceEndpoint>(setup, model::reference_table());
    c->ack_low[d] = iss[1 - d] + 1;
  }
  configs_.push_back(std::move(c));
  most_ = 1;
}

namespace {

// The ways of delivering, in order, the segments held on their way to the
// side now speaking: a held segment its ACK covers has arrived; any other
// arrived, was lost, or is still in flight with all after it. Deliveries
// first: the plan that loses nothing leads.
void delivery_plans(const Trace& t, const std::vector<std::uint32_t>& held, const Segment& now,
                    std::size_t limit, std::vector<std::vector<Choice>>& out) {
  std::vector<bool> covered(held.size());
  for (std::size_t i = 0; i < held.size(); ++i) {
    const Segment& p = t.segments[held[i]].seg;
    covered[i] = p.seg_len() > 0 && now.flags.ack && !(now.ack < p.seq + p.seg_len());
  }
  std::vector<Choice> plan;
  auto walk = [&](auto& self, std::size_t i) -> void {
    if (out.size() >= limit) return;
    if (i == held.size()) {
      out.push_back(plan);
      return;
    }
    plan.push_back(Choice::Deliver);
    self(self, i + 1);
    plan.pop_back();
    if (covered[i]) return;
    if (std::find(covered.begin() + static_cast<std::ptrdiff_t>(i), covered.end(), true) ==
        covered.end() && out.size() < limit) {
      plan.push_back(Choice::Keep);
      out.push_back(plan);
      plan.pop_back();
    }
    plan.push_back(Choice::Lose);
    self(self, i + 1);
    plan.pop_back();
  };
  walk(walk, 0);
}

class Judge {
 public:
  Judge(const model::Parameters& p, Vantage vantage) : p_(p), vantage_(vantage) {}

  // Fires the timers of side d's model that are overdue at `now`: those
  // that change state by more than the profile's tolerance, the delayed ACK
  // at its deadline.
  void catch_up(ConnectionObserver::Configuration& c, int d, std::int64_t now) const;
  void deliver(ConnectionObserver::Configuration& c, std::uint32_t record, std::int64_t now) const;
  // Where the vantage says a segment seen now is: arrived, or in flight.
  void deliver_or_hold(ConnectionObserver::Configuration& c, std::uint32_t record,
                       std::int64_t now) const;
  // Whether the configuration explains `s` (a segment from side x at `now`),
  // after `plan` delivered what was held towards x; `close` chooses close()
  // over shutdown() where a FIN needs one.
  // `copy`: `s` is the network's copy of the same segment seen before
  // (`copy` indexes it), not sent again.
  bool explain(ConnectionObserver::Configuration& c, const ObservedSegment& s, std::int64_t now,
               const std::vector<Choice>& plan, bool close,
               std::optional<std::uint32_t> copy) const;

 private:
  bool fail(ConnectionObserver::Configuration& c, std::string kind, std::string why) const {
    c.failure_kind = std::move(kind);
    c.failure = std::move(why);
    return false;
  }
  bool check(ConnectionObserver::Configuration& c, const ObservedSegment& s, std::int64_t now,
             bool close) const;
  void infer(ConnectionObserver::Configuration& c, int x, AppAction::Kind kind, std::int64_t now,
             std::uint32_t bytes) const;
  std::int64_t tolerance(TimerKind kind, const ReferenceEndpoint& e) const;

  const model::Parameters& p_;
  Vantage vantage_;
};

std::int64_t Judge::tolerance(TimerKind kind, const ReferenceEndpoint& e) const {
  const std::int64_t length = kind == TimerKind::TimeWait   ? p_.time_wait()
                              : kind == TimerKind::FinWait2 ? p_.fin_wait_2_timeout_us
                              : kind == TimerKind::LastAck  ? p_.last_ack_timeout_us
                                                            : e.rto_us();
  return p_.timer_tolerance_us(length);
}

void Judge::catch_up(ConnectionObserver::Configuration& c, int d, std::int64_t now) const {
  ReferenceEndpoint& e = *c.end[d];
  if (const auto ack = e.deadline_of(TimerKind::DelayedAck); ack && *ack <= now)
    e.fire_timer(TimerKind::DelayedAck, c.wire.now_us = std::max(*ack, c.last_us[d]));
  for (TimerKind k : quiet_timers)
    if (const auto due = e.deadline_of(k); due && *due + tolerance(k, e) < now)
      e.fire_timer(k, c.wire.now_us = std::max(*due, c.last_us[d]));
  c.last_us[d] = std::max(c.last_us[d], now);
}

void Judge::deliver(ConnectionObserver::Configuration& c, std::uint32_t record,
                    std::int64_t now) const {
  SegmentRecord& rec = c.trace.segments[record];
  const int to = 1 - idx(rec.from);
  const std::int64_t when = std::max({rec.sent_us, c.last_us[to], std::int64_t{0}});
  catch_up(c, to, std::min(when, now));
  ReferenceEndpoint& e = *c.end[to];
  const auto arrival = static_cast<std::int64_t>(c.trace.arrivals.size());
  c.trace.add(ArrivalRecord{when, side_at(to), 1, record, e.state(), false});
  if (rec.arrival_count < max_copies) rec.arrivals_us[rec.arrival_count++] = when;
  rec.fate = rec.arrival_count > 1 ? Fate::Duplicated : Fate::Delivered;
  const Segment seg = rec.seg;
  c.wire.now_us = when;
  c.trace.arrivals[static_cast<std::size_t>(arrival)].accepted = e.receive(when, seg, arrival);
  c.last_us[to] = when;
}

void Judge::infer(ConnectionObserver::Configuration& c, int x, AppAction::Kind kind,
                  std::int64_t now, std::uint32_t bytes) const {
  ReferenceEndpoint& e = *c.end[x];
  AppAction a;
  a.side = side_at(x);
  a.kind = kind;
  a.at_us = now;
  c.wire.now_us = now;
  switch (kind) {
    case AppAction::Kind::Close:
      e.app_close(now);
      break;
    case AppAction::Kind::Shutdown:
      e.app_shutdown(now);
      break;
    case AppAction::Kind::Abort:
      e.app_abort(now);
      break;
    default:
      e.app_write(now, bytes);
      // The scenario's unit is the 100-byte segment.
      a.segments = (bytes + data_segment_bytes - 1) / data_segment_bytes;
  }
  c.actions.push_back(a);
  c.bytes.push_back(bytes);
}

bool Judge::explain(ConnectionObserver::Configuration& c, const ObservedSegment& s,
                    std::int64_t now, const std::vector<Choice>& plan, bool close,
                    std::optional<std::uint32_t> copy) const {
  const int x = idx(s.from);
  std::vector<std::uint32_t>& held = c.in_flight[1 - x];
  std::size_t taken = 0;
  for (; taken < plan.size() && plan[taken] != Choice::Keep; ++taken)
    if (plan[taken] == Choice::Deliver) deliver(c, held[taken], now);
  held.erase(held.begin(), held.begin() + static_cast<std::ptrdiff_t>(taken));
  catch_up(c, x, now);
  if (copy) {
    if (c.trace.segments[*copy].arrival_count >= max_copies) return fail(c, "segment", "more copies than a network makes");
    deliver_or_hold(c, *copy, now);
    return true;
  }
  c.wire.now_us = now;
  const bool ok = check(c, s, now, close);
  const auto record = static_cast<std::uint32_t>(c.trace.segments.size());
  SegmentRecord& rec = c.trace.add_segment();
  rec.from = s.from;
  rec.n = ++c.sent[x];
  rec.sent_us = now;
  rec.seg = s.seg;
  rec.fate = Fate::Dropped;  // until it is delivered
  rec.arrivals_before = static_cast<std::uint32_t>(c.trace.arrivals.size());
  if (!ok) return false;
  c.fin_seen |= s.seg.flags.fin;
  // The model's own copy of it, if it sent one: then is when it left.
  const auto& sent = c.wire.sent[x];
  for (auto m = sent.rbegin(); m != sent.rend(); ++m)
    if (m->seg.seq == s.seg.seq && m->seg.len == s.seg.len && m->seg.flags.fin == s.seg.flags.fin &&
        m->seg.flags.rst == s.seg.flags.rst && (s.seg.flags.rst || m->seg.ack == s.seg.ack)) {
      rec.sent_us = m->at_us;
      rec.arrivals_before = m->arrivals_before;
      break;
    }
  c.wire.sent[x].clear();
  deliver_or_hold(c, record, now);
  return true;
}

void Judge::deliver_or_hold(ConnectionObserver::Configuration& c, std::uint32_t record,
                            std::int64_t now) const {
  const int x = idx(c.trace.segments[record].from);
  const bool arrived = vantage_ == Vantage::Both || (vantage_ == Vantage::A && x == 1) ||
                       (vantage_ == Vantage::B && x == 0);
  if (arrived)
    deliver(c, record, now);
  else
    c.in_flight[x].push_back(record);
}

bool Judge::check(ConnectionObserver::Configuration& c, const ObservedSegment& s,
                  std::int64_t now, bool close) const {
  const int x = idx(s.from);
  ReferenceEndpoint& e = *c.end[x];
  const Segment& seg = s.seg;
  const std::string who = std::string(name_of(s.from));
  auto model_at = [&] {
    std::string out = "the model at " + who + " is in " + std::string(model::to_string(e.state())) +
                      " (SND.UNA " + seq_text(e.snd_una()) + ", SND.NXT " +
                      seq_text(e.snd_nxt()) + ", RCV.NXT " + seq_text(e.rcv_nxt()) + ")";
    std::string sends;
    for (const Emission& m : c.wire.sent[x])
      sends += (sends.empty() ? "" : ", ") + describe_segment(m.seg) + " at " + at(m.at_us);
    return out + (sends.empty() ? "; it has sent nothing since " + who + " last spoke"
                                : "; it would have sent " + sends);
  };
  const State state = e.state();
  auto allowed = [&](AppOp op) {
    return call_allowed(state, e.app_closed(), e.shut_for_writing(), op);
  };
  if (seg.flags.rst) {
    auto sent_rst = [&] {
      return std::any_of(c.wire.sent[x].begin(), c.wire.sent[x].end(),
                         [&](const Emission& m) { return m.seg.flags.rst && m.seg.seq == seg.seq; });
    };
    if (!sent_rst() && allowed(AppOp::Abort)) infer(c, x, AppAction::Kind::Abort, now, 0);
    if (!sent_rst()) return fail(c, "segment", "a RST there; " + model_at());
    return true;
  }
  if (state == State::Closed)
    return fail(c, "segment", "the model at " + who +
                                  " has deleted its TCB (CLOSED): it would answer only with a RST");
  if (seg.len > 0 || seg.flags.fin) {
    const Seq data_end = seg.seq + seg.len;
    if (e.write_end() < data_end) {
      if (!allowed(AppOp::Send))
        return fail(c, "segment",
                    "data up to " + seq_text(data_end) + " after " + who +
                        "'s application could no longer write (it wrote up to " +
                        seq_text(e.write_end()) + "); " + model_at());
      infer(c, x, AppAction::Kind::Send, now,
            static_cast<std::uint32_t>(data_end.since(e.write_end())));
    }
    if (seg.flags.fin && !e.fin_seq()) {
      if (!allowed(close ? AppOp::Close : AppOp::Shutdown))
        return fail(c, "segment", "a FIN the model's application cannot ask for; " + model_at());
      infer(c, x, close ? AppAction::Kind::Close : AppAction::Kind::Shutdown, now, 0);
    }
    if (seg.flags.fin && (!e.fin_seq() || *e.fin_seq() != data_end))
      return fail(c, "segment",
                  "a FIN at " + seq_text(data_end) + "; the model's FIN is at " +
                      (e.fin_seq() ? seq_text(*e.fin_seq()) : "none") + "; " + model_at());
    if (!seg.flags.fin && e.fin_seq() && *e.fin_seq() < data_end)
      return fail(c, "segment", "data past the model's FIN at " + seq_text(*e.fin_seq()));
    if (c.high[x] && seg.seq < *c.high[x]) {
      // A retransmission (RFC 6298): the model's timer goes off with it, no
      // sooner than the minimum RTO after it was armed; or its tail loss
      // probe (RFC 8985) does.
      if (e.deadline_of(TimerKind::Probe)) {
        e.fire_timer(TimerKind::Probe, now);
      } else if (const auto rto = e.rto_window()) {
        const auto [armed, floor] = *rto;
        if (now < armed + floor - tolerance(TimerKind::Rto, e))
          return fail(c, "timer",
                      "a retransmission " + format_duration(now - armed) +
                          " after the model armed its retransmission timer (" + at(armed) +
                          "); the minimum RTO is " + format_duration(floor));
        c.retransmissions.push_back({s.from, s.frame, now, now - armed, floor});
        e.fire_timer(TimerKind::Rto, now);
      } else {
        return fail(c, "segment", "a retransmission with nothing unacknowledged; " + model_at());
      }
    }
    const Seq end = seg.seq + seg.seg_len();
    if (!c.high[x] || *c.high[x] < end) c.high[x] = end;
  } else if (e.write_end() < seg.seq && allowed(AppOp::Send)) {
    // Data this side sent that the capture has not shown (lost before the
    // capture point, or still on its way): written all the same.
    infer(c, x, AppAction::Kind::Send, now, static_cast<std::uint32_t>(seg.seq.since(e.write_end())));
  } else if (seg.seq < e.snd_una() || e.snd_nxt() < seg.seq) {
    return fail(c, "segment", "an ACK at seq " + seq_text(seg.seq) + " outside [SND.UNA, SND.NXT]; " +
                                  model_at());
  }
  if (seg.flags.ack) {
    if (e.rcv_nxt() < seg.ack)
      return fail(c, "segment", "it acknowledges up to " + seq_text(seg.ack) +
                                    ", past what the model has received; " + model_at());
    if (c.ack_low[x] && seg.ack < *c.ack_low[x])
      return fail(c, "segment", "its ACK " + seq_text(seg.ack) + " is below the " +
                                    seq_text(*c.ack_low[x]) + " it sent before");
    c.ack_low[x] = seg.ack;
  }
  return true;
}

}  // namespace

// Before the first FIN, a moment with no text held for reassembly ends
// what the trace keeps of the data phase but the segments still in flight:
// the invariants judge the teardown, and a long transfer would otherwise
// make every copy of a configuration longer.
void ConnectionObserver::forget_data_phase(Configuration& c) const {
  constexpr std::size_t kept = 64;
  if (c.fin_seen || c.trace.segments.size() < kept) return;
  for (int d : {0, 1})
    if (c.end[d]->holds_text()) return;
  std::vector<std::uint32_t*> held;
  for (auto& flight : c.in_flight)
    for (std::uint32_t& i : flight) held.push_back(&i);
  std::sort(held.begin(), held.end(), [](auto* x, auto* y) { return *x < *y; });
  Trace rest;
  for (std::uint32_t* i : held) {
    SegmentRecord r = c.trace.segments[*i];
    r.arrivals_before = 0;
    *i = static_cast<std::uint32_t>(rest.segments.size());
    rest.add(r);
  }
  c.trace = std::move(rest);
  for (auto& sent : c.wire.sent)
    for (Emission& e : sent) e.arrivals_before = 0;
  // The writes so far become one per side, at the first one's time: only
  // data flowed before a quiet moment with no FIN.
  std::vector<AppAction> actions;
  std::vector<std::uint32_t> bytes;
  for (std::size_t i = 0; i < c.actions.size(); ++i) {
    const auto same = std::find_if(actions.begin(), actions.end(), [&](const AppAction& a) {
      return a.side == c.actions[i].side && a.kind == AppAction::Kind::Send;
    });
    if (c.actions[i].kind != AppAction::Kind::Send || same == actions.end()) {
      actions.push_back(c.actions[i]);
      bytes.push_back(c.bytes[i]);
      continue;
    }
    const auto at = static_cast<std::size_t>(same - actions.begin());
    bytes[at] += c.bytes[i];
    same->segments = (bytes[at] + data_segment_bytes - 1) / data_segment_bytes;
  }
  c.actions = std::move(actions);
  c.bytes = std::move(bytes);
}

void ConnectionObserver::judge_all(const ObservedSegment& s) {
  const std::int64_t now = std::max<std::int64_t>(0, s.at_us - origin_us_);
  const int x = idx(s.from);
  const Judge judge(params_, vantage_);
  std::vector<std::unique_ptr<Configuration>> next;
  std::vector<std::string> seen;  // the signatures in `next`: a few
  std::unique_ptr<Configuration> first_failed;
  for (std::unique_ptr<Configuration>& c : configs_) {
    std::vector<std::vector<Choice>> plans;
    delivery_plans(c->trace, c->in_flight[1 - x], s.seg, bounds_.configurations, plans);
    // A FIN its model has not queued: close() or shutdown(), both kept.
    const std::size_t calls = s.seg.flags.fin && !c->end[x]->fin_seq() ? 2 : 1;
    // A segment equal to one seen before may be the network's copy of it
    // (RFC 9293 §3.4: duplicates), not sent again -- unless the capture is
    // on its sender's host, before the network.
    std::optional<std::uint32_t> earlier;
    const bool at_sender = (vantage_ == Vantage::A && x == 0) || (vantage_ == Vantage::B && x == 1);
    for (std::size_t r = at_sender ? 0 : c->trace.segments.size(); r-- > 0;) {
      const SegmentRecord& e = c->trace.segments[r];
      if (e.from == s.from && e.seg.seq == s.seg.seq && e.seg.ack == s.seg.ack &&
          e.seg.len == s.seg.len && e.seg.flags == s.seg.flags && e.arrival_count > 0) {
        earlier = static_cast<std::uint32_t>(r);
        break;
      }
    }
    const std::size_t sent_ways = plans.size() * calls;
    const std::size_t ways = sent_ways + (earlier ? plans.size() : 0);
    for (std::size_t w = 0; w < ways; ++w) {
      if (next.size() >= bounds_.configurations) {
        bounded_ = true;
        break;
      }
      std::unique_ptr<Configuration> k = w + 1 < ways ? c->copy() : std::move(c);
      const bool copy = w >= sent_ways;
      const std::size_t plan = copy ? w - sent_ways : w / calls;
      if (!judge.explain(*k, s, now, plans[plan], !copy && w % calls == 0,
                         copy ? earlier : std::nullopt)) {
        if (!first_failed) first_failed = std::move(k);
        continue;
      }
      std::string signature = k->signature();
      if (std::find(seen.begin(), seen.end(), signature) == seen.end()) {
        seen.push_back(std::move(signature));
        forget_data_phase(*k);
        next.push_back(std::move(k));
      }
    }
  }
  if (!next.empty()) {
    configs_ = std::move(next);
    most_ = std::max(most_, configs_.size());
    return;
  }
  // No configuration explains it: the first one's reason is reported, and
  // its trace, up to this segment, is the one kept.
  ObservedDivergence d;
  d.kind = first_failed->failure_kind;
  d.frame = s.frame;
  d.at_us = now;
  d.side = s.from;
  d.segment = describe_segment(s.seg);
  d.message = first_failed->failure;
  d.state = first_failed->end[x]->state();
  for (const StepRecord& step : first_failed->trace.steps)
    if (step.endpoint == s.from && step.row >= 0) d.row = step.row;
  divergence_ = std::move(d);
  configs_.clear();
  configs_.push_back(std::move(first_failed));
}

void ConnectionObserver::finish() {
  if (finished_ || configs_.empty()) return;
  finished_ = true;
  const Judge judge(params_, vantage_);
  for (std::unique_ptr<Configuration>& c : configs_) {
    // What is still in flight arrived after the capture's last segment --
    // unless its receiver is gone: then it is counted lost.
    for (int d : {0, 1}) {
      for (std::uint32_t r : c->in_flight[d])
        if (divergence_ || c->end[1 - d]->state() == State::Closed)
          c->trace.segments[r].fate = Fate::Dropped;
        else
          judge.deliver(*c, r, c->trace.segments[r].sent_us);
      c->in_flight[d].clear();
    }
    // The timers that send nothing the capture could show run out; a
    // retransmission the capture did not show is left undone.
    std::int64_t end_us = std::max(c->last_us[0], c->last_us[1]);
    for (int d : {0, 1}) {
      ReferenceEndpoint& e = *c->end[d];
      for (int guard = 0; guard < 8; ++guard) {
        std::optional<std::int64_t> due;
        TimerKind kind = TimerKind::TimeWait;
        for (TimerKind k : quiet_timers)
          if (const auto t = e.deadline_of(k); t && (!due || *t < *due)) {
            due = t;
            kind = k;
          }
        if (!due || divergence_) break;
        e.fire_timer(kind, std::max(*due, c->last_us[d]));
        end_us = std::max(end_us, *due);
      }
      c->trace.final_states[static_cast<std::size_t>(d)] = e.state();
    }
    c->trace.end_us = end_us;
  }
}

Scenario ConnectionObserver::scenario() const {
  // The model numbers its own segments: a loss of a segment it never sends
  // in the replay is left out, so that `run` takes the file.
  Scenario out = inferred_scenario();
  Simulation sim(out);
  sim.run();
  for (const SegmentFault* f : sim.unused_faults())
    std::erase_if(out.faults,
                  [&](const SegmentFault& g) { return g.from == f->from && g.n == f->n; });
  return out;
}

Scenario ConnectionObserver::inferred_scenario() const {
  Scenario sc;
  sc.source = "<capture>";
  sc.params = params_;
  if (configs_.empty()) return sc;
  const Configuration& c = *configs_.front();
  sc.isn_a = iss_[0].raw();
  sc.isn_b = iss_[1].raw();
  sc.actions = c.actions;
  std::vector<std::int64_t> delays;
  // The divergent segment, last, is no loss: the model never sent it.
  const std::size_t judged = c.trace.segments.size() - (divergence_ ? 1 : 0);
  for (std::size_t i = 0; i < judged; ++i) {
    const SegmentRecord& r = c.trace.segments[i];
    if (r.fate == Fate::Dropped) sc.fault_slot(r.from, r.n).drop = true;
    if (r.arrival_count > 0) delays.push_back(r.arrivals_us[0] - r.sent_us);
  }
  if (!delays.empty()) {
    std::nth_element(delays.begin(), delays.begin() + static_cast<std::ptrdiff_t>(delays.size() / 2),
                     delays.end());
    sc.delay_us = std::clamp<std::int64_t>(delays[delays.size() / 2], 1, params_.msl_us);
  }
  return sc;
}

std::vector<Verdict> ConnectionObserver::verdicts() const {
  // A divergent connection has only its divergence: the model's run past
  // it is no account of the stack's.
  if (divergence_ || configs_.empty()) return {};
  const Scenario sc = inferred_scenario();
  return check_all(Run{sc, trace()});
}

}  // namespace fincheck
