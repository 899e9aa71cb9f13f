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

TEST(Generators, ShrinkingEndsAtTheSmallestStory) {
  // A property every case breaks shrinks to no faults, no data, no reopen
  // and the profile's own parameters.
  const Invariant always_fails{"always-fails", "", [](const fincheck::Run&) { return true; },
                               [](const fincheck::Run&, std::vector<Violation>& out) {
                                 out.push_back({"always-fails", 0, "fails"});
                               }};
  for (std::uint32_t i = 0; i < 20; ++i) {
    const auto c = shrink_case(generate_case(9, i, {}), always_fails, nullptr, 9, i);
    EXPECT_TRUE(c.scenario.faults.empty()) << write_scenario(c.scenario);
    EXPECT_FALSE(c.scenario.reopen);
    EXPECT_EQ(c.scenario.params.profile, "rfc9293");
    EXPECT_EQ(write_scenario(c.scenario),
              "profile rfc9293\na close at 0ms\nb close after eof 0ms\n")
        << "the smallest story: the textbook close, at once";
  }
}

}  // namespace
}  // namespace fincheck
