// The observer's verdicts on captures written segment by segment: each
// class of divergence has a stack misbehaving in that way that it catches,
// and what a capture leaves open (where it was taken, close() or
// shutdown(), a copy made by the network) is not held against the stack.
#include <gtest/gtest.h>

#include "impl/scenario_io.hpp"
#include "impl/simulation.hpp"
#include "properties/observer.hpp"

namespace fincheck {
namespace {

constexpr std::int64_t ms = 1'000;

// "F." FIN+ACK, "." ACK, "P." data, "R" RST, as tcpdump prints them.
ObservedSegment seg(std::int64_t at_ms, Side from, std::string_view flags, std::uint32_t seq,
                    std::uint32_t ack, std::uint32_t len = 0) {
  ObservedSegment s;
  s.at_us = at_ms * ms;
  s.from = from;
  s.frame = static_cast<std::uint64_t>(at_ms);
  s.seg.seq = Seq(seq);
  s.seg.ack = Seq(ack);
  s.seg.len = len;
  s.seg.flags.fin = flags.find('F') != std::string_view::npos;
  s.seg.flags.rst = flags.find('R') != std::string_view::npos;
  s.seg.flags.ack = flags.find('.') != std::string_view::npos;
  s.seg.flags.psh = flags.find('P') != std::string_view::npos;
  return s;
}

constexpr Side a = Side::A, b = Side::B;

ConnectionObserver observe(const std::vector<ObservedSegment>& segs, Vantage v,
                           const model::Parameters& p = *model::profile_named("linux"),
                           std::size_t bound = 16) {
  ConnectionObserver o(p, v, ObserverBounds{bound});
  for (const ObservedSegment& s : segs) o.observe(s);
  o.finish();
  return o;
}

// RFC 9293 §3.6, Figure 12: a closes, b ACKs, b closes, a ACKs.
const std::vector<ObservedSegment> normal_close = {
    seg(0, a, "F.", 1001, 5001), seg(10, b, ".", 5001, 1002), seg(20, b, "F.", 5001, 1002),
    seg(30, a, ".", 1002, 5002)};

bool entered_time_wait(const Trace& t, Side side) {
  for (const StepRecord& s : t.steps)
    if (s.endpoint == side && s.to == model::State::TimeWait) return true;
  return false;
}

TEST(Observer, ANormalCloseIsAllowedFromEveryVantage) {
  for (Vantage v : {Vantage::A, Vantage::B, Vantage::Path, Vantage::Both}) {
    const ConnectionObserver o = observe(normal_close, v);
    EXPECT_FALSE(o.divergence()) << to_string(v) << ": " << o.divergence()->message;
    for (const Verdict& verdict : o.verdicts()) EXPECT_TRUE(verdict.holds()) << verdict.id;
    EXPECT_TRUE(entered_time_wait(o.trace(), a)) << to_string(v);
    EXPECT_FALSE(entered_time_wait(o.trace(), b)) << to_string(v);
    ASSERT_EQ(o.inferred().size(), 2U);
    EXPECT_EQ(o.inferred()[0].substr(0, 10), "a: close()");
  }
}

TEST(Observer, AFinMovedToAnotherSequenceNumberIsASegmentDivergence) {
  std::vector<ObservedSegment> s = {seg(0, a, "F.", 1001, 5001), seg(300, a, "F.", 1002, 5001)};
  const ConnectionObserver o = observe(s, Vantage::A);
  ASSERT_TRUE(o.divergence());
  EXPECT_EQ(o.divergence()->kind, "segment");
  EXPECT_EQ(o.divergence()->frame, 300U);
  EXPECT_NE(o.divergence()->message.find("the model's FIN is at 1001"), std::string::npos)
      << o.divergence()->message;
}

TEST(Observer, ARetransmissionSoonerThanTheMinimumRtoIsATimerDivergence) {
  // Linux's floor is TCP_RTO_MIN, 200 ms (include/net/tcp.h).
  const ConnectionObserver early =
      observe({seg(0, a, "F.", 1001, 5001), seg(50, a, "F.", 1001, 5001)}, Vantage::A);
  ASSERT_TRUE(early.divergence());
  EXPECT_EQ(early.divergence()->kind, "timer");
  EXPECT_NE(early.divergence()->message.find("minimum RTO is 200ms"), std::string::npos)
      << early.divergence()->message;
  const ConnectionObserver on_time =
      observe({seg(0, a, "F.", 1001, 5001), seg(210, a, "F.", 1001, 5001)}, Vantage::A);
  EXPECT_FALSE(on_time.divergence()) << on_time.divergence()->message;
  ASSERT_EQ(on_time.retransmissions().size(), 1U);
  EXPECT_EQ(on_time.retransmissions()[0].after_armed_us, 210 * ms);
  EXPECT_EQ(on_time.retransmissions()[0].floor_us, 200 * ms);
}

TEST(Observer, AnAckOfWhatWasNeverSentIsASegmentDivergence) {
  const ConnectionObserver o =
      observe({seg(0, a, "F.", 1001, 5001), seg(10, b, ".", 5001, 1500)}, Vantage::Path);
  ASSERT_TRUE(o.divergence());
  EXPECT_NE(o.divergence()->message.find("past what the model has received"), std::string::npos);
}

TEST(Observer, DataAfterItsOwnFinIsASegmentDivergence) {
  const ConnectionObserver o =
      observe({seg(0, a, "F.", 1001, 5001), seg(10, a, "P.", 1002, 5001, 10)}, Vantage::Both);
  ASSERT_TRUE(o.divergence());
  EXPECT_NE(o.divergence()->message.find("could no longer write"), std::string::npos)
      << o.divergence()->message;
}

TEST(Observer, ARstNoModelSendsIsASegmentDivergenceAndOneAtSndNxtAnAbort) {
  const ConnectionObserver forged =
      observe({seg(0, a, "F.", 1001, 5001), seg(10, a, "R", 1005, 0)}, Vantage::Both);
  ASSERT_TRUE(forged.divergence());
  const ConnectionObserver aborted =
      observe({seg(0, a, ".", 1001, 5001), seg(10, a, "R", 1001, 0)}, Vantage::Both);
  EXPECT_FALSE(aborted.divergence()) << aborted.divergence()->message;
  ASSERT_EQ(aborted.inferred().size(), 1U);
  EXPECT_NE(aborted.inferred()[0].find("abort"), std::string::npos);
}

// a's final ACK is seen, then b retransmits its FIN: on a's host the ACK
// may have been lost after it was seen; on b's it had arrived, and b in
// CLOSED sends no FIN.
TEST(Observer, WhereTheCaptureWasTakenDecidesWhetherASegmentArrived) {
  std::vector<ObservedSegment> s = normal_close;
  s.push_back(seg(1500, b, "F.", 5001, 1002));
  s.push_back(seg(1510, a, ".", 1002, 5002));
  const ConnectionObserver at_a = observe(s, Vantage::A);
  EXPECT_FALSE(at_a.divergence()) << at_a.divergence()->message;
  const ConnectionObserver at_b = observe(s, Vantage::B);
  ASSERT_TRUE(at_b.divergence());
  EXPECT_EQ(at_b.divergence()->frame, 1500U);
  EXPECT_NE(at_b.divergence()->message.find("CLOSED"), std::string::npos);
}

// An orphan answers data with a RST (close()); a half-closed socket ACKs
// it (shutdown()). The capture shows which.
TEST(Observer, CloseOrShutdownIsInferredFromWhatFollows) {
  const std::vector<ObservedSegment> start = {seg(0, a, "F.", 1001, 5001),
                                              seg(10, b, ".", 5001, 1002),
                                              seg(20, b, "P.", 5001, 1002, 10)};
  std::vector<ObservedSegment> reset = start, acked = start;
  reset.push_back(seg(30, a, "R", 1002, 0));
  acked.push_back(seg(30, a, ".", 1002, 5011));
  const ConnectionObserver r = observe(reset, Vantage::Both);
  EXPECT_FALSE(r.divergence()) << r.divergence()->message;
  EXPECT_EQ(r.inferred().front().substr(0, 10), "a: close()");
  const ConnectionObserver k = observe(acked, Vantage::Both);
  EXPECT_FALSE(k.divergence()) << k.divergence()->message;
  EXPECT_EQ(k.inferred().front().substr(0, 11), "a: shutdown");
}

TEST(Observer, ACopyMadeByTheNetworkIsNoRetransmission) {
  // b's FIN seen twice 20 ms apart: too soon for b's timer, so a copy --
  // possible wherever the network lies between b and the capture.
  std::vector<ObservedSegment> s = normal_close;
  s.insert(s.begin() + 3, seg(25, b, "F.", 5001, 1002));
  EXPECT_FALSE(observe(s, Vantage::A).divergence());
  const ConnectionObserver at_b = observe(s, Vantage::B);
  ASSERT_TRUE(at_b.divergence());
  EXPECT_EQ(at_b.divergence()->kind, "timer");
}

TEST(Observer, ExplanationsPastTheBoundAreDroppedAndSaidSo) {
  EXPECT_FALSE(observe(normal_close, Vantage::Path).bounded());
  EXPECT_GT(observe(normal_close, Vantage::Path).most_configurations(), 1U);
  const ConnectionObserver one = observe(normal_close, Vantage::Path, *model::profile_named("linux"), 1);
  EXPECT_TRUE(one.bounded());
  EXPECT_EQ(one.most_configurations(), 1U);
}

TEST(Observer, TheVantageIsInferredFromTheHandshake) {
  auto handshake = [](std::int64_t syn_ack_ms, std::int64_t ack_ms) {
    ObservedSegment syn = seg(0, a, "", 1000, 0), syn_ack = seg(syn_ack_ms, b, ".", 5000, 1001);
    syn.syn = syn_ack.syn = true;
    ConnectionObserver o(*model::profile_named("linux"), std::nullopt);
    o.observe(syn);
    o.observe(syn_ack);
    o.observe(seg(ack_ms, a, ".", 1001, 5001));
    return o.vantage();
  };
  EXPECT_EQ(handshake(20, 20), Vantage::A);  // a's ACK at once: on a's host
  EXPECT_EQ(handshake(0, 20), Vantage::B);   // b's SYN/ACK at once: on b's
  EXPECT_EQ(handshake(10, 20), Vantage::Path);
}

// b sends 2,000 segments of 1,000 bytes, a ACKs every other one, then a
// closes. Linux's profile has Nagle on; the capture's segmentation is the
// stack's, and the model keeps up with it. What the trace keeps of the data
// phase is cut at quiet moments, so it stays short.
TEST(Observer, ALongTransferIsJudgedAndItsDataPhaseNotKept) {
  std::vector<ObservedSegment> s = {seg(0, a, "P.", 1000, 5000, 100)};
  std::uint32_t next = 5000;
  for (int i = 0; i < 2'000; ++i) {
    s.push_back(seg(1 + 2 * i, b, "P.", next, 1100, 1'000));
    next += 1'000;
    if (i % 2) s.push_back(seg(2 + 2 * i, a, ".", 1100, next));
  }
  s.push_back(seg(5'000, a, "F.", 1100, next));
  s.push_back(seg(5'010, b, "F.", next, 1101));
  s.push_back(seg(5'020, a, ".", 1101, next + 1));
  for (Vantage v : {Vantage::A, Vantage::Path, Vantage::Both}) {
    const ConnectionObserver o = observe(s, v);
    EXPECT_FALSE(o.divergence()) << to_string(v) << ": " << o.divergence()->message;
    EXPECT_LT(o.trace().segments.size(), 200U) << to_string(v);
    EXPECT_TRUE(entered_time_wait(o.trace(), a)) << to_string(v);
  }
}

TEST(Observer, ItsScenarioReplaysInRun) {
  std::vector<ObservedSegment> s = normal_close;
  s.push_back(seg(1500, b, "F.", 5001, 1002));
  const ConnectionObserver o = observe(s, Vantage::B);
  ASSERT_TRUE(o.divergence());
  const Scenario back = parse_scenario(write_scenario(o.scenario()), "saved.scn");
  EXPECT_EQ(back.isn_a, 1000U);
  EXPECT_EQ(back.isn_b, 5000U);
  ASSERT_EQ(back.actions.size(), 2U);
  EXPECT_EQ(back.actions[0].kind, AppAction::Kind::Close);
  Simulation sim(back);
  const Trace& t = sim.run();
  EXPECT_TRUE(entered_time_wait(t, a));
}

}  // namespace
}  // namespace fincheck
