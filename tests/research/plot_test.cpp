// Plots a person can read at a glance: a log scale where proportions span
// orders of magnitude, what was never seen drawn at its interval's upper
// end, series named by what differs between them, reference curves, a
// legend that leaves the data visible -- and a script gnuplot accepts.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "research/plot.hpp"

namespace fincheck::research {
namespace {

// Points along TIME_WAIT at 1 % loss; `resets[i]` of 10,000 at each.
std::vector<PointResult> points(const std::vector<std::uint64_t>& resets,
                                bool rfc1337_series = false) {
  std::vector<PointResult> out;
  for (std::size_t i = 0; i < resets.size(); ++i) {
    PointResult r;
    r.point.loss_ppm = 10'000;
    r.point.time_wait_permille = static_cast<std::uint32_t>(500 * i);
    r.point.reopen = rfc1337_series;
    r.tally.n = 10'000;
    r.tally.reset_passive = resets[i];
    out.push_back(r);
  }
  return out;
}

SweepSpec spec_of(std::size_t n) {
  SweepSpec s;
  s.time_wait_permille.clear();
  for (std::size_t i = 0; i < n; ++i) s.time_wait_permille.push_back(500 * i);
  return s;
}

// The data block `name` of a script, one line per point.
std::vector<std::string> block(const std::string& script, const std::string& name) {
  std::vector<std::string> lines;
  const std::size_t at = script.find("$" + name + " << EOD\n");
  if (at == std::string::npos) return lines;
  std::istringstream in(script.substr(script.find('\n', at) + 1));
  for (std::string line; std::getline(in, line) && line != "EOD";) lines.push_back(line);
  return lines;
}

TEST(Plot, LogScaleWhenProportionsSpanOrdersOfMagnitude) {
  const SweepSpec spec = spec_of(3);
  const Chart chart{"reset_passive", "resets"};
  const auto wide = points({100, 1, 0});  // 1e-2 beside 1e-4
  const auto narrow = points({100, 50, 20});
  EXPECT_NE(gnuplot_script(spec, wide, {chart}, "w").find("\nset logscale y"), std::string::npos);
  EXPECT_EQ(gnuplot_script(spec, narrow, {chart}, "n").find("\nset logscale y"), std::string::npos);
}

TEST(Plot, NeverSeenIsDrawnAtTheIntervalsUpperEnd) {
  const std::string script =
      gnuplot_script(spec_of(3), points({100, 1, 0}), {{"reset_passive", "r"}}, "s");
  EXPECT_EQ(block(script, "reset_passive0").size(), 2U);
  const auto none = block(script, "reset_passive0none");
  ASSERT_EQ(none.size(), 1U);
  // 0 of 10,000: the Wilson 95 % interval's upper end is z²/(n + z²) =
  // 3.8415 / 10,003.8415 = 3.84e-4.
  EXPECT_EQ(none[0].substr(0, 2), "1 ");
  EXPECT_NEAR(std::stod(none[0].substr(2)), 3.8415 / 10'003.8415, 1e-7);
  EXPECT_NE(script.find("none seen"), std::string::npos);
}

TEST(Plot, SeriesAreNamedByWhatDiffersAndTheRestIsInTheTitle) {
  const SweepSpec spec = spec_of(3);
  const auto on = points({100, 10, 0}), off = points({100, 90, 80});
  const std::string script =
      gnuplot_script({{"RFC 1337 on", &spec, &on}, {"RFC 1337 off", &spec, &off}},
                     {{"reset_passive", "contrast"}}, "c");
  EXPECT_NE(script.find("title \"RFC 1337 on\""), std::string::npos);
  EXPECT_NE(script.find("title \"RFC 1337 off\""), std::string::npos);
  EXPECT_NE(script.find("set title \"contrast\\nrfc9293, loss 0.01"), std::string::npos);
}

TEST(Plot, ReferenceCurvesAreDrawnAndCount) {
  // Claim 7 compares with p and p^2: constants that span two orders.
  const std::string script =
      gnuplot_script(spec_of(3), points({100, 0, 0}),
                     {{"reset_passive", "r", {{"1e-2", "p"}, {"1e-4", "p^2"}}}}, "r");
  EXPECT_NE(script.find("1e-2 with lines"), std::string::npos);
  EXPECT_NE(script.find("1e-4 with lines"), std::string::npos);
  EXPECT_NE(script.find("\nset logscale y"), std::string::npos);
}

TEST(Plot, TheLegendTakesTheEmptiestCorner) {
  // Falling from the top left to the bottom right: the legend goes top right
  // or bottom left, never over the first or last point.
  const std::string falling =
      gnuplot_script(spec_of(4), points({5000, 3000, 1000, 10}), {{"reset_passive", "f"}}, "f");
  EXPECT_EQ(falling.find("set key top left"), std::string::npos);
  EXPECT_EQ(falling.find("set key bottom right"), std::string::npos);
  const std::string rising =
      gnuplot_script(spec_of(4), points({10, 1000, 3000, 5000}), {{"reset_passive", "r"}}, "r");
  EXPECT_EQ(rising.find("set key top right"), std::string::npos);
  EXPECT_EQ(rising.find("set key bottom left"), std::string::npos);
}

TEST(Plot, GnuplotDrawsTheScript) {
  if (std::system("command -v gnuplot >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "gnuplot is not installed (apt-get install gnuplot-nox)";
  const auto dir = std::filesystem::temp_directory_path() / "fincheck-plot-draws";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const SweepSpec spec = spec_of(3);
  const auto on = points({100, 1, 0}), off = points({100, 90, 80});
  std::ofstream(dir / "p.gp") << gnuplot_script(
      {{"on", &spec, &on}, {"off", &spec, &off}},
      {{"reset_passive", "title \"quoted\"\nsecond line", {{"1e-2", "p"}}}}, "p");
  const std::string cmd = "cd '" + dir.string() + "' && gnuplot p.gp 2>gnuplot.log";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << (dir / "gnuplot.log").string();
  for (const char* file : {"p-reset_passive.svg", "p-reset_passive.png"})
    EXPECT_GT(std::filesystem::file_size(dir / file), 1000U) << file;
}

}  // namespace
}  // namespace fincheck::research
