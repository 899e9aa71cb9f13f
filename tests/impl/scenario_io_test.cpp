// Scenario files: every class of bad input is named with its line, and what
// write_scenario writes reads back to the same scenario.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "impl/scenario_io.hpp"

namespace fincheck {
namespace {

struct BadInput {
  const char* name;
  const char* text;
  int line;
  const char* message;  // a piece of the message
};

void PrintTo(const BadInput& b, std::ostream* os) { *os << b.name; }

class RejectsBadInput : public ::testing::TestWithParam<BadInput> {};

TEST_P(RejectsBadInput, NamingFileAndLine) {
  const BadInput& b = GetParam();
  try {
    parse_scenario(b.text, "case.scn");
    FAIL() << "accepted:\n" << b.text;
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.line(), b.line) << e.what();
    EXPECT_NE(std::string(e.what()).find("case.scn:" + std::to_string(b.line) + ": "),
              std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find(b.message), std::string::npos) << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(
    Scenario, RejectsBadInput,
    ::testing::Values(
        BadInput{"UnknownDirective", "a close at 0ms\nfrobnicate\n", 2,
                 "unknown directive 'frobnicate'"},
        BadInput{"NegativeTime", "a close at -5ms\n", 1, "negative time"},
        // Accepted once, these overflowed the simulator's horizon into a
        // run cut off at t = 0: an eventually-closed failure, a wrong verdict.
        BadInput{"MslAboveADay", "a close at 0ms\nset msl 999999999999s\n", 2,
                 "msl 999999999999s is above the limit of a day"},
        BadInput{"TimeAboveADay", "a close at 86400001ms\n", 1, "is above the limit of a day"},
        BadInput{"RetriesAboveTheLimit", "set retries 1001\na close at 0ms\n", 1,
                 "retries 1001 is above the limit of 1000"},
        BadInput{"TimeWithoutUnit", "a close at 5\n", 1, "is not a duration"},
        BadInput{"UnknownProfile", "profile bsd\n", 1, "unknown profile 'bsd'"},
        BadInput{"ProfileAfterSet", "set msl 30s\nprofile linux\n", 2,
                 "must come before any 'set'"},
        BadInput{"UnknownParameter", "set mtu 1500\n", 1, "unknown parameter 'mtu'"},
        BadInput{"ZeroMss", "set mss 0\n", 1, "mss must be at least 1 byte"},
        BadInput{"RtoMinAboveMax", "set rto_min 200s\n", 1, "rto_min (200s) is above rto_max"},
        BadInput{"BadParameterValue", "set retries many\n", 1, "not a valid value for retries"},
        BadInput{"NegativeParameter", "set msl -1s\n", 1, "negative value"},
        BadInput{"BadFlag", "set ack_of_unacceptable maybe\n", 1,
                 "not a valid value for ack_of_unacceptable"},
        BadInput{"BadLastRetransmissionWait", "set last_retransmission_wait soon\n", 1,
                 "last_retransmission_wait"},
        BadInput{"BadDirection", "drop a-b 1\n", 1, "must be a->b or b->a"},
        BadInput{"SegmentZero", "drop a->b 0\n", 1, "not a positive whole number"},
        BadInput{"DropAndDelay", "delay a->b 1 5ms\ndrop a->b 1\n", 2, "cannot be dropped"},
        BadInput{"TwoCloses", "a close at 0ms\na close after eof 1ms\n", 2,
                 "a second close or abort for a"},
        BadInput{"CloseAndAbort", "a abort at 0ms\na close at 1ms\n", 2,
                 "a second close or abort for a"},
        BadInput{"TwoShutdowns", "a shutdown at 0ms\na shutdown at 1ms\n", 2,
                 "a second shutdown for a"},
        BadInput{"UnknownCall", "a linger at 0ms\n", 1, "expected 'close', 'shutdown', 'abort'"},
        BadInput{"EofNeverSeen", "b reads nothing\nb close after eof 0ms\n", 2, "b never reads"},
        BadInput{"HugeWrite", "b send 20000 at 0ms\n", 1, "more than 10000 in one write"},
        BadInput{"TooManyDuplicates", "dup a->b 1 1ms 2ms 3ms 4ms\n", 1, "at most 3 gaps"},
        BadInput{"InjectWithoutTime", "inject a->b R seq rcv_nxt\n", 1, "expected 'inject"},
        BadInput{"InjectBadFlags", "inject a->b RX at 1ms\n", 1, "flags 'RX'"},
        BadInput{"InjectSyn", "inject a->b S at 1ms\n", 1, "flags 'S'"},
        BadInput{"InjectBadSeq", "inject a->b R seq rcv_nxt*2 at 1ms\n", 1,
                 "is not a sequence number"},
        BadInput{"InjectUnknownField", "inject a->b R win 5 at 1ms\n", 1, "unknown field 'win'"},
        BadInput{"InjectRstWithData", "inject a->b RP len 5 at 1ms\n", 1,
                 "a RST carries neither FIN nor data"},
        BadInput{"InjectDataWithoutP", "inject a->b . len 5 at 1ms\n", 1, "must say P"},
        BadInput{"MalformedClose", "b close later\n", 1, "expected 'b close at TIME'"},
        BadInput{"MalformedSend", "b send two at 1ms\n", 1, "segment count"},
        BadInput{"DelayBeyondMsl", "set msl 30s\ndelay b->a 1 31s\n", 2, "exceeds MSL"},
        BadInput{"DuplicateBeyondMsl", "set msl 1s\ndup b->a 1 995ms\n", 2, "exceeds MSL"},
        BadInput{"DefaultDelayBeyondMsl", "set msl 5ms\n", 1, "default delay 10ms exceeds MSL"},
        BadInput{"DelayBeyondMaxDelay", "set msl 30s\nset max_delay 60s\ndelay b->a 1 61s\n", 3,
                 "the delay 61s of segment b->a #1 exceeds max_delay (60s)"},
        BadInput{"ZeroMsl", "set delay 0s\nset msl 0s\n", 2, "msl must be positive"},
        BadInput{"BadExpectation", "# expect: maybe\n", 1, "expected '# expect: pass'"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(Scenario, ParsesEveryDirective) {
  const Scenario s = parse_scenario(
      "profile linux              # comment\n"
      "set msl 30s\n"
      "set delay 2.5ms\n"
      "a close at 0ms\n"
      "b send 2 at 1ms\n"
      "b close after eof 5ms\n"
      "drop a->b 2\n"
      "delay b->a 1 400ms\n"
      "dup b->a 2 10ms\n"
      "reopen\n",
      "x.scn");
  EXPECT_EQ(s.params.profile, "linux");
  EXPECT_EQ(s.params.msl_us, 30'000'000);
  EXPECT_EQ(s.delay_us, 2'500);
  ASSERT_EQ(s.actions.size(), 3U);
  EXPECT_EQ(s.actions[1].segments, 2U);
  EXPECT_EQ(s.actions[2].kind, AppAction::Kind::Close);
  EXPECT_TRUE(s.actions[2].after_eof);
  EXPECT_EQ(s.actions[2].at_us, 5'000);
  ASSERT_NE(s.fault_for(Side::A, 2), nullptr);
  EXPECT_TRUE(s.fault_for(Side::A, 2)->drop);
  EXPECT_EQ(s.fault_for(Side::B, 1)->delay_us, 400'000);
  EXPECT_EQ(s.fault_for(Side::B, 2)->dup_gaps_us, std::vector<std::int64_t>{10'000});
  EXPECT_TRUE(s.reopen);
}

TEST(Scenario, WritesWhatItReadsBack) {
  const std::string text =
      "profile lwip\nset time_wait 1s\nset isn_a 4294967290\nset rfc1337 off\n"
      "a reads nothing\na shutdown at 0ms\na close at 3s\nb send 1 at 20ms\n"
      "b abort after eof 2s\ndrop a->b 3\ndelay b->a 1 50s\ndup b->a 1 5ms 7ms\n"
      "inject a->b R seq rcv_nxt+1 at 2ms\ninject b->a . seq 77 ack snd_una-3 at 4ms\n"
      "inject b->a FP. len 10 at 5ms\nreopen\n";
  const Scenario first = parse_scenario(text, "x.scn");
  const std::string written = write_scenario(first, "a comment");
  const Scenario second = parse_scenario(written, "y.scn");
  EXPECT_EQ(write_scenario(second, "a comment"), written);
  EXPECT_EQ(second.params.time_wait(), 1'000'000);
  EXPECT_EQ(second.isn_a, 4294967290U);
  EXPECT_FALSE(second.params.rfc1337);
  EXPECT_FALSE(second.reads[0]);
  ASSERT_EQ(second.actions.size(), 4U);
  EXPECT_EQ(second.actions[0].kind, AppAction::Kind::Shutdown);
  EXPECT_EQ(second.actions[3].kind, AppAction::Kind::Abort);
  ASSERT_EQ(second.injections.size(), 3U);
  EXPECT_EQ(second.injections[1].ack.anchor, Injection::Anchor::SndUna);
  EXPECT_EQ(second.injections[1].ack.offset, -3);
  EXPECT_EQ(second.injections[2].len, 10U);
  EXPECT_EQ(written.substr(0, 12), "# a comment\n");
}

TEST(Scenario, UnreadableFileIsBadInput) {
  EXPECT_THROW(load_scenario("/nonexistent/file.scn"), ScenarioError);
}

TEST(Scenario, AFileWithoutADirectiveIsBadInput) {
  for (const char* text : {"", "\n\n", "# a comment only\n   \n"}) {
    try {
      parse_scenario(text, "empty.scn");
      ADD_FAILURE() << "accepted '" << text << "'";
    } catch (const ScenarioError& e) {
      EXPECT_NE(std::string(e.what()).find("empty.scn: no directive"), std::string::npos)
          << e.what();
    }
  }
}

TEST(Scenario, ALineOrAFileBeyondTheLimitIsBadInput) {
  try {
    parse_scenario("a close at 0ms\n" + std::string(max_line_bytes + 1, 'x') + "\n", "long.scn");
    ADD_FAILURE() << "accepted a long line";
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.line(), 2);
  }
  // A device that never ends is read only up to the limit.
  try {
    read_text_file("/dev/zero");
    ADD_FAILURE() << "read /dev/zero";
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("larger than 1024 KiB"), std::string::npos) << e.what();
  }
}

// A profile file: the profile and set lines of a scenario, kept apart.
class ProfileFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        std::filesystem::temp_directory_path() / ("fincheck-profile-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    const auto path = dir_ / name;
    std::ofstream(path) << text;
    return path.string();
  }
  std::filesystem::path dir_;
};

TEST_F(ProfileFile, ScenarioNamesItRelativeToItself) {
  write("my-stack.profile", "# my stack\nprofile linux\nset rto 300ms\nset rfc1337 on\n");
  const Scenario s = load_scenario(write("t.scn", "profile ./my-stack.profile\na close at 0ms\n"));
  model::Parameters want = model::linux_profile();
  want.rto_initial_us = 300'000;
  want.rfc1337 = true;
  EXPECT_EQ(s.params, want);
  // Saved, the scenario stands alone: the profile's values are set lines.
  EXPECT_EQ(parse_scenario(write_scenario(s), "again.scn").params, want);
}

TEST_F(ProfileFile, HoldsOnlyProfileAndSetLines) {
  const std::string path = write("bad.profile", "profile rfc9293\na close at 0ms\n");
  try {
    read_profile_file(path);
    FAIL() << "accepted a scenario line";
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.line(), 2);
    EXPECT_NE(std::string(e.what()).find(path + ":2: a profile holds only"), std::string::npos)
        << e.what();
  }
}

TEST_F(ProfileFile, ABadValueNamesTheProfileFileAndLine) {
  const std::string path = write("bad.profile", "profile rfc9293\n\nset rto soon\n");
  write("t.scn", "profile ./bad.profile\n");
  try {
    load_scenario((dir_ / "t.scn").string());
    FAIL() << "accepted a bad value";
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.file(), path);
    EXPECT_EQ(e.line(), 3);
  }
}

TEST_F(ProfileFile, AMissingOneIsBadInput) {
  EXPECT_THROW(load_scenario(write("t.scn", "profile ./none.profile\n")), ScenarioError);
  EXPECT_THROW(profile_or_file("bsd"), ScenarioError);
  EXPECT_EQ(profile_or_file("lwip"), model::lwip_profile());
}

}  // namespace
}  // namespace fincheck
