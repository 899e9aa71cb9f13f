#include "capture/connections.hpp"

#include <algorithm>

#include "impl/segment.hpp"

namespace fincheck::capture {

namespace {

constexpr std::uint8_t fin = 0x01, syn = 0x02, rst = 0x04, ack = 0x10;

}  // namespace

ConnectionTable::ConnectionTable(std::int64_t linger_us, Done done)
    : linger_us_(linger_us), done_(std::move(done)) {}

void ConnectionTable::hand_on(std::map<Key, Connection>::iterator it) {
  incarnations_[it->first] = it->second.incarnation;
  done_(it->second);
  live_.erase(it);
}

void ConnectionTable::retire(std::int64_t now_us) {
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
    const auto before = incarnations_.find(key);
    c.incarnation = before == incarnations_.end() ? 1 : before->second + 1;
    c.handshake_seen = opening;
    c.first_frame = frame;
    c.first_us = at_us;
    it = live_.emplace(key, c).first;
    most_open_ = std::max(most_open_, live_.size());
  }
  Connection& c = it->second;
  const int d = src == c.a ? 0 : 1;
  c.last_us = std::max(c.last_us, at_us);
  ++c.segments[d];
  c.bytes[d] += h.payload;
  if (opening) c.syn_seq = h.seq;
  if (h.flags & rst) ++c.rsts[d];
  if (h.flags & fin) {
    ++c.fins[d];
    c.fin_end[d] = h.seq + h.payload + ((h.flags & syn) ? 1U : 0U) + 1U;
  }
  // An ACK at or past the peer's FIN acknowledges it (sequence space wraps).
  const int peer = 1 - d;
  if ((h.flags & ack) && c.fin_end[peer] && !(Seq(h.ack) < Seq(*c.fin_end[peer])))
    c.fin_acked[peer] = true;
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
