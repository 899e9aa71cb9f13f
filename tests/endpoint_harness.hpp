#pragma once
// One reference endpoint on a bench: segments go in by hand, segments that
// come out are captured, time is set by the test. Fixtures are chained the
// way the states are (smoltcp's socket_fin_wait_1() -> socket_fin_wait_2()).
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "impl/ladder.hpp"
#include "impl/reference_endpoint.hpp"
#include "model/parameters.hpp"

namespace fincheck::testing {

class EndpointHarness : public Wire {
 public:
  static constexpr std::uint32_t our_iss = 1000;
  static constexpr std::uint32_t peer_iss = 5000;

  explicit EndpointHarness(model::Parameters params = model::rfc9293_profile(),
                           const model::TableVariant& table = model::reference_table(),
                           std::uint32_t iss = our_iss, std::uint32_t irs = peer_iss,
                           bool reads = true)
      : params_(std::move(params)), iss_(iss), peer_nxt_(Seq(irs) + 1), peer_ack_(Seq(iss) + 1) {
    EndpointSetup setup;
    setup.side = Side::A;
    setup.iss = Seq(iss);
    setup.irs = Seq(irs);
    setup.params = params_;
    setup.trace = &trace_;
    setup.wire = this;
    setup.reads = reads;
    endpoint_ = std::make_unique<ReferenceEndpoint>(setup, table);
  }

  void transmit(Side, int, const Segment& seg) override { out_.push_back(seg); }

  ReferenceEndpoint& endpoint() { return *endpoint_; }
  model::State state() const { return endpoint_->state(); }
  const Trace& trace() const { return trace_; }
  const model::Parameters& params() const { return params_; }
  std::int64_t now() const { return now_; }

  // Our sequence numbers: ISS + 1 is the first after the SYN.
  Seq our(std::uint32_t offset) const { return Seq(iss_) + offset; }
  // The peer's next sequence number, advanced by every segment we build.
  Seq peer_nxt() const { return peer_nxt_; }
  // What the peer's segments acknowledge from now on.
  void peer_acks(Seq ack) { peer_ack_ = ack; }

  // A segment from the peer at its SND.NXT, which it then advances.
  Segment peer_segment(bool fin, std::uint32_t len = 0) {
    Segment s;
    s.seq = peer_nxt_;
    s.ack = peer_ack_;
    s.len = len;
    s.flags = Flags{.fin = fin, .ack = true, .psh = len > 0};
    peer_nxt_ += s.seg_len();
    return s;
  }

  // The peer's FIN once more: a retransmission of the one already built.
  Segment peer_fin_again() const {
    Segment s;
    s.seq = peer_nxt_ + static_cast<std::uint32_t>(-1);
    s.ack = peer_ack_;
    s.flags = Flags{.fin = true, .ack = true};
    return s;
  }

  // A bare ACK one below the peer's SND.NXT: it fails the acceptability
  // test (a reordered old ACK, a keep-alive probe).
  Segment peer_stale_ack() const {
    Segment s;
    s.seq = peer_nxt_ + static_cast<std::uint32_t>(-1);
    s.ack = peer_ack_;
    s.flags.ack = true;
    return s;
  }

  void deliver(const Segment& seg, std::int64_t at_us) {
    now_ = at_us;
    endpoint_->receive(at_us, seg, -1);
  }
  void close(std::int64_t at_us) {
    now_ = at_us;
    endpoint_->app_close(at_us);
  }
  void shutdown(std::int64_t at_us) {
    now_ = at_us;
    endpoint_->app_shutdown(at_us);
  }
  void abort(std::int64_t at_us) {
    now_ = at_us;
    endpoint_->app_abort(at_us);
  }
  // The chained fixtures close with shutdown() instead of close(): the
  // application still reads and may close() later.
  bool half_close = false;
  // Our application's closing call, as the fixtures make it.
  void first_close(std::int64_t at_us) { half_close ? shutdown(at_us) : close(at_us); }
  void send(std::int64_t at_us, std::uint32_t segments) {
    now_ = at_us;
    endpoint_->app_send(at_us, segments);
  }
  // Lets virtual time run to `until_us`, firing every timer on the way.
  void run_until(std::int64_t until_us) {
    while (auto d = endpoint_->next_deadline()) {
      if (*d > until_us) break;
      now_ = *d;
      endpoint_->advance(*d);
    }
    now_ = until_us;
  }

  // Exactly one segment has been sent since the last expectation. `file` and
  // `line` name the test's call (std::source_location would, but clang 14
  // on libstdc++ 12 has none; both compilers have these builtins).
  Segment expect_sent(std::string_view flags, Seq seq, std::optional<Seq> ack = std::nullopt,
                      const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
    SCOPED_TRACE(::testing::Message() << file << ":" << line);
    EXPECT_EQ(out_.size(), 1U) << "exactly one segment expected, got " << sent_text();
    Segment seg = out_.empty() ? Segment{} : out_.front();
    if (!out_.empty()) {
      EXPECT_EQ(tcpdump_flags(seg.flags), flags) << describe_segment(seg);
      EXPECT_EQ(seg.seq.raw(), seq.raw()) << describe_segment(seg);
      if (ack) {
        EXPECT_EQ(seg.ack.raw(), ack->raw()) << describe_segment(seg);
      }
    }
    out_.clear();
    return seg;
  }

  void expect_nothing_sent(const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
    SCOPED_TRACE(::testing::Message() << file << ":" << line);
    EXPECT_TRUE(out_.empty()) << "nothing expected, got " << sent_text();
    out_.clear();
  }

  // The last step the table took.
  const StepRecord& last_step() const { return trace_.steps.back(); }
  std::optional<std::int64_t> deadline(TimerKind kind) const;

  std::string sent_text() const {
    std::string s;
    for (const Segment& seg : out_) s += "[" + describe_segment(seg) + "] ";
    return s.empty() ? "nothing" : s;
  }

 private:
  model::Parameters params_;
  std::uint32_t iss_;
  Seq peer_nxt_;
  Seq peer_ack_;
  Trace trace_;
  std::vector<Segment> out_;
  std::unique_ptr<ReferenceEndpoint> endpoint_;
  std::int64_t now_ = 0;
};

// The deadline of the last armed timer of `kind`, or nullopt if it is not
// armed (read from the trace, as a person would read the ladder).
inline std::optional<std::int64_t> EndpointHarness::deadline(TimerKind kind) const {
  std::optional<std::int64_t> d;
  for (const TimerRecord& r : trace_.timers) {
    if (r.timer != kind) continue;
    if (r.op == TimerOp::Set || r.op == TimerOp::Restart)
      d = r.deadline_us;
    else
      d.reset();
  }
  return d;
}

// ---- chained fixtures: each state is reached by driving the one before ----

inline constexpr std::int64_t ms = 1'000;
inline constexpr std::int64_t sec = 1'000'000;

// a closes first: FIN leaves, FIN-WAIT-1.
inline void to_fin_wait_1(EndpointHarness& h) {
  h.first_close(0);
  h.expect_sent("F.", h.our(1));
  ASSERT_EQ(h.state(), model::State::FinWait1);
}

// The peer ACKs our FIN: FIN-WAIT-2.
inline void to_fin_wait_2(EndpointHarness& h) {
  to_fin_wait_1(h);
  h.peer_acks(h.our(2));
  h.deliver(h.peer_segment(false), 20 * ms);
  h.expect_nothing_sent();
  ASSERT_EQ(h.state(), model::State::FinWait2);
}

// The peer's FIN: TIME-WAIT, and our ACK of it.
inline void to_time_wait(EndpointHarness& h) {
  to_fin_wait_2(h);
  const Seq fin = h.peer_nxt();
  h.deliver(h.peer_segment(true), 30 * ms);
  h.expect_sent(".", h.our(2), fin + 1);
  ASSERT_EQ(h.state(), model::State::TimeWait);
}

// The peer's FIN crosses ours (it does not ACK ours): CLOSING.
inline void to_closing(EndpointHarness& h) {
  to_fin_wait_1(h);
  const Seq fin = h.peer_nxt();
  h.deliver(h.peer_segment(true), 10 * ms);
  h.expect_sent(".", h.our(2), fin + 1);
  ASSERT_EQ(h.state(), model::State::Closing);
}

// The peer closes first: CLOSE-WAIT, the ACK delayed.
inline void to_close_wait(EndpointHarness& h) {
  h.deliver(h.peer_segment(true), 10 * ms);
  h.expect_nothing_sent();
  ASSERT_EQ(h.state(), model::State::CloseWait);
}

// Our application closes: LAST-ACK, the FIN carries the delayed ACK.
inline void to_last_ack(EndpointHarness& h) {
  to_close_wait(h);
  h.first_close(15 * ms);
  h.expect_sent("F.", h.our(1), h.peer_nxt());
  ASSERT_EQ(h.state(), model::State::LastAck);
}

// The peer ACKs our FIN: CLOSED.
inline void to_closed(EndpointHarness& h) {
  to_last_ack(h);
  h.peer_acks(h.our(2));
  h.deliver(h.peer_segment(false), 25 * ms);
  h.expect_nothing_sent();
  ASSERT_EQ(h.state(), model::State::Closed);
}

}  // namespace fincheck::testing
