// The wire codec: encode then decode is the identity on any segment, and
// every class of bad bytes gives its typed error at the right offset.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "impl/wire.hpp"

namespace fincheck {

void showValue(const WireSegment& s, std::ostream& os) {
  os << "seq " << s.seq << " ack " << s.ack << " flags " << int(s.flags) << " payload "
     << s.payload.size() << " mss " << s.options.mss;
}

namespace {

rc::Gen<WireSegment> gen_wire_segment() {
  return rc::gen::exec([] {
    WireSegment s;
    s.src_ip = *rc::gen::arbitrary<std::uint32_t>();
    s.dst_ip = *rc::gen::arbitrary<std::uint32_t>();
    s.ip_id = *rc::gen::arbitrary<std::uint16_t>();
    s.ttl = *rc::gen::arbitrary<std::uint8_t>();
    s.src_port = *rc::gen::arbitrary<std::uint16_t>();
    s.dst_port = *rc::gen::arbitrary<std::uint16_t>();
    s.seq = *rc::gen::arbitrary<std::uint32_t>();
    s.ack = *rc::gen::arbitrary<std::uint32_t>();
    s.flags = *rc::gen::arbitrary<std::uint8_t>();
    s.window = *rc::gen::arbitrary<std::uint16_t>();
    s.urgent = *rc::gen::arbitrary<std::uint16_t>();
    s.options.mss = *rc::gen::arbitrary<std::uint16_t>();
    s.options.window_scale = *rc::gen::inRange<std::int16_t>(-1, 15);
    s.options.sack_permitted = *rc::gen::arbitrary<bool>();
    s.options.timestamps = *rc::gen::arbitrary<bool>();
    if (s.options.timestamps) {
      s.options.ts_value = *rc::gen::arbitrary<std::uint32_t>();
      s.options.ts_echo = *rc::gen::arbitrary<std::uint32_t>();
    }
    s.payload = *rc::gen::container<std::vector<std::uint8_t>>(
        *rc::gen::inRange<std::size_t>(0, 1500), rc::gen::arbitrary<std::uint8_t>());
    return s;
  });
}

RC_GTEST_PROP(Wire, DecodeOfEncodeIsIdentity, ()) {
  const WireSegment s = *gen_wire_segment();
  const auto decoded = decode(encode(s));
  RC_ASSERT(std::holds_alternative<WireSegment>(decoded));
  RC_ASSERT(std::get<WireSegment>(decoded) == s);
}

RC_GTEST_PROP(Wire, AnyFlippedBitIsCaughtOrDecodesToSomethingElse, ()) {
  // A checksum catches every single-bit error (RFC 1071).
  auto bytes = encode(*gen_wire_segment());
  const auto at = *rc::gen::inRange<std::size_t>(0, bytes.size());
  bytes[at] ^= static_cast<std::uint8_t>(1U << *rc::gen::inRange(0, 8));
  RC_ASSERT(std::holds_alternative<DecodeError>(decode(bytes)));
}

WireSegment plain() {
  WireSegment s;
  s.src_ip = 0xC6120001;
  s.dst_ip = 0xC6120002;
  s.seq = 1001;
  s.flags = tcp_flag::fin | tcp_flag::ack;
  s.options.mss = 1460;
  s.payload = {1, 2, 3};
  return s;
}

DecodeError error_of(const std::vector<std::uint8_t>& bytes) {
  const auto r = decode(bytes);
  EXPECT_TRUE(std::holds_alternative<DecodeError>(r));
  return std::holds_alternative<DecodeError>(r) ? std::get<DecodeError>(r)
                                                : DecodeError{WireError::Truncated, 999, ""};
}

// Recomputes the IPv4 header checksum after a test edits the header.
void fix_ip_checksum(std::vector<std::uint8_t>& b) {
  b[10] = b[11] = 0;
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < 20; i += 2) sum += (b[i] << 8) | b[i + 1];
  while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
  b[10] = static_cast<std::uint8_t>(~sum >> 8);
  b[11] = static_cast<std::uint8_t>(~sum);
}

TEST(Wire, ShortBufferIsTruncated) {
  const auto e = error_of({0x45, 0, 0});
  EXPECT_EQ(e.kind, WireError::Truncated);
  EXPECT_EQ(e.offset, 3U);
}

TEST(Wire, VersionSixIsNotIpv4) {
  auto b = encode(plain());
  b[0] = 0x65;
  EXPECT_EQ(error_of(b).kind, WireError::NotIpv4);
}

TEST(Wire, BadIpHeaderLength) {
  auto b = encode(plain());
  b[0] = 0x44;
  const auto e = error_of(b);
  EXPECT_EQ(e.kind, WireError::BadIpHeaderLength);
  EXPECT_EQ(e.offset, 0U);
}

TEST(Wire, TotalLengthBeyondTheBuffer) {
  auto b = encode(plain());
  b.resize(b.size() - 2);
  const auto e = error_of(b);
  EXPECT_EQ(e.kind, WireError::BadTotalLength);
  EXPECT_EQ(e.offset, 2U);
}

TEST(Wire, BadIpChecksum) {
  auto b = encode(plain());
  b[8] ^= 1;  // TTL changed, checksum not
  const auto e = error_of(b);
  EXPECT_EQ(e.kind, WireError::BadIpChecksum);
  EXPECT_EQ(e.offset, 10U);
}

TEST(Wire, FragmentsAreRefused) {
  auto b = encode(plain());
  b[6] = 0x20;  // more fragments
  fix_ip_checksum(b);
  const auto e = error_of(b);
  EXPECT_EQ(e.kind, WireError::Fragment);
  EXPECT_EQ(e.offset, 6U);
}

TEST(Wire, UdpIsNotTcp) {
  auto b = encode(plain());
  b[9] = 17;
  fix_ip_checksum(b);
  const auto e = error_of(b);
  EXPECT_EQ(e.kind, WireError::NotTcp);
  EXPECT_EQ(e.offset, 9U);
}

TEST(Wire, BadTcpDataOffset) {
  auto b = encode(plain());
  b[20 + 12] = 0x40;  // 16 bytes
  const auto e = error_of(b);
  EXPECT_EQ(e.kind, WireError::BadTcpHeaderLength);
  EXPECT_EQ(e.offset, 32U);
}

TEST(Wire, BadTcpChecksum) {
  auto b = encode(plain());
  b.back() ^= 0xFF;  // payload changed
  const auto e = error_of(b);
  EXPECT_EQ(e.kind, WireError::BadTcpChecksum);
  EXPECT_EQ(e.offset, 36U);
}

TEST(Wire, OptionRunningPastTheHeaderIsBad) {
  auto b = encode(plain());
  b[20 + 21] = 40;  // the MSS option claims 40 bytes
  const auto r = decode(b);
  ASSERT_TRUE(std::holds_alternative<DecodeError>(r));
  // The checksum is checked first; with it fixed, the option is the error.
  std::vector<std::uint8_t> fixed = b;
  fixed[36] = fixed[37] = 0;
  std::uint32_t sum = 0xC612 + 0x0001 + 0xC612 + 0x0002 + 6 + (fixed.size() - 20);
  for (std::size_t i = 20; i + 1 < fixed.size(); i += 2) sum += (fixed[i] << 8) | fixed[i + 1];
  if (fixed.size() % 2) sum += fixed.back() << 8;
  while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
  fixed[36] = static_cast<std::uint8_t>(~sum >> 8);
  fixed[37] = static_cast<std::uint8_t>(~sum);
  const auto e = error_of(fixed);
  EXPECT_EQ(e.kind, WireError::BadOption);
  EXPECT_EQ(e.offset, 40U);
}

TEST(Wire, SimulatorSegmentsMapBothWays) {
  Segment seg;
  seg.seq = Seq(0xFFFFFFFFU);
  seg.ack = Seq(5001);
  seg.len = 100;
  seg.flags = Flags{.fin = true, .ack = true, .psh = true};
  const auto back = from_wire(std::get<WireSegment>(decode(encode(to_wire(Side::B, seg, 7)))));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->first, Side::B);
  EXPECT_EQ(back->second.seq, seg.seq);
  EXPECT_EQ(back->second.ack, seg.ack);
  EXPECT_EQ(back->second.len, 100U);
  EXPECT_EQ(back->second.flags, seg.flags);
}

}  // namespace
}  // namespace fincheck
