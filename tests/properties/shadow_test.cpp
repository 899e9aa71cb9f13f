// The shadow oracle has teeth: a reference endpoint whose segments are
// corrupted on their way out, one rule at a time, is caught by the rule it
// breaks; left alone it is never caught; and every mutant of the model but
// one is caught by the shadow alone, without the invariant catalog.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <set>

#include "impl/reference_endpoint.hpp"
#include "impl/scenario_io.hpp"
#include "properties/mutants.hpp"
#include "properties/shadow.hpp"
#include "properties/validation.hpp"

namespace fincheck {
namespace {

// Rewrites what the endpoint sends: none, one or several segments for each,
// knowing the endpoint and what it sent before.
using Corruption = std::function<std::vector<Segment>(const Segment&, const ReferenceEndpoint&,
                                                      const std::vector<Segment>& before)>;

// The reference endpoint behind a corrupting wire: a stack under test that
// is right about everything but what the corruption changes.
class CorruptedEndpoint final : public Endpoint, private Wire {
 public:
  CorruptedEndpoint(const EndpointSetup& setup, Corruption corrupt)
      : wire_(*setup.wire), corrupt_(std::move(corrupt)) {
    EndpointSetup own = setup;
    own.wire = this;
    inner_ = std::make_unique<ReferenceEndpoint>(own, model::reference_table());
  }
  model::State state() const override { return inner_->state(); }
  void app_close(std::int64_t now_us) override { inner_->app_close(now_us); }
  void app_shutdown(std::int64_t now_us) override { inner_->app_shutdown(now_us); }
  void app_abort(std::int64_t now_us) override { inner_->app_abort(now_us); }
  std::optional<SeqView> seq_view() const override { return inner_->seq_view(); }
  void app_send(std::int64_t now_us, std::uint32_t n) override { inner_->app_send(now_us, n); }
  bool receive(std::int64_t now_us, const Segment& seg, std::int64_t arrival) override {
    return inner_->receive(now_us, seg, arrival);
  }
  std::optional<std::int64_t> next_deadline() const override { return inner_->next_deadline(); }
  void advance(std::int64_t now_us) override { inner_->advance(now_us); }
  bool eof_seen() const override { return inner_->eof_seen(); }

 private:
  void transmit(Side from, int conn, const Segment& seg) override {
    for (const Segment& s : corrupt_(seg, *inner_, sent_)) wire_.transmit(from, conn, s);
    sent_.push_back(seg);
  }
  Wire& wire_;
  Corruption corrupt_;
  std::unique_ptr<ReferenceEndpoint> inner_;
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
    Simulation sim(s);
    const EndpointFactory stack = [&](const EndpointSetup& setup) {
      return std::make_unique<CorruptedEndpoint>(setup, corrupt);
    };
    sim.set_factory(who, [&](const EndpointSetup& setup) {
      return std::make_unique<ShadowedEndpoint>(setup, stack, "corrupted", found);
    });
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

std::vector<Segment> as_is(const Segment& seg, const ReferenceEndpoint&,
                           const std::vector<Segment>&) {
  return {seg};
}

TEST(Shadow, PassesTheReferenceEndpointItself) {
  for (Playing who : {Playing::A, Playing::B, Playing::Both})
    for (const Divergence& d : shadow_verdict(as_is, who)) ADD_FAILURE() << d.kind << d.message;
}

TEST(Shadow, CatchesAnAckBeyondWhatArrived) {
  expect_caught(
      [](Segment seg, const ReferenceEndpoint&, const std::vector<Segment>&) {
        if (seg.flags.ack) seg.ack = seg.ack + 1;
        return std::vector{seg};
      },
      "segment", "RCV.NXT");
}

TEST(Shadow, CatchesAFinBeforeTheApplicationClosed) {
  // Only b sends data, in the first story, before it closes.
  expect_caught(
      [](Segment seg, const ReferenceEndpoint&, const std::vector<Segment>&) {
        if (seg.len > 0) seg.flags.fin = true;
        return std::vector{seg};
      },
      "segment", "the model has not sent a FIN", {Playing::B, Playing::Both});
}

TEST(Shadow, CatchesDataTheApplicationNeverWrote) {
  expect_caught(
      [](Segment seg, const ReferenceEndpoint&, const std::vector<Segment>&) {
        if (seg.flags.fin) seg.len += 1;  // a byte before the FIN
        return std::vector{seg};
      },
      "segment", "the model has sent data from");
}

TEST(Shadow, CatchesABareAckOutsideTheSendSpace) {
  expect_caught(
      [](Segment seg, const ReferenceEndpoint&, const std::vector<Segment>&) {
        if (seg.seg_len() == 0 && !seg.flags.rst) seg.seq = seg.seq + 5;
        return std::vector{seg};
      },
      "segment", "SND.UNA");
}

TEST(Shadow, CatchesAMissingRst) {
  const Corruption no_rst = [](const Segment& seg, const ReferenceEndpoint&,
                               const std::vector<Segment>&) {
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
      [](const Segment& seg, const ReferenceEndpoint&, const std::vector<Segment>&) {
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
      [](const Segment& seg, const ReferenceEndpoint& self, const std::vector<Segment>&) {
        std::vector out{seg};
        // Once its FIN is acknowledged, the FIN again with every bare ACK.
        if (seg.seg_len() == 0 && self.fin_seq() && self.snd_una() > *self.fin_seq()) {
          Segment fin = seg;
          fin.seq = *self.fin_seq();
          fin.flags.fin = true;
          out.push_back(fin);
        }
        return out;
      },
      "segment", "nothing to retransmit");
}

TEST(Shadow, CatchesAStackThatNeverRetransmits) {
  // The second story loses a's FIN and b's ACK: both must retransmit.
  expect_caught(
      [](const Segment& seg, const ReferenceEndpoint&, const std::vector<Segment>& before) {
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

}  // namespace
}  // namespace fincheck
