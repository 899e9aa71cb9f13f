// Capture files as tcpdump and Wireshark write them -- pcap in micro- and
// nanoseconds, pcapng -- read back frame by frame; damaged ones refused
// with the byte offset.
#include <gtest/gtest.h>

#include <pcap/pcap.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <vector>

#include "capture/frame.hpp"
#include "capture/reader.hpp"
#include "tests/capture/segment.hpp"

namespace fincheck::capture {
namespace {

using Bytes = std::vector<std::uint8_t>;

std::string temp(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("fincheck-reader-" + name)).string();
}

// Two frames through libpcap's own writer.
std::string write_pcap(const std::string& name, int link, const Bytes& frame, int precision) {
  const std::string path = temp(name);
  pcap_t* dead = pcap_open_dead_with_tstamp_precision(link, 65535, precision);
  pcap_dumper_t* d = pcap_dump_open(dead, path.c_str());
  for (int i = 0; i < 2; ++i) {
    pcap_pkthdr h{};
    h.ts.tv_sec = 1'700'000'000 + i;
    h.ts.tv_usec = precision == PCAP_TSTAMP_PRECISION_NANO ? 123'456'789 : 123'456;
    h.caplen = h.len = static_cast<bpf_u_int32>(frame.size());
    pcap_dump(reinterpret_cast<u_char*>(d), &h, frame.data());
  }
  pcap_dump_close(d);
  pcap_close(dead);
  return path;
}

void put32(Bytes& b, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

// pcapng (draft-ietf-opsawg-pcapng): a section header, one raw-IP
// interface, one enhanced packet block.
std::string write_pcapng(const Bytes& frame) {
  Bytes b;
  put32(b, 0x0A0D0D0A), put32(b, 28), put32(b, 0x1A2B3C4D);
  b.insert(b.end(), {1, 0, 0, 0});  // version 1.0
  put32(b, 0xFFFFFFFF), put32(b, 0xFFFFFFFF), put32(b, 28);
  put32(b, 1), put32(b, 20);
  b.insert(b.end(), {101, 0, 0, 0});  // LINKTYPE_RAW, reserved
  put32(b, 65535), put32(b, 20);
  const std::uint32_t padded = (static_cast<std::uint32_t>(frame.size()) + 3) / 4 * 4;
  const std::uint64_t us = 1'700'000'000'000'000ULL;
  put32(b, 6), put32(b, 32 + padded), put32(b, 0);
  put32(b, static_cast<std::uint32_t>(us >> 32)), put32(b, static_cast<std::uint32_t>(us));
  put32(b, static_cast<std::uint32_t>(frame.size())),
      put32(b, static_cast<std::uint32_t>(frame.size()));
  for (const std::uint8_t x : frame) b.push_back(x);
  b.resize(b.size() + (padded - frame.size()), 0);
  put32(b, 32 + padded);
  const std::string path = temp("ng.pcapng");
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
  return path;
}

TEST(Reader, PcapInMicroAndNanosecondsAndPcapng) {
  for (const int precision : {PCAP_TSTAMP_PRECISION_MICRO, PCAP_TSTAMP_PRECISION_NANO}) {
    CaptureReader r(
        write_pcap("p" + std::to_string(precision) + ".pcap", DLT_RAW, ipv4_segment(), precision));
    const auto f = r.next();
    ASSERT_TRUE(f);
    EXPECT_EQ(f->number, 1U);
    EXPECT_EQ(f->offset, 24) << "after the file header";
    // Nanoseconds are read as microseconds, cut, not rounded.
    EXPECT_EQ(f->at_us, 1'700'000'000LL * 1'000'000 + 123'456);
    EXPECT_TRUE(std::holds_alternative<TcpHeader>(decode_frame(r.link_type(), f->bytes)));
    ASSERT_TRUE(r.next());
    EXPECT_FALSE(r.next());
  }
  CaptureReader ng(write_pcapng(ipv4_segment()));
  const auto f = ng.next();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->at_us, 1'700'000'000'000'000LL);
  EXPECT_TRUE(std::holds_alternative<TcpHeader>(decode_frame(ng.link_type(), f->bytes)));
}

TEST(Reader, DamagedFilesNameTheByte) {
  const std::string good =
      write_pcap("good.pcap", DLT_RAW, ipv4_segment(), PCAP_TSTAMP_PRECISION_MICRO);
  // Cut inside the second frame: its record starts after the file header
  // (24 bytes), the first record header (16) and the first frame.
  const std::size_t second = 24 + 16 + ipv4_segment().size();
  std::filesystem::resize_file(good, second + 20);
  CaptureReader r(good);
  ASSERT_TRUE(r.next());
  try {
    r.next();
    ADD_FAILURE() << "a cut frame was read";
  } catch (const CaptureError& e) {
    EXPECT_NE(std::string(e.what()).find("byte " + std::to_string(second) + " (frame 2)"),
              std::string::npos)
        << e.what();
  }
  const std::string text = temp("text.pcap");
  std::ofstream(text) << "not a capture\n";
  EXPECT_THROW(CaptureReader{text}, CaptureError);
  EXPECT_THROW(CaptureReader{temp("missing.pcap")}, CaptureError);
  // A link type no decoder reads (USB) is refused before any frame.
  try {
    CaptureReader usb(
        write_pcap("usb.pcap", DLT_USB_LINUX, Bytes(48, 0), PCAP_TSTAMP_PRECISION_MICRO));
    ADD_FAILURE() << "USB accepted";
  } catch (const CaptureError& e) {
    EXPECT_NE(std::string(e.what()).find("is not read"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace fincheck::capture
