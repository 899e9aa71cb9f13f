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

const StackUnderTest lwip_stack{"lwip", lwip::factory()};

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

TEST(Lwip, FaultFreeClosesFollowTheModel) {
  for (const char* story :
       {"a close at 0ms\nb close after eof 300ms\n", "a close at 0ms\nb close after eof 0ms\n",
        "a close at 0ms\nb close at 0ms\n",
        "a close at 0ms\nb send 2 at 20ms\nb close after eof 300ms\n"}) {
    const Scenario s =
        parse_scenario(std::string("profile lwip\nset fin_wait_2_timeout 0ms\n") + story, "t");
    for (Side side : {Side::A, Side::B}) {
      const CaseResult r = validate_case(s, side, lwip_stack);
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
  GenOptions gen;
  for (const Mutant& m : mutants()) {
    const StackUnderTest stack = mutant_stack(m);
    const ValidationReport r = validate(
        [&](std::uint32_t i) -> std::optional<Scenario> {
          if (i >= 2'000) return std::nullopt;
          return generate_case(1, i, gen).value();
        },
        2'000, stack);
    EXPECT_FALSE(r.passed()) << m.name << " passed the oracle";
  }
}

}  // namespace
}  // namespace fincheck
