// Sweeps: shards and threads add up to exactly the single-run numbers; sweep
// files and axis values parse, and bad ones name their line.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "impl/scenario_io.hpp"
#include "research/results_csv.hpp"

namespace fincheck::research {
namespace {

SweepSpec small_sweep() {
  return parse_sweep(
      "loss 0 0.05\n"
      "delay fixed:10ms exp:5ms\n"
      "time_wait 0 2\n"
      "reopen off on\n"
      "samples 3000\n"
      "seed 11\n",
      "small.sweep");
}

std::string csv_of(const std::vector<PointResult>& r, Shard shard = {}) {
  std::ostringstream out;
  write_csv(provenance_of(small_sweep(), shard), r, out);
  return out.str();
}

TEST(Sweep, ShardsMergeIntoExactlyTheSingleRun) {
  const SweepSpec spec = small_sweep();
  const std::string single = csv_of(run_sweep(spec, 1, Shard{}));
  std::vector<NamedCsv> shards;
  for (std::uint32_t k = 0; k < 3; ++k) {
    std::istringstream in(csv_of(run_sweep(spec, 1, Shard{k, 3}), Shard{k, 3}));
    shards.push_back({"shard " + std::to_string(k), read_csv(in, "shard")});
  }
  std::ostringstream merged;
  write_csv(merge_files(shards, false), merged);
  EXPECT_EQ(merged.str(), single);
}

TEST(Sweep, ProvenanceNamesEverythingThatMadeTheFile) {
  SweepSpec spec = small_sweep();
  const Provenance p = provenance_of(spec, Shard{1, 4});
  std::ostringstream out;
  write_csv(p, {}, out);
  const std::string text = out.str();
  for (const char* line :
       {"# seed: 11\n", "# samples: 3000 per point\n", "# shard: 1/4\n", "# axis loss: 0 0.05\n",
        "# axis delay: fixed:10ms exp:5ms\n", "# axis time_wait_msl: 0 2\n",
        "# axis reopen: off on\n", "# teardown: a close at 0ms\n"})
    EXPECT_NE(text.find(line), std::string::npos) << line;
  // The experiment id follows what makes the numbers, not the shard.
  EXPECT_EQ(provenance_of(spec, Shard{0, 4}).experiment(), p.experiment());
  spec.seed = 12;
  EXPECT_NE(provenance_of(spec, Shard{1, 4}).experiment(), p.experiment());
  // Read back as written.
  std::istringstream in(text);
  const CsvFile back = read_csv(in, "p.csv");
  EXPECT_EQ(back.provenance.entries, p.entries);
  EXPECT_EQ(back.provenance.shard.k, 1U);
  EXPECT_EQ(back.provenance.shard.n, 4U);
}

TEST(Sweep, ThreadsDoNotChangeTheNumbers) {
  const SweepSpec spec = small_sweep();
  EXPECT_EQ(csv_of(run_sweep(spec, 1, Shard{})), csv_of(run_sweep(spec, 2, Shard{})));
}

TEST(Sweep, PointsAreEveryCombination) { EXPECT_EQ(small_sweep().points().size(), 2U * 2 * 2 * 2); }

TEST(Sweep, ParsesRatiosMultiplesAndDelays) {
  EXPECT_EQ(parse_ratio_ppm("0.01"), 10'000U);
  EXPECT_EQ(parse_ratio_ppm("1%"), 10'000U);
  EXPECT_EQ(parse_ratio_ppm("0.0001"), 100U);
  EXPECT_FALSE(parse_ratio_ppm("1.5"));
  EXPECT_FALSE(parse_ratio_ppm("-0.1"));
  EXPECT_EQ(*parse_multiple("0.5"), 500U);
  EXPECT_FALSE(parse_multiple("profile")->has_value());
  EXPECT_EQ(DelayDistribution::parse("uniform:1ms:100ms")->text(), "uniform:1ms:100ms");
  EXPECT_EQ(DelayDistribution::parse("exp:20s")->text(), "exp:20s");
  EXPECT_FALSE(DelayDistribution::parse("uniform:5ms:1ms"));
  EXPECT_FALSE(DelayDistribution::parse("normal:5ms"));
}

TEST(Sweep, BadFilesNameTheLine) {
  for (const auto& [text, line] :
       {std::pair{"loss 0\nloss 2\n", 2}, std::pair{"samples 0\n", 1},
        std::pair{"delay gauss:1ms\n", 1}, std::pair{"\n\nspeed fast\n", 3},
        std::pair{"teardown a close whenever\n", 1}}) {
    try {
      parse_sweep(text, "bad.sweep");
      ADD_FAILURE() << "accepted: " << text;
    } catch (const ScenarioError& e) {
      EXPECT_EQ(e.line(), line) << e.what();
    }
  }
}

TEST(Sweep, QuantilesOfAFaultFreeCloseAreItsOneDuration) {
  // No loss, 10 ms each way: a's FIN at 0, b's FIN (with the ACK) back at
  // 20 ms, and a in TIME-WAIT for 2·MSL = 240 s (RFC 9293 §3.6): every
  // teardown closes at 240.02 s, so min, quantiles and max agree.
  SweepSpec spec;
  spec.samples = 200;
  std::istringstream in(csv_of(run_sweep(spec, 1, Shard{})));
  std::string line;
  while (std::getline(in, line) && line.starts_with('#')) {
  }
  const auto split = [](const std::string& text) {
    std::vector<std::string> out;
    std::istringstream s(text);
    for (std::string c; std::getline(s, c, ',');) out.push_back(c);
    return out;
  };
  const std::vector<std::string> names = split(line);
  std::getline(in, line);
  const std::vector<std::string> cells = split(line);
  ASSERT_EQ(names.size(), cells.size());
  const auto cell = [&](const std::string& name) {
    return cells[static_cast<std::size_t>(std::find(names.begin(), names.end(), name) -
                                          names.begin())];
  };
  for (const char* q : {"min", "p50", "p90", "p99", "max"}) {
    EXPECT_EQ(cell(std::string(q) + "_time_to_closed_s"), "240.020000") << q;
    EXPECT_EQ(cell(std::string(q) + "_time_in_time_wait_s"), "240.000000") << q;
  }
  EXPECT_EQ(cell("time_wait_assassinated"), "0");
}

TEST(Sweep, EveryRejectedValueSaysWhy) {
  for (const auto& [line, why] :
       {std::pair{"loss 1.5\n", "loss must be a ratio in [0, 1], as 0.01 or 1%: '1.5'"},
        std::pair{"delay gauss:1ms\n", "delay must be fixed:T, uniform:LO:HI"},
        std::pair{"time_wait x\n", "time_wait must be a multiple of MSL"},
        std::pair{"rto 0\n", "rto must be a positive duration"},
        std::pair{"retries 1001\n",
                  "retries must be a whole number from 0 to 1000, or profile: '1001'"},
        std::pair{"loss_from_b 2\n",
                  "loss_from_b must be a ratio in [0, 1], as 0.01 or 1%, or same: '2'"},
        std::pair{"ge_r 0\n", "ge_r must be a ratio in (0, 1], as 0.25 or 25%: '0'"},
        std::pair{"late_max 1\n", "late_max must be a multiple of MSL above 1"},
        std::pair{"late 1.01\n", "late must be a ratio in [0, 1]"},
        std::pair{"delayed_ack soon\n", "delayed_ack must be a duration with its unit"},
        std::pair{"rto_estimation yes\n", "rto_estimation must be on, off or profile: 'yes'"},
        std::pair{"reopen maybe\n", "reopen must be on or off: 'maybe'"},
        std::pair{"profile bsd\n", "profile must be rfc9293, linux, lwip or ./NAME.profile"},
        std::pair{"samples 0\n", "samples takes one whole number, at least 1"}}) {
    try {
      parse_sweep(line, "bad.sweep");
      ADD_FAILURE() << "accepted: " << line;
    } catch (const ScenarioError& e) {
      EXPECT_NE(std::string(e.what()).find(why), std::string::npos) << e.what();
    }
  }
}

TEST(Sweep, Rfc1337AndMslAreAxes) {
  const SweepSpec spec = parse_sweep("rfc1337 off on profile\nmsl 30s profile\n", "axes.sweep");
  ASSERT_EQ(spec.points().size(), 6U);
  const SweepPoint p = spec.points()[1];  // rfc1337 off, msl profile
  EXPECT_EQ(p.key(),
            "rfc9293,0,same,0,1,1,fixed:10ms,0,8,profile,profile,profile,profile,profile,profile,"
            "profile,off,off,profile");
  const Scenario short_msl = spec.points()[0].scenario(spec.base);
  EXPECT_EQ(short_msl.params.msl_us, 30'000'000);
  EXPECT_FALSE(short_msl.params.rfc1337);
  // TIME_WAIT keeps its multiple of the new MSL: 2·MSL (RFC 9293 §3.6).
  EXPECT_EQ(short_msl.params.time_wait(), 60'000'000);
  EXPECT_TRUE(spec.points()[2].scenario(spec.base).params.rfc1337);
  // A TIME_WAIT set in the teardown stays the same multiple of MSL.
  const SweepSpec set = parse_sweep("teardown set time_wait 120s\nmsl 30s\n", "set.sweep");
  EXPECT_EQ(set.points()[0].scenario(set.base).params.time_wait(), 30'000'000);
  EXPECT_THROW(parse_sweep("msl 0s\n", "bad.sweep"), ScenarioError);
  EXPECT_THROW(parse_sweep("rfc1337 maybe\n", "bad.sweep"), ScenarioError);
}

TEST(Sweep, NoDelayGoesPastMsl) {
  // RFC 9293 §3.4.1: no segment outlives MSL. A sweep cuts draws there, so
  // a delay whose bound lies past it would be cut while the CSV names it.
  for (const char* bad : {"delay fixed:121s\n", "delay uniform:0ms:200s\n", "delay exp:121s\n",
                          "profile linux\ndelay fixed:31s\n"})
    EXPECT_THROW(parse_sweep(bad, "bad.sweep"), ScenarioError) << bad;
  for (const char* good : {"delay fixed:120s\n", "delay uniform:0ms:120s\n", "delay exp:20s\n",
                           "profile linux\ndelay fixed:30s\n"})
    EXPECT_NO_THROW(parse_sweep(good, "good.sweep")) << good;
}

TEST(Sweep, MergeRejectsAForeignCsv) {
  std::istringstream in("a,b,c\n1,2,3\n");
  EXPECT_THROW(read_csv(in, "foreign.csv"), ScenarioError);
  std::istringstream truncated(
      "profile,loss,delay,time_wait_msl,rto,retries,reopen,n\nrfc9293,0,fixed:10ms\n");
  EXPECT_THROW(read_csv(truncated, "truncated.csv"), ScenarioError);
}

}  // namespace
}  // namespace fincheck::research
