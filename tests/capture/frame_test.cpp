// Frames of every link type a capture may hold, built byte by byte, read
// down to their TCP header -- and what is no TCP segment says why and
// where.
#include <gtest/gtest.h>

#include <pcap/dlt.h>

#include <span>
#include <vector>

#include "capture/frame.hpp"
#include "tests/capture/segment.hpp"

namespace fincheck::capture {
namespace {

using Bytes = std::vector<std::uint8_t>;

// Byte by byte: g++ 12 warns falsely of vector::insert (-Warray-bounds).
void append(Bytes& b, std::span<const std::uint8_t> more) {
  for (const std::uint8_t x : more) b.push_back(x);
}

// The same as IPv6 (RFC 8200) from 2001:db8::1 to 2001:db8::2, with a
// destination-options header before TCP when asked.
Bytes ipv6_segment(bool extension = false) {
  const Bytes v4 = ipv4_segment();
  const Bytes tcp(v4.begin() + 20, v4.end());
  Bytes b(40, 0);
  b[0] = 0x60;
  const std::size_t payload = tcp.size() + (extension ? 8 : 0);
  b[4] = static_cast<std::uint8_t>(payload >> 8);
  b[5] = static_cast<std::uint8_t>(payload);
  b[6] = extension ? 60 : 6;
  b[7] = 64;
  b[8] = 0x20, b[9] = 0x01, b[10] = 0x0d, b[11] = 0xb8, b[23] = 1;
  b[24] = 0x20, b[25] = 0x01, b[26] = 0x0d, b[27] = 0xb8, b[39] = 2;
  // Next header TCP, 8 bytes long, holding one PadN option.
  static constexpr std::uint8_t options[8] = {6, 0, 1, 4, 0, 0, 0, 0};
  if (extension) append(b, options);
  append(b, tcp);
  return b;
}

Bytes cat(Bytes head, const Bytes& tail) {
  append(head, tail);
  return head;
}

Bytes ethernet(std::uint16_t type, int tags = 0) {
  Bytes b(12, 0xAA);
  for (int i = 0; i < tags; ++i) {
    // The outer tag of two is 802.1ad (0x88A8), the inner 802.1Q (0x8100).
    const bool outer = i == 0 && tags > 1;
    const std::uint8_t tag[4] = {static_cast<std::uint8_t>(outer ? 0x88 : 0x81),
                                 static_cast<std::uint8_t>(outer ? 0xA8 : 0x00), 0x00, 0x07};
    append(b, tag);
  }
  b.push_back(static_cast<std::uint8_t>(type >> 8));
  b.push_back(static_cast<std::uint8_t>(type));
  return b;
}

TcpHeader expect_tcp(int link, const Bytes& frame) {
  const auto d = decode_frame(link, frame);
  EXPECT_TRUE(std::holds_alternative<TcpHeader>(d))
      << "skipped: " << to_string(std::get<Skipped>(d).why) << " at "
      << std::get<Skipped>(d).offset;
  return std::holds_alternative<TcpHeader>(d) ? std::get<TcpHeader>(d) : TcpHeader{};
}

void expect_ipv4_segment(const TcpHeader& h) {
  EXPECT_EQ(address_text(h.src), "198.18.0.1");
  EXPECT_EQ(address_text(h.dst), "198.18.0.2");
  EXPECT_EQ(h.src_port, 40000);
  EXPECT_EQ(h.dst_port, 80);
  EXPECT_EQ(h.seq, 0xFFFFFFFEU);
  EXPECT_EQ(h.ack, 77U);
  EXPECT_EQ(h.flags, tcp_flag::fin | tcp_flag::ack);
  EXPECT_EQ(h.payload, 3U);
}

TEST(Frame, EveryLinkTypeReachesTcp) {
  const Bytes ip = ipv4_segment();
  expect_ipv4_segment(expect_tcp(DLT_RAW, ip));
  expect_ipv4_segment(expect_tcp(DLT_IPV4, ip));
  expect_ipv4_segment(expect_tcp(DLT_EN10MB, cat(ethernet(0x0800), ip)));
  expect_ipv4_segment(expect_tcp(DLT_EN10MB, cat(ethernet(0x0800, 1), ip)));  // 802.1Q
  expect_ipv4_segment(expect_tcp(DLT_EN10MB, cat(ethernet(0x0800, 2), ip)));  // 802.1ad + 802.1Q
  Bytes sll(16, 0);  // Linux cooked v1: protocol in bytes 14-15
  sll[14] = 0x08;
  expect_ipv4_segment(expect_tcp(DLT_LINUX_SLL, cat(sll, ip)));
  Bytes sll2(20, 0);  // v2: protocol first
  sll2[0] = 0x08;
  expect_ipv4_segment(expect_tcp(DLT_LINUX_SLL2, cat(sll2, ip)));
  expect_ipv4_segment(expect_tcp(DLT_NULL, cat({2, 0, 0, 0}, ip)));  // AF_INET, little-endian host
  expect_ipv4_segment(expect_tcp(DLT_NULL, cat({0, 0, 0, 2}, ip)));  // big-endian host
  expect_ipv4_segment(expect_tcp(DLT_LOOP, cat({0, 0, 0, 2}, ip)));  // network order always
}

TEST(Frame, Ipv6WithAndWithoutExtensionHeaders) {
  for (const bool extension : {false, true}) {
    const TcpHeader h = expect_tcp(DLT_RAW, ipv6_segment(extension));
    EXPECT_TRUE(h.ipv6);
    EXPECT_EQ(address_text(h.src), "2001:db8::1");
    EXPECT_EQ(address_text(h.dst), "2001:db8::2");
    EXPECT_EQ(h.payload, 3U) << "the extension header is not data";
  }
  expect_tcp(DLT_EN10MB, cat(ethernet(0x86DD), ipv6_segment()));
  expect_tcp(DLT_NULL, cat({30, 0, 0, 0}, ipv6_segment()));  // AF_INET6 on macOS
  expect_tcp(DLT_IPV6, ipv6_segment());
}

Skipped expect_skip(int link, const Bytes& frame, Skip why) {
  const auto d = decode_frame(link, frame);
  EXPECT_TRUE(std::holds_alternative<Skipped>(d));
  if (!std::holds_alternative<Skipped>(d)) return {};
  EXPECT_EQ(std::get<Skipped>(d).why, why) << to_string(std::get<Skipped>(d).why);
  return std::get<Skipped>(d);
}

TEST(Frame, WhatIsNoTcpSegmentSaysWhyAndWhere) {
  Bytes ip = ipv4_segment();
  expect_skip(DLT_EN10MB, cat(ethernet(0x0806), Bytes(28, 0)), Skip::NotIp);  // ARP
  Bytes udp = ip;
  udp[9] = 17;
  EXPECT_EQ(expect_skip(DLT_RAW, udp, Skip::NotTcp).offset, 9U);
  Bytes fragment = ip;
  fragment[6] = 0x20;  // more fragments
  EXPECT_EQ(expect_skip(DLT_RAW, fragment, Skip::Fragment).offset, 6U);
  Bytes v6 = ipv6_segment();
  v6[6] = 44;  // a fragment header
  expect_skip(DLT_RAW, v6, Skip::Fragment);
  // The snapshot length cut the TCP header.
  EXPECT_EQ(expect_skip(DLT_RAW, Bytes(ip.begin(), ip.begin() + 30), Skip::Truncated).offset, 20U);
  expect_skip(DLT_EN10MB, Bytes(10, 0), Skip::Truncated);
  // A VLAN tag cut short: the offset stays inside the frame (frame_fuzz's
  // first finding).
  EXPECT_EQ(expect_skip(DLT_EN10MB, ethernet(0x8100), Skip::Truncated).offset, 14U);
  Bytes short_header = ip;
  short_header[0] = 0x44;  // IHL 4: below 20 bytes
  expect_skip(DLT_RAW, short_header, Skip::Malformed);
  Bytes bad_offset = ip;
  bad_offset[32] = 0xF0;  // TCP data offset 60 bytes, past the datagram
  EXPECT_EQ(expect_skip(DLT_RAW, bad_offset, Skip::Malformed).offset, 32U);
  expect_skip(DLT_RAW, {}, Skip::Truncated);
}

TEST(Frame, TheTimestampsOptionIsRead) {
  // NOP, NOP, then kind 8 length 10 (RFC 7323 §3): TSval 0x01020304.
  Bytes ip = ipv4_segment();
  static constexpr std::uint8_t options[12] = {1, 1, 8, 10, 1, 2, 3, 4, 0, 0, 0, 9};
  Bytes with(ip.begin(), ip.begin() + 40);
  append(with, options);
  append(with, std::span(ip).subspan(40));
  with[3] = static_cast<std::uint8_t>(with.size());  // IP total length
  with[32] = 0x80;                                   // TCP data offset: 32 bytes
  const TcpHeader h = expect_tcp(DLT_RAW, with);
  ASSERT_TRUE(h.tsval);
  EXPECT_EQ(*h.tsval, 0x01020304U);
  EXPECT_EQ(h.payload, 3U);
  EXPECT_FALSE(expect_tcp(DLT_RAW, ip).tsval);
}

TEST(Frame, Ipv6AddressesAreWrittenAsRfc5952Says) {
  Address a{};
  a[0] = 0x20, a[1] = 0x01, a[2] = 0x0d, a[3] = 0xb8, a[15] = 1;
  EXPECT_EQ(address_text(a), "2001:db8::1");
  Address zero{};
  EXPECT_EQ(address_text(zero), "::");
  Address one{};
  one[1] = 1, one[15] = 1;  // 1:0:0:0:0:0:0:1
  EXPECT_EQ(address_text(one), "1::1");
}

}  // namespace
}  // namespace fincheck::capture
