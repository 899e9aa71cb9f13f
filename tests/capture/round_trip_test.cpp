// Every shipped scenario's capture (`run --pcap`), read back: each copy
// that arrived is one TCP segment, each FIN one FIN, all of one 4-tuple.
// The simulator opens connection 2 of a reopen without a handshake: the
// capture sees a second incarnation only once the first ended and its
// TIME-WAIT passed, else one connection.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "capture/connections.hpp"
#include "capture/reader.hpp"
#include "impl/pcap_export.hpp"
#include "impl/scenario_io.hpp"
#include "impl/simulation.hpp"

namespace fincheck::capture {
namespace {

TEST(RoundTrip, EveryScenariosCaptureReadsBackAsItsArrivals) {
  const std::filesystem::path dir =
      std::filesystem::path(std::getenv("FINCHECK_SOURCE_DIR")) / "scenarios";
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".scn") continue;
    ++files;
    const Scenario s = load_scenario(entry.path().string());
    Simulation sim(s);
    const Trace& t = sim.run();
    const std::string path = (std::filesystem::temp_directory_path() /
                              ("fincheck-rt-" + entry.path().stem().string() + ".pcap"))
                                 .string();
    write_pcap(t, path);
    std::uint64_t arrivals = 0, fins = 0;
    for (const SegmentRecord& r : t.segments) {
      arrivals += r.arrival_count;
      fins += r.seg.flags.fin ? r.arrival_count : 0;
    }
    std::vector<Connection> done;
    ConnectionTable table(s.params.time_wait(), [&](const Connection& c) { done.push_back(c); });
    CaptureReader reader(path);
    std::uint64_t segments = 0;
    while (const auto f = reader.next()) {
      const auto d = decode_frame(reader.link_type(), f->bytes);
      ASSERT_TRUE(std::holds_alternative<TcpHeader>(d)) << entry.path();
      ++segments;
      table.add(f->at_us, f->number, std::get<TcpHeader>(d));
    }
    table.finish();
    EXPECT_EQ(segments, arrivals) << entry.path();
    if (arrivals == 0) continue;
    ASSERT_EQ(done.size(), s.reopen && done.size() == 2 ? 2U : 1U) << entry.path();
    std::uint64_t fins_read = 0, segments_read = 0;
    for (const Connection& c : done) {
      EXPECT_EQ(c.incarnation, c.id) << entry.path();
      fins_read += c.fins[0] + c.fins[1];
      segments_read += c.segments[0] + c.segments[1];
    }
    EXPECT_EQ(fins_read, fins) << entry.path();
    EXPECT_EQ(segments_read, arrivals) << entry.path();
  }
  EXPECT_GE(files, 19U);
}

}  // namespace
}  // namespace fincheck::capture
