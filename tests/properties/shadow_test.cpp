// The shadow oracle has teeth: a reference endpoint whose segments are
// corrupted on their way out, one rule at a time, is caught by the rule it
// breaks; left alone it is never caught; and every mutant of the model but
// one is caught by the shadow alone, without the invariant catalog.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <set>

#include "drivers/reference_driver.hpp"
#include "drivers/relay_driver.hpp"
#include "impl/scenario_io.hpp"
#include "impl/wire.hpp"
#include "properties/mutants.hpp"
#include "properties/shadow.hpp"
#include "properties/validation.hpp"

namespace fincheck {
namespace {

// Rewrites what the stack sends: none, one or several segments for each,
// knowing where its sequence numbers stand and what it sent before.
using Corruption = std::function<std::vector<Segment>(const Segment&, const SeqView& self,
                                                      const std::vector<Segment>& before)>;

// The reference stack behind a corrupting wire: a stack under test that is
// right about everything but what the corruption changes. It sits between
// the driver and the seam, on the bytes.
class CorruptedDriver final : public RelayDriver {
 public:
  CorruptedDriver(const DriverSetup& setup, Corruption corrupt)
      : RelayDriver(setup, reference_driver(model::reference_table())),
        side_(setup.side),
        corrupt_(std::move(corrupt)) {}

 private:
  void emitted(std::int64_t at_us, std::span<const std::uint8_t> packet) override {
    const Segment seg = from_wire(std::get<WireSegment>(decode(packet)))->second;
    for (const Segment& out : corrupt_(seg, *inner_->seq_view(), sent_))
      observer_.emitted(at_us, encode(to_wire(side_, out, 0)));
    sent_.push_back(seg);
  }

  Side side_;
  Corruption corrupt_;
  std::vector<Segment> sent_;
};

// Stories that between them send data, FINs from both sides, bare ACKs,
// retransmissions and a RST to a closed end (the old segment delayed past
// LAST_ACK).
const char* const stories[] = {
    "a shutdown at 0ms\nb send 2 at 5ms\nb close after eof 30ms\n",
    "a close at 0ms\nb close after eof 0ms\ndrop a->b 1\ndrop b->a 2\n",
    "a close at 0ms\nb close at 0ms\ndrop b->a 1\n",
    "b close at 0ms\na close after eof 10ms\ndup b->a 1 3s\n",
};

// The shadow's divergences with the stack as `who` in each story.
std::vector<Divergence> shadow_verdict(const Corruption& corrupt, Playing who) {
  std::vector<Divergence> found;
  for (const char* story : stories) {
    const Scenario s = parse_scenario(std::string("profile rfc9293\n") + story, "story.scn");
    StackUnderTest stack{"corrupted",
                         [&](const DriverSetup& setup) -> std::unique_ptr<StackDriver> {
                           return std::make_unique<CorruptedDriver>(setup, corrupt);
                         },
                         {}};
    SeamObservations seen;
    Simulation sim(s);
    sim.set_factory(who, seam_factory(stack, found, seen));
    sim.run();
  }
  return found;
}

void expect_caught(const Corruption& corrupt, const std::string& kind, const std::string& words,
                   std::initializer_list<Playing> players = {Playing::A, Playing::B,
                                                             Playing::Both}) {
  for (Playing who : players) {
    const std::vector<Divergence> found = shadow_verdict(corrupt, who);
    ASSERT_FALSE(found.empty()) << "not caught playing " << name_of(who);
    EXPECT_EQ(found.front().kind, kind) << found.front().message;
    EXPECT_NE(found.front().message.find(words), std::string::npos) << found.front().message;
  }
}

std::vector<Segment> as_is(const Segment& seg, const SeqView&, const std::vector<Segment>&) {
  return {seg};
}

TEST(Shadow, PassesTheReferenceEndpointItself) {
  for (Playing who : {Playing::A, Playing::B, Playing::Both})
    for (const Divergence& d : shadow_verdict(as_is, who)) ADD_FAILURE() << d.kind << d.message;
}

TEST(Shadow, CatchesAnAckBeyondWhatArrived) {
  expect_caught(
      [](Segment seg, const SeqView&, const std::vector<Segment>&) {
        if (seg.flags.ack) seg.ack = seg.ack + 1;
        return std::vector{seg};
      },
      "segment", "RCV.NXT");
}

TEST(Shadow, CatchesAFinBeforeTheApplicationClosed) {
  // Only b sends data, in the first story, before it closes.
  expect_caught(
      [](Segment seg, const SeqView&, const std::vector<Segment>&) {
        if (seg.len > 0) seg.flags.fin = true;
        return std::vector{seg};
      },
      "segment", "the model has not sent a FIN", {Playing::B, Playing::Both});
}

TEST(Shadow, CatchesDataTheApplicationNeverWrote) {
  expect_caught(
      [](Segment seg, const SeqView&, const std::vector<Segment>&) {
        if (seg.flags.fin) seg.len += 1;  // a byte before the FIN
        return std::vector{seg};
      },
      "segment", "the model has sent data from");
}

TEST(Shadow, CatchesABareAckOutsideTheSendSpace) {
  expect_caught(
      [](Segment seg, const SeqView&, const std::vector<Segment>&) {
        if (seg.seg_len() == 0 && !seg.flags.rst) seg.seq = seg.seq + 5;
        return std::vector{seg};
      },
      "segment", "SND.UNA");
}

TEST(Shadow, CatchesAMissingRst) {
  const Corruption no_rst = [](const Segment& seg, const SeqView&, const std::vector<Segment>&) {
    return seg.flags.rst ? std::vector<Segment>{} : std::vector{seg};
  };
  // The fourth story's duplicate FIN reaches a in CLOSED: a's RST is due.
  std::vector<Divergence> found = shadow_verdict(no_rst, Playing::A);
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found.front().kind, "segment");
  EXPECT_NE(found.front().message.find("sends no RST"), std::string::npos) << found.front().message;
}

TEST(Shadow, CatchesARstWhereTheModelSendsNone) {
  expect_caught(
      [](const Segment& seg, const SeqView&, const std::vector<Segment>&) {
        std::vector out{seg};
        if (seg.seg_len() == 0 && !seg.flags.rst) {  // a RST after every bare ACK
          Segment rst;
          rst.seq = seg.seq;
          rst.flags.rst = true;
          out.push_back(rst);
        }
        return out;
      },
      "segment", "the model sends no RST");
}

TEST(Shadow, CatchesARetransmissionOfWhatWasAcknowledged) {
  expect_caught(
      [](const Segment& seg, const SeqView& self, const std::vector<Segment>& before) {
        std::vector out{seg};
        // Once its FIN is acknowledged, the FIN again with every bare ACK.
        const auto fin = std::find_if(before.begin(), before.end(),
                                      [](const Segment& b) { return b.flags.fin; });
        if (seg.seg_len() == 0 && fin != before.end() && self.snd_una > fin->seq + fin->len) {
          Segment again = seg;
          again.seq = fin->seq + fin->len;
          again.flags.fin = true;
          out.push_back(again);
        }
        return out;
      },
      "segment", "nothing to retransmit");
}

TEST(Shadow, CatchesAStackThatNeverRetransmits) {
  // The second story loses a's FIN and b's ACK: both must retransmit.
  expect_caught(
      [](const Segment& seg, const SeqView&, const std::vector<Segment>& before) {
        const bool again =
            seg.seg_len() > 0 && std::any_of(before.begin(), before.end(), [&](const Segment& b) {
              return b.seq == seg.seq && b.seg_len() == seg.seg_len();
            });
        return again ? std::vector<Segment>{} : std::vector{seg};
      },
      "timer", "has not retransmitted");
}

TEST(Shadow, CatchesAStateTheModelDoesNotReach) {
  // time-wait-one-msl leaves TIME_WAIT after one MSL: the shadow is still in
  // it, and its TIME_WAIT timer is nowhere near due.
  const StackUnderTest stack = mutant_stack(*mutant_named("time-wait-one-msl"));
  const Scenario s =
      parse_scenario("profile rfc9293\na close at 0ms\nb close after eof 0ms\n", "t.scn");
  const CaseResult r = validate_case(s, Playing::A, stack);
  bool state = false;
  for (const Divergence& d : r.divergences)
    state |= d.kind == "state" &&
             d.message.find("is in CLOSED; the model is in TIME_WAIT") != std::string::npos;
  EXPECT_TRUE(state);
}

TEST(Shadow, AloneCatchesEveryMutantButTheMissingAck) {
  // no-ack-in-time-wait only leaves out bare ACKs, which the shadow does not
  // require (they may be delayed or ride on later segments); every-fin-acked
  // catches it.
  for (const Mutant& m : mutants()) {
    const StackUnderTest stack = mutant_stack(m);
    std::set<std::string> kinds;
    for (std::uint32_t i = 0; i < 1'000; ++i) {
      const Scenario s = generate_case(1, i, stack.gen).value();
      for (Playing who : {Playing::A, Playing::B, Playing::Both})
        for (const Divergence& d : validate_case(s, who, stack).divergences)
          if (d.kind == "state" || d.kind == "segment" || d.kind == "timer") kinds.insert(d.kind);
    }
    if (std::string_view(m.name) == "no-ack-in-time-wait")
      EXPECT_TRUE(kinds.empty()) << m.name;
    else
      EXPECT_FALSE(kinds.empty()) << m.name << " escaped the shadow";
  }
}

// Bytes a stack emits that are no packet of the run are a stack error, with
// the offset where decoding failed; the run's invariant verdicts are dropped.
TEST(Shadow, ReportsBytesThatAreNoPacketAsAStackError) {
  struct Garbling final : RelayDriver {
    explicit Garbling(const DriverSetup& setup)
        : RelayDriver(setup, reference_driver(model::reference_table())) {}
    void emitted(std::int64_t at_us, std::span<const std::uint8_t>) override {
      const std::uint8_t truncated[] = {0x45, 0x00, 0x00};
      observer_.emitted(at_us, truncated);
    }
  };
  const StackUnderTest stack{"garbling",
                             [](const DriverSetup& setup) -> std::unique_ptr<StackDriver> {
                               return std::make_unique<Garbling>(setup);
                             },
                             {}};
  const Scenario s =
      parse_scenario("profile rfc9293\na close at 0ms\nb close after eof 0ms\n", "t.scn");
  const CaseResult r = validate_case(s, Playing::A, stack);
  ASSERT_EQ(r.divergences.size(), 1U);
  EXPECT_EQ(r.divergences.front().kind, "stack-error");
  EXPECT_NE(r.divergences.front().message.find("malformed packet"), std::string::npos)
      << r.divergences.front().message;
  EXPECT_NE(r.divergences.front().message.find("byte"), std::string::npos)
      << r.divergences.front().message;
}

TEST(Shadow, CatchesARetransmissionSoonerThanTheMinimumRto) {
  // A stack that retransmits its lost FIN after 1 ms, where the rfc9293
  // profile's minimum RTO is 1 s (RFC 6298 §2.4).
  const StackUnderTest hasty{"hasty",
                             reference_driver(model::reference_table(),
                                              [](model::Parameters p) {
                                                p.rto_initial_us = p.rto_min_us = 1'000;
                                                return p;
                                              }),
                             {}};
  const Scenario s = parse_scenario("profile rfc9293\na close at 0ms\ndrop a->b 1\n", "t.scn");
  const CaseResult r = validate_case(s, Playing::A, hasty);
  ASSERT_FALSE(r.divergences.empty());
  EXPECT_EQ(r.divergences.front().kind, "timer");
  EXPECT_NE(r.divergences.front().message.find("1ms after the model armed"), std::string::npos)
      << r.divergences.front().message;
  EXPECT_NE(r.divergences.front().message.find("the minimum RTO is 1s"), std::string::npos)
      << r.divergences.front().message;
}

TEST(Shadow, CountsBareAcksTheModelWouldNotSendWithoutFailingThem) {
  const Corruption twice = [](const Segment& seg, const SeqView&, const std::vector<Segment>&) {
    return seg.seg_len() == 0 && !seg.flags.rst ? std::vector{seg, seg} : std::vector{seg};
  };
  const StackUnderTest stack{"chatty",
                             [&](const DriverSetup& setup) -> std::unique_ptr<StackDriver> {
                               return std::make_unique<CorruptedDriver>(setup, twice);
                             },
                             {}};
  // a ACKs b's data with a bare ACK, twice; b takes the copy as a duplicate
  // ACK, harmless. A delay makes it no fault-free close, which would count
  // the copy.
  const Scenario s = parse_scenario(
      "profile rfc9293\nb send 1 at 0ms\nb close at 1s\na close after eof 10ms\n"
      "delay b->a 1 20ms\n",
      "t.scn");
  const CaseResult r = validate_case(s, Playing::A, stack);
  for (const Divergence& d : r.divergences) ADD_FAILURE() << d.kind << ": " << d.message;
  EXPECT_EQ(r.observations.extra_bare_acks, 1U);
}

TEST(Shadow, ReportsTimingInsideTheToleranceAsAnObservation) {
  // A TIME-WAIT counted in 500 ms ticks ends a little after the model's
  // (lwIP's does): within the granularity the shadow's timer goes off with
  // the stack's, and how far it moved is measured, not judged.
  const StackUnderTest late{"late",
                            reference_driver(model::reference_table(),
                                             [](model::Parameters p) {
                                               p.time_wait_us = p.time_wait() + 300'000;
                                               return p;
                                             }),
                            {}};
  const Scenario s = parse_scenario(
      "profile rfc9293\nset timer_granularity 500ms\na close at 0ms\nb close after eof 0ms\n",
      "t.scn");
  const CaseResult r = validate_case(s, Playing::A, late);
  for (const Divergence& d : r.divergences) ADD_FAILURE() << d.kind << ": " << d.message;
  EXPECT_EQ(r.observations.timer_firings, 1U);
  EXPECT_EQ(r.observations.latest_us, 300'000);
}

}  // namespace
}  // namespace fincheck
