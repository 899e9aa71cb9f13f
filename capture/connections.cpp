#include "capture/connections.hpp"

#include <algorithm>

#include "impl/segment.hpp"

namespace fincheck::capture {

namespace {

constexpr std::uint8_t fin = 0x01, syn = 0x02, rst = 0x04, ack = 0x10;

}  // namespace

ConnectionTable::ConnectionTable(std::int64_t linger_us, Done done, MakeSink make_sink)
    : linger_us_(linger_us), done_(std::move(done)), make_sink_(std::move(make_sink)) {}

std::optional<int> Connection::active() const {
  if (!fin_at_us[0] && !fin_at_us[1]) return std::nullopt;
  if (!fin_at_us[1]) return 0;
  if (!fin_at_us[0]) return 1;
  return *fin_at_us[1] < *fin_at_us[0] ? 1 : 0;
}

bool Connection::simultaneous() const {
  const auto first = active();
  if (!first || !fin_at_us[1 - *first]) return false;
  // A FIN riding on the ACK of the first (a three-segment close) is no crossing.
  return !fin_acked_at_us[*first] || *fin_at_us[1 - *first] < *fin_acked_at_us[*first];
}

void ConnectionTable::hand_on(std::map<Key, Connection>::iterator it) {
  const Connection& c = it->second;
  previous_[it->first] = {c.incarnation, c.last_us, c.a, {c.last_tsval[0], c.last_tsval[1]}};
  previous_expiry_.emplace(c.last_us + 4 * linger_us_, it->first);
  done_(c);
  live_.erase(it);
}

void ConnectionTable::retire(std::int64_t now_us) {
  while (!previous_expiry_.empty() && previous_expiry_.front().first <= now_us) {
    const auto it = previous_.find(previous_expiry_.front().second);
    if (it != previous_.end() && it->second.last_us + 4 * linger_us_ <= now_us) previous_.erase(it);
    previous_expiry_.pop();
  }
  while (!ended_.empty() && ended_.top().first <= now_us) {
    const Key key = ended_.top().second;
    ended_.pop();
    const auto it = live_.find(key);
    // Still ended, and quiet for the whole linger since its last segment.
    if (it != live_.end() && it->second.ended() && it->second.last_us + linger_us_ <= now_us)
      hand_on(it);
  }
}

void ConnectionTable::add(std::int64_t at_us, std::uint64_t frame, const TcpHeader& h) {
  retire(at_us);
  const Endpoint src{h.src, h.src_port}, dst{h.dst, h.dst_port};
  const Key key = src < dst ? Key{src, dst} : Key{dst, src};
  auto it = live_.find(key);
  const bool opening = (h.flags & syn) && !(h.flags & ack);
  // A SYN that is not the one already seen opens a new incarnation once the
  // old one ended (RFC 9293 §3.10.7.4 lets TIME-WAIT take it, RFC 6191).
  if (it != live_.end() && opening && it->second.ended() &&
      (!it->second.syn_seq || *it->second.syn_seq != h.seq)) {
    hand_on(it);
    it = live_.end();
  }
  if (it == live_.end()) {
    Connection c;
    c.id = next_id_++;
    c.a = src;
    c.b = dst;
    const auto before = previous_.find(key);
    if (before != previous_.end()) {
      const Previous& p = before->second;
      c.incarnation = p.incarnation + 1;
      c.reused_after_us = at_us - p.last_us;
      // RFC 6191 §2: the SYN's timestamp above the last one the old
      // connection's peer (the side it now reaches) sent.
      const int peer = dst == p.a ? 0 : 1;
      c.reuse_timestamps_newer =
          h.tsval && p.last_tsval[peer] && Seq(*p.last_tsval[peer]) < Seq(*h.tsval);
    }
    c.handshake_seen = opening;
    c.first_frame = frame;
    c.first_us = at_us;
    if (make_sink_) c.sink = make_sink_(c);
    it = live_.emplace(key, std::move(c)).first;
    most_open_ = std::max(most_open_, live_.size());
  }
  Connection& c = it->second;
  const int d = src == c.a ? 0 : 1;
  if (c.sink) c.sink->segment(at_us, frame, d, h);
  const bool was_closed = c.fin_acked(0) && c.fin_acked(1);
  c.last_us = std::max(c.last_us, at_us);
  ++c.segments[d];
  c.bytes[d] += h.payload;
  if (h.tsval) c.last_tsval[d] = h.tsval;
  if (opening) {
    c.syn_seq = h.seq;
    c.syn_tsval = h.tsval;
  }
  if (h.flags & rst) {
    ++c.rsts[d];
    if (was_closed && !c.rst_after_close) c.rst_after_close = d;
  }
  if (c.fin_at_us[0] || c.fin_at_us[1] || (h.flags & fin))
    if (!was_closed) ++c.close_segments;
  if (h.flags & fin) {
    ++c.fins[d];
    c.fin_end[d] = h.seq + h.payload + ((h.flags & syn) ? 1U : 0U) + 1U;
    if (c.fin_at_us[d])
      c.fin_copies_us[d].push_back(at_us);
    else
      c.fin_at_us[d] = at_us;
  }
  // An ACK at or past the peer's FIN acknowledges it (sequence space wraps).
  const int peer = 1 - d;
  if ((h.flags & ack) && c.fin_end[peer] && !c.fin_acked_at_us[peer] &&
      !(Seq(h.ack) < Seq(*c.fin_end[peer])))
    c.fin_acked_at_us[peer] = at_us;
  if (c.ended()) ended_.emplace(c.last_us + linger_us_, key);
}

void ConnectionTable::finish() {
  // In the order first seen.
  std::vector<std::map<Key, Connection>::iterator> all;
  for (auto it = live_.begin(); it != live_.end(); ++it) all.push_back(it);
  std::sort(all.begin(), all.end(),
            [](const auto& x, const auto& y) { return x->second.id < y->second.id; });
  for (const auto& it : all) done_(it->second);
  live_.clear();
}

}  // namespace fincheck::capture
