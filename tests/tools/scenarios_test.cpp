// Every file in scenarios/ gives the verdict its `# expect:` line claims, and
// `fincheck run` answers bad input with exit 2 and the file and line.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tools/commands.hpp"

namespace fincheck::cli {
namespace {

std::filesystem::path source_dir() {
  const char* dir = std::getenv("FINCHECK_SOURCE_DIR");
  return dir ? dir : ".";
}

std::vector<std::string> scenario_files() {
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(source_dir() / "scenarios"))
    if (e.path().extension() == ".scn") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

TEST(Scenarios, EachMeetsItsExpectation) {
  const auto files = scenario_files();
  ASSERT_GE(files.size(), 9U);
  for (const std::string& f : files) {
    std::ostringstream out, err;
    EXPECT_EQ(run(RunOptions{.files = {f}, .expect = true}, out, err), exit_ok)
        << out.str() << err.str();
  }
}

TEST(Scenarios, AViolationExitsOne) {
  std::ostringstream out, err;
  const auto file = (source_dir() / "scenarios" / "final-ack-lost-no-time-wait.scn").string();
  EXPECT_EQ(run(RunOptions{.files = {file}}, out, err), exit_violation);
  EXPECT_NE(out.str().find("FAIL  no-rst-single-loss"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("connection reset by peer"), std::string::npos) << out.str();
}

class TempFile {
 public:
  explicit TempFile(const std::string& text)
      : path_(std::filesystem::temp_directory_path() /
              ("fincheck-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
               "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".scn")) {
    std::ofstream(path_) << text;
  }
  ~TempFile() { std::filesystem::remove(path_); }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

TEST(Scenarios, ASegmentThatIsNeverSentIsBadInput) {
  TempFile f("a close at 0ms\nb close after eof 5ms\n\ndrop a->b 9\n");
  std::ostringstream out, err;
  EXPECT_EQ(run(RunOptions{.files = {f.path()}}, out, err), exit_bad_input);
  EXPECT_NE(err.str().find(f.path() + ":4: segment a->b #9 is never sent"), std::string::npos)
      << err.str();
}

TEST(Scenarios, ParseErrorsExitTwoWithTheLine) {
  TempFile f("a close at 0ms\nb close whenever\n");
  std::ostringstream out, err;
  EXPECT_EQ(run(RunOptions{.files = {f.path()}}, out, err), exit_bad_input);
  EXPECT_NE(err.str().find(f.path() + ":2: "), std::string::npos) << err.str();
  EXPECT_TRUE(out.str().empty());
}

TEST(Scenarios, JsonHasTheKeysOfThePublicInterface) {
  const auto file = (source_dir() / "scenarios" / "final-ack-lost.scn").string();
  std::ostringstream out, err;
  ASSERT_EQ(run(RunOptions{.files = {file}, .json = true}, out, err), exit_ok) << err.str();
  const auto j = nlohmann::json::parse(out.str());
  EXPECT_EQ(j["verdict"], "pass");
  EXPECT_EQ(j["final_states"]["a"], "CLOSED");
  EXPECT_TRUE(j["violations"].empty());
  const auto& seg = j["segments"][0];
  for (const char* key :
       {"n", "from", "to", "sent_us", "flags", "seq", "ack", "len", "fate", "arrivals_us", "conn"})
    EXPECT_TRUE(seg.contains(key)) << key;
  EXPECT_EQ(seg["flags"], "F.");
  const auto& tr = j["transitions"][0];
  for (const char* key : {"at_us", "endpoint", "from", "to", "cause", "conn"})
    EXPECT_TRUE(tr.contains(key)) << key;
  // RFC 9293 §3.10.7.4: a's TIME_WAIT restarts at the retransmitted FIN.
  bool restarted = false;
  for (const auto& t : j["transitions"])
    restarted |= t["from"] == "TIME_WAIT" && t["at_us"].get<std::int64_t>() > 241'000'000;
  EXPECT_TRUE(restarted);
}

TEST(Scenarios, TraceFlagShowsEveryTimer) {
  const auto file = (source_dir() / "scenarios" / "first-fin-lost.scn").string();
  std::ostringstream out, err;
  ASSERT_EQ(run(RunOptions{.files = {file}, .timers = true}, out, err), exit_ok);
  EXPECT_NE(out.str().find("timer rto set -> 1.000000"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("timer rto fire"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("timer time_wait set"), std::string::npos) << out.str();
}

}  // namespace
}  // namespace fincheck::cli
