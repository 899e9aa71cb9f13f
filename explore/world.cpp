#include "explore/world.hpp"

#include <algorithm>
#include <cassert>
#include <limits>

#include "impl/simulation.hpp"

namespace fincheck::explore {

namespace {
constexpr std::int64_t not_yet = std::numeric_limits<std::int64_t>::max();
}  // namespace

World::World(const Scenario& scenario, const model::TableVariant& table, const Budget& budget,
             bool reorder, bool detailed)
    : scenario_(&scenario),
      left_(budget),
      reorder_(reorder),
      horizon_us_(run_horizon_us(scenario)),
      event_cap_(run_event_cap(scenario)) {
  // The log and timer records are for ladders; no invariant reads them,
  // and the counterexample is drawn from its replay.
  trace_.detailed = detailed;
  for (Side s : {Side::A, Side::B}) {
    EndpointSetup setup;
    setup.side = s;
    setup.conn = 1;
    setup.iss = Seq(s == Side::A ? scenario.isn_a : scenario.isn_b);
    setup.irs = Seq(s == Side::A ? scenario.isn_b : scenario.isn_a);
    setup.params = scenario.params;
    setup.trace = &trace_;
    setup.wire = this;
    setup.run = this;
    setup.reads = scenario.reads[idx(s)];
    endpoints_[idx(s)] = std::make_unique<ReferenceEndpoint>(setup, table);
  }
  for (std::uint32_t i = 0; i < scenario.actions.size(); ++i)
    if (!scenario.actions[i].after_eof) calls_.push_back({scenario.actions[i].at_us, order_++, i});
  std::stable_sort(calls_.begin(), calls_.end(),
                   [](const Call& x, const Call& y) { return x.at_us < y.at_us; });
}

namespace {

// A copy with room for the records of a few more events: a copy's vectors
// are exactly full, and each successor adds to most of them (one allocation
// per vector, not a copy and then a regrowth).
template <class T>
std::vector<T> with_room(const std::vector<T>& v) {
  std::vector<T> out;
  if (v.empty()) return out;
  out.reserve(v.size() + 4);
  out.assign(v.begin(), v.end());
  return out;
}

Trace copy_with_room(const Trace& t) {
  static_assert(sizeof(Trace) == 216, "Trace has a new member: copy it here too");
  Trace c;
  c.detailed = t.detailed;
  c.log = with_room(t.log);
  c.segments = with_room(t.segments);
  c.arrivals = with_room(t.arrivals);
  c.steps = with_room(t.steps);
  c.timers = with_room(t.timers);
  c.app = with_room(t.app);
  c.stack_errors = t.stack_errors;
  c.final_states = t.final_states;
  c.connections = t.connections;
  c.reopened_at_us = t.reopened_at_us;
  c.end_us = t.end_us;
  c.cut_off = t.cut_off;
  c.event_cap = t.event_cap;
  return c;
}

}  // namespace

World::World(const World& o)
    : Wire(o),
      scenario_(o.scenario_),
      trace_(copy_with_room(o.trace_)),
      calls_(o.calls_),
      flights_(o.flights_),
      unfated_(o.unfated_),
      left_(o.left_),
      reorder_(o.reorder_),
      over_budget_(o.over_budget_),
      sent_(o.sent_),
      order_(o.order_),
      after_eof_scheduled_(o.after_eof_scheduled_),
      events_(o.events_),
      now_us_(o.now_us_),
      last_mark_(o.last_mark_),
      after_step_due_(o.after_step_due_),
      ended_(o.ended_),
      horizon_us_(o.horizon_us_),
      event_cap_(o.event_cap_) {
  for (Side s : {Side::A, Side::B})
    endpoints_[idx(s)] = o.endpoints_[idx(s)]->copy_onto(trace_, *this);
}

void World::transmit(Side from, int conn, const Segment& seg) {
  SegmentRecord& rec = trace_.add_segment();
  rec.conn = conn;
  rec.from = from;
  rec.n = ++sent_[idx(from)];
  rec.sent_us = now_us_;
  rec.seg = seg;
  rec.arrivals_before = static_cast<std::uint32_t>(trace_.arrivals.size());
  unfated_.push_back(static_cast<std::uint32_t>(trace_.segments.size() - 1));
}

std::vector<SendFate> World::fates() const {
  std::vector<SendFate> out{SendFate::Deliver};
  if (left_.drops > 0) out.push_back(SendFate::Drop);
  if (left_.dups > 0) out.push_back(SendFate::Duplicate);
  return out;
}

void World::fate(SendFate f) {
  assert(!unfated_.empty());
  const std::uint32_t index = unfated_.front();
  unfated_.erase(unfated_.begin());
  if (f == SendFate::Drop) {
    trace_.segments[index].fate = Fate::Dropped;
    --left_.drops;
    return;
  }
  // Scheduled now, in send order, as the simulator schedules at transmit.
  const std::int64_t most = now_us_ + scenario_->delay_bound_us();
  flights_.push_back({index, false, now_us_ + scenario_->delay_us, most, order_++});
  if (f == SendFate::Duplicate) {
    flights_.push_back({index, true, not_yet, most, order_++});
    --left_.dups;
  }
}

std::optional<World::Due> World::next_due() const {
  std::optional<Due> due;
  if (!calls_.empty()) due = Due{calls_.front().at_us, true, calls_.front().order};
  for (const auto& e : endpoints_)
    if (const auto d = e->next_deadline(); d && (!due || *d < due->at_us))
      due = Due{*d, false, 0};
  return due;
}

std::int64_t World::earliest(const Flight& f) const {
  // At the last event's instant only what the simulator would run after
  // it: scheduled later (a call or arrival goes in the order scheduled, and
  // everything scheduled before a timer ran before it).
  const std::int64_t after_last = f.order >= last_mark_ ? now_us_ : now_us_ + 1;
  return std::max(f.least_us, after_last);
}

bool World::eligible(std::size_t k) const {
  const Flight& f = flights_[k];
  for (std::size_t j = 0; j < k; ++j) {
    const Flight& g = flights_[j];
    // A second copy waits for its first; with order kept, a segment waits
    // for those its direction sent before it.
    if (f.second && g.segment == f.segment) return false;
    if (!reorder_ && !f.second && !g.second &&
        trace_.segments[g.segment].from == trace_.segments[f.segment].from)
      return false;
  }
  return true;
}

std::vector<Next> World::next_events() const {
  std::vector<Next> out;
  const std::optional<Due> due = next_due();
  bool due_first = due.has_value();
  for (const Flight& f : flights_) due_first &= due && due->at_us < f.most_us;
  if (due_first) out.push_back(Next{Next::Kind::Scheduled, 0, due->at_us});
  for (std::size_t k = 0; k < flights_.size(); ++k) {
    if (!eligible(k)) continue;
    const Flight& f = flights_[k];
    const std::int64_t lo = earliest(f);
    // The latest it can come next: before every other copy's MSL and before
    // the next call or timer (at a timer's instant it still goes first, at
    // a call's only if scheduled before it).
    std::int64_t hi = f.most_us;
    for (std::size_t j = 0; j < flights_.size(); ++j)
      if (j != k) hi = std::min(hi, flights_[j].most_us - (flights_[j].order > f.order ? 0 : 1));
    if (due) hi = std::min(hi, due->at_us - (due->call && due->order < f.order ? 1 : 0));
    if (lo > hi) continue;
    // A first copy that arrives later than its least delay spends a delay.
    const bool free = f.second || f.late;
    if (lo == f.least_us || free || left_.delays > 0) out.push_back(Next{Next::Kind::Arrival, k, lo});
    if (hi > lo && (free || left_.delays > 0)) out.push_back(Next{Next::Kind::Arrival, k, hi});
  }
  return out;
}

void World::take(const Next& next) {
  if (next.kind == Next::Kind::Arrival) {
    if (++events_ > event_cap_) {
      finish(true, event_cap_);
      return;
    }
    arrive(next.flight, next.at_us);
  } else {
    const Due due = *next_due();
    if (due.call && ++events_ > event_cap_) {
      finish(true, event_cap_);
      return;
    }
    step_due(due);
  }
  charge_late();
  after_step_due_ = true;
}

void World::arrive(std::size_t k, std::int64_t at_us) {
  const Flight f = flights_[k];
  flights_.erase(flights_.begin() + static_cast<std::ptrdiff_t>(k));
  if (!f.second && !f.late && at_us > f.least_us) {
    if (left_.delays == 0) over_budget_ = true;
    else --left_.delays;
  }
  // Its second copy may come from now on; with order kept, so may what its
  // direction sent after it, and no sooner (held back, not delayed).
  const Side from = trace_.segments[f.segment].from;
  for (Flight& g : flights_) {
    if (g.second && g.segment == f.segment) g.least_us = at_us;
    if (!reorder_ && !f.second && !g.second && trace_.segments[g.segment].from == from)
      g.least_us = std::max(g.least_us, at_us);
  }
  now_us_ = at_us;
  last_mark_ = f.order + 1;
  SegmentRecord& rec = trace_.segments[f.segment];
  rec.arrivals_us[rec.arrival_count++] = at_us;
  if (f.second) rec.fate = Fate::Duplicated;
  const Side to = peer_of(rec.from);
  ReferenceEndpoint& receiver = *endpoints_[idx(to)];
  const auto arrival = static_cast<std::int64_t>(trace_.arrivals.size());
  trace_.add(ArrivalRecord{now_us_, to, 1, f.segment, receiver.state(), false});
  const Segment seg = rec.seg;  // the receiver may send, and grow the vector
  const bool accepted = receiver.receive(now_us_, seg, arrival);
  trace_.arrivals[static_cast<std::size_t>(arrival)].accepted = accepted;
}

void World::step_due(const Due& due) {
  now_us_ = due.at_us;
  if (!due.call) {
    last_mark_ = order_;
    std::array<std::optional<std::int64_t>, 2> timers{endpoints_[0]->next_deadline(),
                                                      endpoints_[1]->next_deadline()};
    for (Side s : {Side::A, Side::B})
      if (timers[idx(s)] == now_us_) endpoints_[idx(s)]->advance(now_us_);
    return;
  }
  const Call call = calls_.front();
  calls_.erase(calls_.begin());
  last_mark_ = call.order + 1;
  const AppAction& a = scenario_->actions[call.action];
  make_call(*endpoints_[idx(a.side)], now_us_, a);
}

void World::charge_late() {
  // A copy that can no longer arrive at its least delay is late from now
  // on. One held back by an earlier segment of its direction is not: it
  // may come once that one has (arrive() moves its least delay).
  for (std::size_t k = 0; k < flights_.size(); ++k) {
    Flight& f = flights_[k];
    if (f.second || f.late || !eligible(k) || earliest(f) <= f.least_us) continue;
    f.late = true;
    if (left_.delays == 0)
      over_budget_ = true;
    else
      --left_.delays;
  }
}

void World::after_step() {
  schedule_after_eof(
      *scenario_, after_eof_scheduled_,
      [&](Side s) { return endpoints_[idx(s)]->eof_seen(); },
      [&](std::uint32_t i) {
        const Call c{now_us_ + scenario_->actions[i].at_us, order_++, i};
        calls_.insert(std::upper_bound(calls_.begin(), calls_.end(), c,
                                       [](const Call& x, const Call& y) {
                                         return x.at_us < y.at_us;
                                       }),
                      c);
      });
}

void World::finish(bool cut_off, std::uint64_t cap) {
  ended_ = cut_off ? Stop::CutOff : Stop::Ended;
  trace_.cut_off = cut_off;
  trace_.event_cap = cap;
  trace_.end_us = now_us_;
  trace_.final_states = {endpoints_[0]->state(), endpoints_[1]->state()};
}

World::Stop World::run() {
  for (;;) {
    if (ended_ != Stop::Choose) return ended_;
    if (!unfated_.empty()) return Stop::Choose;
    if (after_step_due_) {
      after_step_due_ = false;
      after_step();
    }
    if (!flights_.empty()) return Stop::Choose;
    const std::optional<Due> due = next_due();
    if (!due) {
      finish(false, 0);
      continue;
    }
    if (due->at_us > horizon_us_) {
      finish(true, 0);
      continue;
    }
    if (due->call && ++events_ > event_cap_) {
      finish(true, event_cap_);
      continue;
    }
    step_due(*due);
    after_step_due_ = true;
  }
}

void World::fingerprint(Fingerprint& f) const {
  for (const auto& e : endpoints_) e->fingerprint(f, now_us_);
  f.add(left_.drops);
  f.add(left_.dups);
  f.add(left_.delays);
  auto segment = [&](std::uint32_t index) {
    const SegmentRecord& r = trace_.segments[index];
    f.add(r.from == Side::A);
    f.add(r.seg.seq.raw());
    f.add(r.seg.ack.raw());
    f.add(r.seg.len);
    f.add(std::uint32_t{r.seg.flags.fin} | std::uint32_t{r.seg.flags.ack} << 1 |
          std::uint32_t{r.seg.flags.rst} << 2 | std::uint32_t{r.seg.flags.psh} << 3);
  };
  // Orders only as they rank against each other and the last event.
  f.add(static_cast<std::uint32_t>(flights_.size()));
  for (const Flight& x : flights_) {
    segment(x.segment);
    f.add(x.second);
    f.add(x.least_us == not_yet ? std::int64_t{-1} : x.least_us - now_us_);
    f.add(x.most_us - now_us_);
    f.add(x.late);
    f.add(x.order >= last_mark_);
  }
  f.add(static_cast<std::uint32_t>(calls_.size()));
  for (const Call& c : calls_) {
    f.add(c.at_us - now_us_);
    f.add(c.action);
    f.add(c.order >= last_mark_);
    f.add(static_cast<std::uint32_t>(
        std::count_if(flights_.begin(), flights_.end(),
                      [&](const Flight& x) { return x.order < c.order; })));
  }
  f.add(static_cast<std::uint32_t>(unfated_.size()));
  for (std::uint32_t i : unfated_) segment(i);
  f.add(after_eof_scheduled_);
  f.add(after_step_due_);
  f.add(events_);
}

}  // namespace fincheck::explore
