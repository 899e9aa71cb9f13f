#pragma once
// The TCP segments of a capture grouped into connections: by 4-tuple and
// incarnation (a new SYN, or one that is not the SYN already seen, starts
// a new one after the old ended; incarnations are counted while the
// previous one ended less than four lingers before). A connection that ended (a RST, or both
// FINs acknowledged) and then stayed quiet for the linger time is handed
// on and forgotten: memory grows with the connections open at once, not
// with the capture.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <tuple>
#include <vector>

#include "capture/frame.hpp"

namespace fincheck::capture {

struct Endpoint {
  Address ip{};
  std::uint16_t port = 0;
  friend auto operator<=>(const Endpoint&, const Endpoint&) = default;
};

// Told each segment of one connection in capture order (`from` 0: a); the
// table owns one per connection, made when the connection is first seen.
class SegmentSink {
 public:
  virtual ~SegmentSink() = default;
  virtual void segment(std::int64_t at_us, std::uint64_t frame, int from, const TcpHeader& h) = 0;
};

struct Connection {
  std::uint64_t id = 0;           // from 1, in the order first seen
  Endpoint a, b;                  // a sent the first segment seen (the SYN, if seen)
  std::uint32_t incarnation = 1;  // of this 4-tuple in the capture
  bool handshake_seen = false;    // a SYN without ACK opened it
  std::uint64_t first_frame = 0;
  std::int64_t first_us = 0, last_us = 0;
  // Per direction: [0] from a, [1] from b.
  std::uint64_t segments[2] = {0, 0};
  std::uint64_t bytes[2] = {0, 0};
  std::uint32_t fins[2] = {0, 0};
  std::uint32_t rsts[2] = {0, 0};
  std::optional<std::uint32_t> fin_end[2];  // sequence number after each side's FIN
  std::optional<std::uint32_t> syn_seq;
  std::optional<std::uint32_t> syn_tsval;  // RFC 7323 TSval of the opening SYN
  std::optional<std::uint32_t> last_tsval[2];

  // What the wire shows of the close, at the capture point.
  std::optional<std::int64_t> fin_at_us[2];        // each side's first FIN
  std::vector<std::int64_t> fin_copies_us[2];      // later copies: retransmissions
  std::optional<std::int64_t> fin_acked_at_us[2];  // the first ACK covering it, from the peer
  // Segments from the first FIN until both FINs were acknowledged,
  // retransmissions included: 4 for a close with the ACK apart, 3 when
  // the second FIN carries it.
  std::uint32_t close_segments = 0;
  std::optional<int> rst_after_close;  // the side that sent a RST after both FINs were ACKed
  // An incarnation after the first: how long after the previous one's last
  // segment its SYN came, and whether RFC 6191's timestamp rule allows a
  // reuse within TIME-WAIT (its TSval above every one the old peer sent).
  std::optional<std::int64_t> reused_after_us;
  bool reuse_timestamps_newer = false;
  std::shared_ptr<SegmentSink> sink;  // shared by copies handed on

  bool fin_acked(int side) const { return fin_acked_at_us[side].has_value(); }
  bool ended() const { return rsts[0] + rsts[1] > 0 || (fin_acked(0) && fin_acked(1)); }
  // The side whose FIN came first (0: a), and whether the other's FIN came
  // before it had acknowledged the first: a simultaneous close.
  std::optional<int> active() const;
  bool simultaneous() const;
};

class ConnectionTable {
 public:
  using Done = std::function<void(const Connection&)>;
  using MakeSink = std::function<std::shared_ptr<SegmentSink>(const Connection&)>;
  ConnectionTable(std::int64_t linger_us, Done done, MakeSink make_sink = {});

  void add(std::int64_t at_us, std::uint64_t frame, const TcpHeader& h);
  // The end of the capture: every connection still held is handed on.
  void finish();

  std::size_t open() const { return live_.size(); }
  std::size_t most_open() const { return most_open_; }
  std::uint64_t connections() const { return next_id_ - 1; }

 private:
  using Key = std::pair<Endpoint, Endpoint>;  // the lower endpoint first
  void retire(std::int64_t now_us);
  void hand_on(std::map<Key, Connection>::iterator it);

  std::int64_t linger_us_;
  Done done_;
  MakeSink make_sink_;
  std::map<Key, Connection> live_;
  // Of tuples handed on: the last incarnation, its end, and the highest
  // TSval each of its ends sent.
  struct Previous {
    std::uint32_t incarnation = 0;
    std::int64_t last_us = 0;
    Endpoint a;
    std::optional<std::uint32_t> last_tsval[2];
  };
  std::map<Key, Previous> previous_;
  // Forgotten, too, once no TIME-WAIT could reach them: memory stays bounded.
  std::queue<std::pair<std::int64_t, Key>> previous_expiry_;
  // Ended connections by the time they may be handed on (it may have moved).
  std::priority_queue<std::pair<std::int64_t, Key>, std::vector<std::pair<std::int64_t, Key>>,
                      std::greater<>>
      ended_;
  std::uint64_t next_id_ = 1;
  std::size_t most_open_ = 0;
};

}  // namespace fincheck::capture
