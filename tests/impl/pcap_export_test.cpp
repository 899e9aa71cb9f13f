// `fincheck run --pcap`: the files read back with libpcap hold exactly the
// run's arrivals (and drops), byte-valid, in order, at virtual time.
#include <gtest/gtest.h>
#include <pcap/pcap.h>

#include <filesystem>

#include "impl/pcap_export.hpp"
#include "impl/scenario_io.hpp"
#include "impl/simulation.hpp"
#include "impl/wire.hpp"

namespace fincheck {
namespace {

struct Packet {
  std::int64_t at_us;
  Side from;
  Segment seg;
};

std::vector<Packet> read_pcap(const std::string& path) {
  char errbuf[PCAP_ERRBUF_SIZE];
  pcap_t* p = pcap_open_offline(path.c_str(), errbuf);
  EXPECT_NE(p, nullptr) << errbuf;
  std::vector<Packet> out;
  if (!p) return out;
  EXPECT_EQ(pcap_datalink(p), DLT_RAW);
  pcap_pkthdr* header;
  const u_char* data;
  while (pcap_next_ex(p, &header, &data) == 1) {
    const auto decoded = decode(std::span<const std::uint8_t>(data, header->caplen));
    EXPECT_TRUE(std::holds_alternative<WireSegment>(decoded));
    if (!std::holds_alternative<WireSegment>(decoded)) continue;
    const auto seg = from_wire(std::get<WireSegment>(decoded));
    EXPECT_TRUE(seg);
    if (seg)
      out.push_back(
          {header->ts.tv_sec * 1'000'000LL + header->ts.tv_usec, seg->first, seg->second});
  }
  pcap_close(p);
  return out;
}

TEST(PcapExport, FilesHoldEveryArrivalAndEveryDrop) {
  const Scenario s = parse_scenario(
      "a close at 0ms\nb send 2 at 20ms\nb close after eof 300ms\ndrop a->b 2\ndup b->a 1 5ms\n"
      "set isn_a 4294967290\n",
      "t.scn");
  Simulation sim(s);
  const Trace& t = sim.run();
  const auto dir = std::filesystem::temp_directory_path();
  const PcapFiles files = write_pcap(t, (dir / "fincheck-pcap-test.pcap").string());
  const auto arrivals = read_pcap(files.arrivals);
  ASSERT_EQ(arrivals.size(), t.arrivals.size());
  for (std::size_t i = 0; i < arrivals.size(); ++i) {
    const SegmentRecord& r = t.segments[t.arrivals[i].segment];
    EXPECT_EQ(arrivals[i].at_us, t.arrivals[i].at_us);
    EXPECT_EQ(arrivals[i].from, r.from);
    EXPECT_EQ(arrivals[i].seg.seq, r.seg.seq);
    EXPECT_EQ(arrivals[i].seg.ack, r.seg.ack);
    EXPECT_EQ(arrivals[i].seg.len, r.seg.len);
    EXPECT_EQ(arrivals[i].seg.flags, r.seg.flags);
  }
  const auto dropped = read_pcap(files.dropped);
  ASSERT_EQ(dropped.size(), 1U);
  EXPECT_FALSE(dropped[0].seg.flags.fin) << "a's second segment, the ACK of b's data";
  std::filesystem::remove(files.arrivals);
  std::filesystem::remove(files.dropped);
}

}  // namespace
}  // namespace fincheck
