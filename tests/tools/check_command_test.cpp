// `fincheck check` and `fincheck mutants` as a user meets them: exit codes,
// the saved counterexample, the replay command, JSON.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "model/machine.hpp"
#include "tools/commands.hpp"
#include "tools/progress.hpp"

namespace fincheck::cli {
namespace {

std::filesystem::path fresh_dir() {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("fincheck-check-" +
                    std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

TEST(CheckCommand, ModelPassesAndSaysSo) {
  std::ostringstream out, err;
  CheckCliOptions o;
  o.seed = 5;
  o.seed_given = true;
  o.cases = 2'000;
  o.progress = false;
  EXPECT_EQ(check(o, out, err), exit_ok) << out.str();
  EXPECT_NE(out.str().find("seed 5"), std::string::npos);
  EXPECT_NE(out.str().find("verdict: pass"), std::string::npos);
}

TEST(CheckCommand, AMutantFailsWithASavedReplayableCounterexample) {
  const auto dir = fresh_dir();
  std::ostringstream out, err;
  CheckCliOptions o;
  o.seed = 1;
  o.seed_given = true;
  o.cases = 2'000;
  o.mutant = "passive-closer-time-wait";
  o.out_dir = dir.string();
  o.progress = false;
  ASSERT_EQ(check(o, out, err), exit_violation) << out.str() << err.str();
  const std::string text = out.str();
  EXPECT_NE(text.find("FAIL time-wait-only-active-closer"), std::string::npos) << text;
  EXPECT_NE(text.find("fincheck check --seed 1 --cases 2000 --mutant passive-closer-time-wait"),
            std::string::npos)
      << text;
  const auto file =
      dir / "counterexample-passive-closer-time-wait-time-wait-only-active-closer-seed1.scn";
  ASSERT_TRUE(std::filesystem::exists(file)) << text;
  EXPECT_NE(text.find("fincheck run --mutant passive-closer-time-wait " + file.string()),
            std::string::npos);
  // The replay: same violation under the mutant, as its `# expect:` says.
  std::ostringstream rout, rerr;
  EXPECT_EQ(run(
                RunOptions{
                    .files = {file.string()}, .expect = true, .mutant = "passive-closer-time-wait"},
                rout, rerr),
            exit_ok)
      << rout.str() << rerr.str();
  std::filesystem::remove_all(dir);
}

TEST(CheckCommand, UnknownNamesAreBadInput) {
  for (auto [property, mutant, profile] :
       {std::tuple{"no-such-property", "", ""}, std::tuple{"", "no-such-mutant", ""},
        std::tuple{"", "", "bsd"}}) {
    std::ostringstream out, err;
    CheckCliOptions o;
    o.property = property;
    o.mutant = mutant;
    o.profile = profile;
    o.progress = false;
    EXPECT_EQ(check(o, out, err), exit_bad_input);
    EXPECT_NE(err.str().find("unknown"), std::string::npos) << err.str();
  }
}

TEST(CheckCommand, JsonCarriesTalliesAndCoverage) {
  std::ostringstream out, err;
  CheckCliOptions o;
  o.seed = 2;
  o.seed_given = true;
  o.cases = 500;
  o.json = true;
  o.progress = false;
  o.property = "every-fin-acked";
  ASSERT_EQ(check(o, out, err), exit_ok);
  const auto j = nlohmann::json::parse(out.str());
  EXPECT_EQ(j["verdict"], "pass");
  EXPECT_EQ(j["seed"], 2);
  ASSERT_EQ(j["properties"].size(), 1U);
  EXPECT_EQ(j["properties"][0]["property"], "every-fin-acked");
  EXPECT_EQ(j["properties"][0]["runs"], 500);
  EXPECT_TRUE(j.contains("rows_never_hit"));
}

// A short, seeded check of a mutant, saving into `dir`: it fails at once.
CheckCliOptions small_mutant_check(const std::string& mutant, const std::filesystem::path& dir) {
  CheckCliOptions o;
  o.cases = 200;
  o.seed = 1;
  o.seed_given = true;
  o.mutant = mutant;
  o.out_dir = dir.string();
  o.progress = false;
  return o;
}

TEST(CheckCommand, OutIntoAFolderThatDoesNotExistMakesIt) {
  // Found by a CI user: "counterexample saved as DIR/..." and nothing written.
  const auto dir = std::filesystem::temp_directory_path() / "fincheck-check-out-test" / "new";
  std::filesystem::remove_all(dir.parent_path());
  std::ostringstream out, err;
  const CheckCliOptions o = small_mutant_check("no-time-wait", dir);
  EXPECT_EQ(check(o, out, err), exit_violation) << err.str();
  // The counterexample and its ladder beside it.
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.is_regular_file()) files.push_back(e.path().extension().string());
  std::sort(files.begin(), files.end());
  EXPECT_EQ(files, (std::vector<std::string>{".scn", ".svg"}));
  std::filesystem::remove_all(dir.parent_path());
}

TEST(SweepCommand, PlotWithARelativeNameSaysHowToRunIt) {
  // Found by a CI user: "run: cd  && gnuplot NAME.gp".
  const auto dir = std::filesystem::temp_directory_path() / "fincheck-plot-test";
  std::filesystem::create_directories(dir);
  const auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(dir);
  std::ostringstream out, err;
  SweepCliOptions o;
  o.samples = 10;
  o.progress = false;
  o.out = "tw.csv";
  o.plot = "tw";
  EXPECT_EQ(sweep(o, out, err), exit_ok) << err.str();
  std::filesystem::current_path(cwd);
  EXPECT_NE(out.str().find("(run: gnuplot tw.gp)"), std::string::npos) << out.str();
  std::filesystem::remove_all(dir);
}

TEST(CheckCommand, CounterexampleLadderHasAHeader) {
  // Found by a CI user: the printed ladder had no profile, parameters or
  // players, so the parameter that causes the failure was only in the file.
  const auto dir = std::filesystem::temp_directory_path() / "fincheck-header-test";
  std::ostringstream out, err;
  const CheckCliOptions o = small_mutant_check("time-wait-one-msl", dir);
  ASSERT_EQ(check(o, out, err), exit_violation) << err.str();
  EXPECT_NE(out.str().find("settings: time_wait "), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("playing a: mutant time-wait-one-msl, b: mutant time-wait-one-msl"),
            std::string::npos)
      << out.str();
  std::filesystem::remove_all(dir);
}

TEST(ValidateCommand, NeverOverwritesEarlierEvidence) {
  // Found by a CI user: running the printed replay command in the same
  // folder rewrote the other divergence-*.scn files with other examples.
  const auto dir = std::filesystem::temp_directory_path() / "fincheck-evidence-test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const auto kept = dir / "divergence-mutant-no-time-wait-state.scn";
  std::ofstream(kept) << "# evidence\n";
  std::ostringstream out, err;
  ValidateCliOptions o;
  o.impl = "mutant:no-time-wait";
  o.cases = 50;
  o.out_dir = dir.string();
  o.progress = false;
  EXPECT_EQ(validate(o, out, err), exit_violation) << err.str();
  std::ifstream in(kept);
  std::string first;
  std::getline(in, first);
  EXPECT_EQ(first, "# evidence");
  EXPECT_TRUE(std::filesystem::exists(dir / "divergence-mutant-no-time-wait-state-2.scn"));
  std::filesystem::remove_all(dir);
}

TEST(ProgressLine, FinishClearsTheLineBeforeTheResult) {
  // Found by a CI user: check's last progress line stayed, and the result
  // was glued to it. check() now finishes the line before it prints.
  std::ostringstream err;
  ProgressLine line(err, "checked", true, true);
  std::this_thread::sleep_for(std::chrono::milliseconds(1'050));
  line(10, 10);
  ASSERT_NE(err.str().find("checked 10/10"), std::string::npos);
  line.finish();
  const std::string text = err.str();
  EXPECT_EQ(text.substr(text.size() - 74), "\r" + std::string(72, ' ') + "\r");
  line.finish();
  EXPECT_EQ(err.str(), text) << "cleared once";
}

TEST(TableCommand, ColumnsNeverRunTogether) {
  // Found by a CI user: "StartTimeWaitnone" -- the longest action ran into
  // the guard column.
  std::ostringstream out, err;
  ASSERT_EQ(table(TableCliOptions{}, out, err), exit_ok);
  const std::string text = out.str();
  for (const model::RowInfo& r : model::reference_table().rows())
    EXPECT_NE(text.find(r.action + "  "), std::string::npos)
        << "row " << r.index << ": " << r.action;
}

TEST(MutantsCommand, KillMatrixExitsZeroAndNamesEveryMutant) {
  std::ostringstream out, err;
  MutantsCliOptions o;
  o.cases = 3'000;
  o.json = true;
  o.progress = false;
  ASSERT_EQ(mutants(o, out, err), exit_ok) << out.str();
  const auto j = nlohmann::json::parse(out.str());
  EXPECT_EQ(j["verdict"], "pass");
  EXPECT_TRUE(j["invariants_killing_nothing"].empty());
  for (const auto& m : j["mutants"]) {
    EXPECT_TRUE(m["killed"].get<bool>()) << m["name"];
    for (const auto& k : m["killed_by"]) EXPECT_GT(k["size"].get<int>(), 0);
  }
}

}  // namespace
}  // namespace fincheck::cli
