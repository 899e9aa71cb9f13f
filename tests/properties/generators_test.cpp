// Generated scenarios are valid scenario files, the same seed gives the same
// cases, and shrinking heads for the smallest story.
#include <gtest/gtest.h>

#include "impl/scenario_io.hpp"
#include "properties/checker.hpp"

namespace fincheck {
namespace {

TEST(Generators, EveryCaseIsAValidScenarioThatRoundTrips) {
  for (std::uint32_t i = 0; i < 2'000; ++i) {
    const Scenario s = generate_case(7, i, {}).value();
    EXPECT_NO_THROW(validate_scenario(s)) << write_scenario(s);
    const std::string text = write_scenario(s);
    EXPECT_EQ(write_scenario(parse_scenario(text, "g.scn")), text);
  }
}

TEST(Generators, SameSeedSameCases) {
  for (std::uint32_t i = 0; i < 200; ++i)
    EXPECT_EQ(write_scenario(generate_case(42, i, {}).value()),
              write_scenario(generate_case(42, i, {}).value()));
  EXPECT_NE(write_scenario(generate_case(42, 5, {}).value()),
            write_scenario(generate_case(43, 5, {}).value()));
}

TEST(Generators, ProfileOptionIsHonoured) {
  for (std::uint32_t i = 0; i < 200; ++i)
    EXPECT_EQ(generate_case(3, i, GenOptions{.profile = "lwip"}).value().params.profile, "lwip");
}

TEST(Generators, AProfileOfOnesOwnIsTheBaseOfEveryCase) {
  model::Parameters own = model::linux_profile();
  own.rto_initial_us = 300'000;
  for (std::uint32_t i = 0; i < 200; ++i) {
    EXPECT_EQ(generate_case(3, i, GenOptions{.params = own, .profile_parameters_only = true})
                  .value()
                  .params,
              own);
    // With overrides, those drawn on top of it; what no override touches
    // is its own.
    const model::Parameters drawn = generate_case(3, i, GenOptions{.params = own}).value().params;
    EXPECT_EQ(drawn.profile, "linux");
    EXPECT_EQ(drawn.fin_wait_2_timeout_us, own.fin_wait_2_timeout_us);
  }
}

TEST(Generators, ShrinkingEndsAtTheSmallestStory) {
  // A property every case breaks shrinks to the textbook close at t = 0: no
  // faults, no data, no reopen, the plain profile -- whatever case it began
  // from.
  const Invariant always_fails{"always-fails", "", [](const fincheck::Run&) { return true; },
                               [](const fincheck::Run&, std::vector<Violation>& out) {
                                 out.push_back({"always-fails", 0, "fails"});
                               }};
  for (std::uint32_t i = 0; i < 50; ++i) {
    const auto c = shrink_case(generate_case(9, i, {}), always_fails, nullptr, 9, i);
    const std::string text = write_scenario(c.scenario);
    EXPECT_TRUE(text == "profile rfc9293\na close at 0ms\nb close after eof 0ms\n" ||
                text == "profile rfc9293\na close at 0ms\n")
        << "case " << i << " shrank to\n"
        << text;
  }
}

TEST(Generators, ShrinkCandidatesAreValidAndSmaller) {
  for (std::uint32_t i = 0; i < 200; ++i) {
    const Scenario s = generate_case(11, i, {}).value();
    for (const Scenario& c : shrink_scenario(s)) {
      EXPECT_NO_THROW(validate_scenario(c));
      EXPECT_LE(c.faults.size(), s.faults.size());
      EXPECT_LE(c.actions.size(), s.actions.size());
    }
  }
}

}  // namespace
}  // namespace fincheck
