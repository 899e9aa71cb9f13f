// lwIP 2.1.3 behind the Endpoint interface: runs are independent and
// repeatable, fault-free closes follow the model's path, thousands of
// generated cases pass, the probe agrees with the profile, and the oracle
// catches every mutant run through the same interface.
#include <gtest/gtest.h>

#include <sstream>

#include "impl/adapters/lwip/lwip_endpoint.hpp"
#include "impl/scenario_io.hpp"
#include "impl/trace_json.hpp"
#include "properties/validation.hpp"
#include "tools/commands.hpp"

namespace fincheck {
namespace {

std::string run_json(const std::string& text, Side side) {
  const Scenario s = parse_scenario(text, "t.scn");
  Simulation sim(s);
  sim.set_factory(side, lwip::factory());
  const Trace& t = sim.run();
  return segments_json(t).dump() + transitions_json(t).dump() + app_json(t).dump();
}

TEST(Lwip, SameScenarioGivesTheSameTraceTwice) {
  const std::string text =
      "profile lwip\na close at 0ms\nb send 2 at 20ms\nb close after eof 300ms\ndrop a->b 2\n";
  for (Side side : {Side::A, Side::B}) {
    const std::string first = run_json(text, side);
    // Another run between them leaves lwIP's globals (ISN counter, tcp_ticks,
    // pcb lists) changed: the reset must undo all of it.
    run_json("profile lwip\nb close at 0ms\na close after eof 1s\n", side);
    EXPECT_EQ(run_json(text, side), first);
  }
}

// A packet the stack sends that the wire cannot carry is recorded, never
// thrown through lwIP's C frames, and fails the run.
TEST(Lwip, MalformedPacketFromTheStackIsReportedNotThrown) {
  struct NoWire : Wire {
    void transmit(Side, int, const Segment&) override {}
  } wire;
  Trace trace;
  EndpointSetup setup;
  setup.params = model::lwip_profile();
  setup.iss = Seq(1000);
  setup.irs = Seq(5000);
  setup.trace = &trace;
  setup.wire = &wire;
  lwip::LwipEndpoint endpoint(setup);
  EXPECT_NO_THROW(endpoint.output({0x45, 0x00, 0x00}));
  ASSERT_EQ(trace.stack_errors.size(), 1U);
  EXPECT_NE(trace.stack_errors[0].message.find("malformed"), std::string::npos);
  EXPECT_NE(trace.stack_errors[0].message.find("byte 3"), std::string::npos);
}

TEST(Lwip, FaultFreeClosesFollowTheModel) {
  for (const char* story :
       {"a close at 0ms\nb close after eof 300ms\n", "a close at 0ms\nb close after eof 0ms\n",
        "a close at 0ms\nb close at 0ms\n",
        "a close at 0ms\nb send 2 at 20ms\nb close after eof 300ms\n"}) {
    Scenario s = parse_scenario(std::string("profile lwip\n") + story, "t");
    lwip_stack().prepare(s);
    for (Side side : {Side::A, Side::B}) {
      const CaseResult r = validate_case(s, side, lwip_stack());
      for (const Divergence& d : r.divergences)
        ADD_FAILURE() << story << d.kind << ": " << d.message;
    }
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
