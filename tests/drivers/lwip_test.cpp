// lwIP 2.1.3 behind the seam (drivers/driver.hpp): runs are independent and
// repeatable, fault-free closes follow the model's path, thousands of
// generated cases pass, the probe agrees with the profile, and the oracle
// catches every mutant run through the same interface.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "drivers/lwip/lwip_driver.hpp"
#include "impl/scenario_io.hpp"
#include "impl/trace_json.hpp"
#include "properties/validation.hpp"
#include "stacks/registry.hpp"
#include "tools/commands.hpp"

namespace fincheck {
namespace {

StackUnderTest lwip_stack() { return stack_named("lwip"); }

std::string run_json(const std::string& text, Playing who) {
  const Scenario s = parse_scenario(text, "t.scn");
  const StackUnderTest lwip = lwip_stack();
  std::vector<Divergence> divergences;
  SeamObservations seen;
  Simulation sim(s);
  sim.set_factory(who, seam_factory(lwip, divergences, seen));
  const Trace& t = sim.run();
  return segments_json(t).dump() + transitions_json(t).dump() + app_json(t).dump();
}

TEST(Lwip, SameScenarioGivesTheSameTraceTwice) {
  // With lwIP's own retransmissions, whose timing hangs on tcp_ticks and the
  // RTT estimate. (That the reset reaches tcp_ticks at all, Stack() checks
  // when it starts: it refuses to run if the globals were copied out of
  // liblwip.so.)
  const std::string text =
      "profile lwip\na close at 0ms\nb send 2 at 20ms\nb close after eof 300ms\ndrop a->b 2\n"
      "drop b->a 2\n";
  for (Playing who : {Playing::A, Playing::B, Playing::Both}) {
    const std::string first = run_json(text, who);
    // Another run between them leaves lwIP's globals (ISN counter, tcp_ticks,
    // pcb lists) changed: the reset must undo all of it.
    run_json("profile lwip\nb close at 0ms\na close after eof 1s\n", who);
    EXPECT_EQ(run_json(text, who), first);
  }
}

// Both sides in the one lwIP: each side's segments leave through its own
// netif and reach the other as the simulator delivers them, and a reopen is
// lwIP's own second handshake once the first connection's pcbs are gone.
TEST(Lwip, PlaysBothSidesAndReopens) {
  const Scenario s =
      parse_scenario("profile lwip\na close at 0ms\nb close after eof 10ms\nreopen\n", "t.scn");
  std::vector<Divergence> divergences;
  SeamObservations seen;
  const StackUnderTest lwip = lwip_stack();
  Simulation sim(s);
  sim.set_factory(Playing::Both, seam_factory(lwip, divergences, seen));
  const Trace& t = sim.run();
  EXPECT_TRUE(t.stack_errors.empty());
  EXPECT_TRUE(divergences.empty());
  ASSERT_EQ(t.segments.size(), 4U);  // FIN, ACK, FIN, ACK: lwIP ACKs a FIN at once
  EXPECT_EQ(t.segments[0].from, Side::A);
  EXPECT_TRUE(t.segments[0].seg.flags.fin);
  EXPECT_EQ(t.segments[3].from, Side::A);
  EXPECT_EQ(t.arrivals.size(), 4U);
  EXPECT_EQ(t.final_states, (std::array{model::State::Established, model::State::Established}));
  bool reopened_after_time_wait = false;
  for (const StepRecord& step : t.steps)
    if (step.endpoint == Side::A && step.from == model::State::TimeWait)
      reopened_after_time_wait = step.at_us >= 2 * s.params.msl_us;
  EXPECT_TRUE(reopened_after_time_wait);
  for (const Verdict& v : check_all(fincheck::Run{s, t})) EXPECT_TRUE(v.holds()) << v.id;
}

// There is one lwIP: a second run cannot join while the first holds it.
TEST(Lwip, SecondRunAtOnceIsRefused) {
  struct Nowhere : Observer {
    void emitted(std::int64_t, std::span<const std::uint8_t>) override {}
    void app_event(std::int64_t, AppOp, std::uint32_t, const std::string&) override {}
    void settled(std::int64_t) override {}
    void stack_error(std::int64_t, const std::string&) override {}
  } nowhere;
  const int first = 1, second = 2;
  DriverSetup setup;
  setup.params = model::lwip_profile();
  setup.observer = &nowhere;
  setup.run = &first;
  {
    const lwip::LwipDriver a(setup);
    setup.side = Side::B;
    setup.run = &second;
    EXPECT_THROW(lwip::LwipDriver{setup}, std::logic_error);
  }
  EXPECT_NO_THROW(lwip::LwipDriver{setup});
}

TEST(Lwip, FaultFreeClosesFollowTheModel) {
  for (const char* story :
       {"a close at 0ms\nb close after eof 300ms\n", "a close at 0ms\nb close after eof 0ms\n",
        "a close at 0ms\nb close at 0ms\n",
        "a close at 0ms\nb send 2 at 20ms\nb close after eof 300ms\n"}) {
    Scenario s = parse_scenario(std::string("profile lwip\n") + story, "t");
    prepare(lwip_stack(), s);
    for (Playing who : {Playing::A, Playing::B, Playing::Both}) {
      const CaseResult r = validate_case(s, who, lwip_stack());
      for (const Divergence& d : r.divergences)
        ADD_FAILURE() << story << d.kind << ": " << d.message;
    }
  }
}

// A finding of the shadow's (README, "lwIP 2.1.3 against the model"): the
// story passes under the lwip profile, and once `unsay` takes back what the
// profile says of lwIP, the shadow reports a state divergence saying `what`.
void expect_finding(const std::string& story, Playing who, void (*unsay)(model::Parameters&),
                    const std::string& what) {
  Scenario as_lwip = parse_scenario("profile lwip\n" + story, "t.scn");
  prepare(lwip_stack(), as_lwip);
  Scenario as_rfc = as_lwip;
  unsay(as_rfc.params);
  EXPECT_TRUE(validate_case(as_lwip, who, lwip_stack()).divergences.empty());
  const CaseResult r = validate_case(as_rfc, who, lwip_stack());
  const auto state = std::find_if(r.divergences.begin(), r.divergences.end(),
                                  [](const Divergence& d) { return d.kind == "state"; });
  ASSERT_NE(state, r.divergences.end());
  EXPECT_NE(state->message.find(what), std::string::npos) << state->message;
}

// In a simultaneous close the peer's retransmitted FIN acknowledges b's FIN:
// lwIP takes that ACK and enters TIME_WAIT, RFC 9293 drops the segment and
// stays in CLOSING (ack_of_unacceptable).
TEST(Lwip, TakesTheAckOfARetransmittedFin) {
  expect_finding(
      "a close at 22ms\nb close at 12ms\ndelay b->a 2 2718ms\ndrop a->b 2\n", Playing::Both,
      [](model::Parameters& p) { p.ack_of_unacceptable = false; },
      "lwip as b is in TIME_WAIT; the model is in CLOSING");
}

// lwIP gives up at the first slow tick after its 12th retransmission, not
// when that retransmission's timeout expires (last_retransmission_wait).
TEST(Lwip, GivesUpASlowTickAfterItsLastRetransmission) {
  std::string story = "a close at 0ms\n";
  for (int n = 1; n <= 14; ++n) story += "drop a->b " + std::to_string(n) + "\n";
  expect_finding(
      story, Playing::A, [](model::Parameters& p) { p.last_retransmission_wait_us = 0; },
      "lwip as a is in CLOSED; the model is in FIN_WAIT_1");
}

// A file's profile cannot configure lwIP: the model takes lwIP's own
// parameters and says so, and a delay that outlives lwIP's MSL is bad input.
TEST(Lwip, FilesAreJudgedWithLwipsOwnParameters) {
  Scenario lwip_file = parse_scenario("profile lwip\na close at 0ms\n", "lwip.scn");
  EXPECT_FALSE(prepare_file(lwip_stack(), lwip_file).has_value());
  Scenario rfc_file =
      parse_scenario("profile rfc9293\na close at 0ms\ndelay b->a 1 90s\n", "rfc.scn");
  const auto note = prepare_file(lwip_stack(), rfc_file);
  ASSERT_TRUE(note.has_value());
  EXPECT_NE(note->find("rfc.scn: the model takes lwip's own parameters"), std::string::npos);
  EXPECT_EQ(rfc_file.params.msl_us, model::lwip_profile().msl_us);
  try {
    validate_scenario(rfc_file);
    ADD_FAILURE() << "a 90 s delay under lwIP's 60 s MSL was accepted";
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.line(), 3);
    EXPECT_NE(std::string(e.what()).find("exceeds MSL (60s)"), std::string::npos) << e.what();
  }
}

TEST(Lwip, TenThousandGeneratedCasesPass) {
  std::ostringstream out, err;
  cli::ValidateCliOptions o;
  o.cases = 10'000;
  o.progress = false;
  o.json = true;
  EXPECT_EQ(cli::validate(o, out, err), cli::exit_ok) << out.str();
}

TEST(Lwip, ProbeAgreesWithTheProfile) {
  std::ostringstream out, err;
  EXPECT_EQ(cli::probe(cli::ProbeCliOptions{}, out, err), cli::exit_ok) << out.str();
}

TEST(Oracle, CatchesEveryMutantRunAsAThirdPartyStack) {
  for (const Mutant& m : mutants()) {
    const StackUnderTest stack = mutant_stack(m);
    const ValidationReport r = validate(generated_cases(stack, 1, 2'000), 2'000, stack);
    EXPECT_FALSE(r.passed()) << m.name << " passed the oracle";
  }
}

}  // namespace
}  // namespace fincheck
