#pragma once
// One captured frame, from its link layer down to TCP: Ethernet (802.1Q
// and 802.1ad tags), raw IP, Linux cooked v1 and v2 (`tcpdump -i any`),
// BSD loopback; IPv4 and IPv6. Pure and bounded: every frame is read, none
// trusted; what is not a whole TCP segment says why and where.
//
// Checksums are not verified, as Wireshark does not by default: on the
// host that sends, offloading leaves them unfilled in the capture.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <variant>

namespace fincheck::capture {

// An address of either family: IPv4 as ::ffff:a.b.c.d (RFC 4291 §2.5.5.2).
using Address = std::array<std::uint8_t, 16>;

struct TcpHeader {
  Address src{}, dst{};
  std::uint16_t src_port = 0, dst_port = 0;
  std::uint32_t seq = 0, ack = 0;
  std::uint8_t flags = 0;  // FIN 0x01 ... CWR 0x80
  std::uint16_t window = 0;
  std::uint32_t payload = 0;  // bytes of data, as the IP length says
  bool ipv6 = false;
  std::optional<std::uint32_t> tsval;  // RFC 7323 timestamps option, if sent
};

// Why a frame is not a TCP segment fincheck can judge.
enum class Skip : std::uint8_t {
  NotIp,      // ARP, LLDP, ...: another ethertype
  NotTcp,     // UDP, ICMP, ...
  Fragment,   // an IPv4 fragment or an IPv6 fragment header: not reassembled
  Truncated,  // the snapshot length cut the headers short
  Malformed,  // a header's length field contradicts itself
};
std::string_view to_string(Skip s);

struct Skipped {
  Skip why;
  std::size_t offset;  // into the frame, of the first byte found wrong
};

// `link_type` is libpcap's DLT_ value (pcap_datalink()); unknown ones are
// refused by the reader before any frame.
std::variant<TcpHeader, Skipped> decode_frame(int link_type, std::span<const std::uint8_t> frame);

// Whether decode_frame reads this link type.
bool link_type_supported(int link_type);

// "198.18.0.1" or "2001:db8::1".
std::string address_text(const Address& a);

}  // namespace fincheck::capture
