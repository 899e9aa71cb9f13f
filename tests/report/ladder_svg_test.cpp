// The SVG ladder draws what the text ladder prints: every line's text, an
// arrow per arrival, a cross per dropped segment, a rule per violation.
#include <gtest/gtest.h>

#include "impl/scenario_io.hpp"
#include "impl/simulation.hpp"
#include "impl/text.hpp"
#include "properties/checker.hpp"
#include "properties/invariant.hpp"
#include "properties/mutants.hpp"
#include "report/ladder_svg.hpp"
#include "tests/report/occurrences.hpp"

namespace fincheck::report {
namespace {

Scenario scenario(const std::string& name) {
  return load_scenario(std::string(std::getenv("FINCHECK_SOURCE_DIR")) + "/scenarios/" + name);
}

TEST(LadderSvg, DrawsEveryLineArrivalAndDrop) {
  // final-ack-lost.scn drops a's ACK of b's FIN (a->b #2), so b
  // retransmits its FIN (RFC 9293 §3.6: TIME-WAIT is there for this).
  const Scenario s = scenario("final-ack-lost.scn");
  Simulation sim(s);
  const Trace& t = sim.run();
  const std::string svg =
      render_ladder_svg(t, model::reference_table().rows(), LadderSvgOptions{.timers = true});
  for (const LadderLine& l : ladder_lines(t, model::reference_table().rows(), {.timers = true}))
    EXPECT_NE(svg.find(">" + xml_text(l.text) + "<"), std::string::npos) << l.text;
  EXPECT_EQ(occurrences(svg, "<line class=\"segment\""), t.arrivals.size());
  std::size_t dropped = 0;
  for (const SegmentRecord& r : t.segments) dropped += r.fate == Fate::Dropped;
  ASSERT_EQ(dropped, 1U);
  EXPECT_EQ(occurrences(svg, "class=\"segment drop\""), 1U);
  EXPECT_EQ(occurrences(svg, "class=\"violation\""), 0U);
  EXPECT_EQ(occurrences(svg, "class=\"timer\""), t.timers.size());
}

TEST(LadderSvg, MarksEachViolation) {
  const Mutant* m = mutant_named("no-time-wait");
  ASSERT_NE(m, nullptr);
  const Scenario s = m->apply(scenario("final-ack-lost.scn"));
  Simulation sim(s, m->table());
  const Trace& t = sim.run();
  LadderSvgOptions o;
  for (const Verdict& v : check_all(fincheck::Run{s, t}))
    for (const Violation& x : v.violations) o.marks.push_back({x.property, x.at_us, x.message});
  ASSERT_FALSE(o.marks.empty());
  const std::string svg = render_ladder_svg(t, m->table().rows(), o);
  EXPECT_EQ(occurrences(svg, "class=\"violation\""), o.marks.size());
  for (const LadderMark& mark : o.marks)
    EXPECT_NE(svg.find(xml_text(mark.message)), std::string::npos) << mark.message;
}

TEST(LadderSvg, TextIsEscapedAndAlwaysUtf8) {
  EXPECT_EQ(xml_text("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;");
  // A file name is any bytes: a lone 0xFF and a control character.
  EXPECT_EQ(xml_text("x\xffy\x01z"), "x\uFFFDy\uFFFDz");
  EXPECT_EQ(xml_text("\u00d7 ok"), "\u00d7 ok");
}

}  // namespace
}  // namespace fincheck::report
