// The state diagram is read off the table's type: every row is one edge (or
// one line inside its state), a mutant's table draws its own rows, and the
// layout follows RFC 9293 Figure 5.
#include <gtest/gtest.h>

#include <regex>

#include "model/machine.hpp"
#include "properties/checker.hpp"
#include "properties/mutants.hpp"
#include "report/graphviz.hpp"
#include "report/state_diagram.hpp"
#include "tests/report/occurrences.hpp"

namespace fincheck::report {
namespace {

// The Graphviz statement that draws row `index`: an edge, or a line of a state.
std::string statement_of(const std::string& dot, int index) {
  const std::string id = "row_" + std::to_string(index) + "\"";
  const std::size_t at = dot.find(id);
  if (at == std::string::npos) return {};
  const std::size_t begin = dot.rfind('\n', at) + 1;
  return dot.substr(begin, dot.find('\n', at) - begin);
}

TEST(StateDiagram, EveryRowOfTheTableOnceAndNothingElse) {
  const auto& rows = model::reference_table().rows();
  const std::string dot = state_diagram_dot(rows, "t");
  for (const model::RowInfo& r : rows) {
    const std::string id = "row_" + std::to_string(r.index) + "\"";
    EXPECT_EQ(occurrences(dot, id), 1U) << "row " << r.index;
    const std::string line = statement_of(dot, r.index);
    if (r.from == r.to) {
      // Inside its state's box, in that state's statement.
      EXPECT_EQ(line.rfind("  " + std::string(model::to_string(r.from)) + " [id=", 0), 0U) << line;
    } else {
      EXPECT_NE(line.find(std::string(model::to_string(r.from)) + " -> " +
                          std::string(model::to_string(r.to))),
                std::string::npos)
          << line;
    }
    EXPECT_NE(line.find(std::string(r.event)), std::string::npos) << line;
  }
  EXPECT_EQ(occurrences(dot, "ID=\"row_") + occurrences(dot, "[id=\"row_"), rows.size());
}

TEST(StateDiagram, AMutantsTableDrawsItsOwnRows) {
  // simultaneous-close-skips-closing sends row 14, FIN-WAIT-1's FIN that does
  // not ACK our FIN, to TIME-WAIT instead of CLOSING (RFC 9293 §3.10.7.4).
  const Mutant* m = mutant_named("simultaneous-close-skips-closing");
  ASSERT_NE(m, nullptr);
  const std::string reference = statement_of(state_diagram_dot(table_rows(nullptr), "t"), 14);
  const std::string mutated = statement_of(state_diagram_dot(table_rows(m), "t"), 14);
  EXPECT_NE(reference.find("FIN_WAIT_1 -> CLOSING"), std::string::npos) << reference;
  EXPECT_NE(mutated.find("FIN_WAIT_1 -> TIME_WAIT"), std::string::npos) << mutated;
}

TEST(StateDiagram, CoverageCountsNeverFiredRowsAndDivergences) {
  const auto& rows = model::reference_table().rows();
  Coverage c;
  c.source = "x.json";
  c.hits.assign(rows.size(), 3);
  c.hits[12] = 0;
  c.hits[13] = 1000;
  c.divergences.push_back({"state", 7, 15, model::State::TimeWait});
  c.divergences.push_back({"stack-error", 2, std::nullopt, model::State::Established});
  const std::string dot = state_diagram_dot(rows, "t", &c);
  const std::string never = statement_of(dot, 12), often = statement_of(dot, 13),
                    diverged = statement_of(dot, 15), once = statement_of(dot, 0);
  EXPECT_NE(never.find("style=dashed"), std::string::npos) << never;
  EXPECT_NE(never.find("\u00d70"), std::string::npos) << never;
  EXPECT_EQ(once.find("style=dashed"), std::string::npos) << once;
  // Width grows with the firings: 1 + 0.6 log10(n).
  EXPECT_NE(often.find("penwidth=2.80"), std::string::npos) << often;
  EXPECT_NE(diverged.find("! state \u00d77"), std::string::npos) << diverged;
  EXPECT_NE(diverged.find("#e65100"), std::string::npos) << diverged;
  // A divergence before any row fired sits in its state's box.
  const std::string established = statement_of(dot, 4);
  EXPECT_NE(established.find("! stack-error \u00d72 (before any row)"), std::string::npos);
  EXPECT_NE(dot.find("1 of 83 rows never fired"), std::string::npos);
}

// Where Graphviz put a state: the centre of its name.
std::pair<double, double> where(const std::string& svg, const std::string& state) {
  const std::size_t at = svg.find("id=\"state_" + state + "\"");
  const std::regex text(R"re(<text[^>]* x="([-0-9.]+)" y="([-0-9.]+)")re");
  std::smatch m;
  const std::string rest = svg.substr(at);
  if (at == std::string::npos || !std::regex_search(rest, m, text)) return {0, 0};
  return {std::stod(m[1]), std::stod(m[2])};
}

TEST(StateDiagram, LaidOutAsRfc9293Figure5) {
  if (!dot_available())
    GTEST_SKIP() << "Graphviz's dot is not installed (apt-get install graphviz)";
  const std::string svg = render_svg(state_diagram_dot(model::reference_table().rows(), "t"));
  const auto est = where(svg, "ESTABLISHED"), fw1 = where(svg, "FIN_WAIT_1"),
             fw2 = where(svg, "FIN_WAIT_2"), closing = where(svg, "CLOSING"),
             tw = where(svg, "TIME_WAIT"), cw = where(svg, "CLOSE_WAIT"),
             la = where(svg, "LAST_ACK"), closed = where(svg, "CLOSED");
  // SVG's y grows downward. The active close runs down the left ...
  EXPECT_LT(est.second, fw1.second);
  EXPECT_LT(fw1.second, fw2.second);
  EXPECT_LT(fw2.second, tw.second);
  // ... the passive close down the right, CLOSING between them, and CLOSED
  // below everything.
  EXPECT_LT(fw1.first, cw.first);
  EXPECT_LT(fw2.first, closing.first);
  EXPECT_LT(closing.first, la.first);
  EXPECT_LT(cw.second, la.second);
  for (const auto& s : {est, fw1, fw2, closing, tw, cw, la}) EXPECT_LT(s.second, closed.second);
  // Every row is in the drawing with its id.
  for (const model::RowInfo& r : model::reference_table().rows())
    EXPECT_NE(svg.find("row_" + std::to_string(r.index) + "\""), std::string::npos) << r.index;
}

TEST(StateDiagram, DotsErrorIsReported) {
  if (!dot_available())
    GTEST_SKIP() << "Graphviz's dot is not installed (apt-get install graphviz)";
  EXPECT_THROW(render_svg("digraph {"), GraphvizError);
}

}  // namespace
}  // namespace fincheck::report
