#pragma once
// IPv4 + TCP segments as bytes on a wire (RFC 791, RFC 9293 §3.1), with real
// checksums. Decoding never trusts its input: every malformation is a typed
// error naming the byte offset where it was found.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "impl/segment.hpp"

namespace fincheck {

struct TcpOptions {
  std::uint16_t mss = 0;           // kind 2; 0: absent
  std::int16_t window_scale = -1;  // kind 3; -1: absent
  bool sack_permitted = false;     // kind 4
  bool timestamps = false;         // kind 8
  std::uint32_t ts_value = 0;
  std::uint32_t ts_echo = 0;
  friend bool operator==(const TcpOptions&, const TcpOptions&) = default;
};

struct WireSegment {
  std::uint32_t src_ip = 0;
  std::uint32_t dst_ip = 0;
  std::uint16_t ip_id = 0;
  std::uint8_t ttl = 64;
  std::uint16_t src_port = 0;
  std::uint16_t dst_port = 0;
  std::uint32_t seq = 0;
  std::uint32_t ack = 0;
  std::uint8_t flags = 0;  // the TCP flag bits: FIN 0x01 ... CWR 0x80
  std::uint16_t window = 0;
  std::uint16_t urgent = 0;
  TcpOptions options;
  std::vector<std::uint8_t> payload;
  friend bool operator==(const WireSegment&, const WireSegment&) = default;
};

namespace tcp_flag {
inline constexpr std::uint8_t fin = 0x01, syn = 0x02, rst = 0x04, psh = 0x08, ack = 0x10,
                              urg = 0x20, ece = 0x40, cwr = 0x80;
}

enum class WireError : std::uint8_t {
  Truncated,          // fewer bytes than a header or length field promises
  NotIpv4,            // version is not 4
  BadIpHeaderLength,  // IHL below 5 or beyond the buffer
  BadTotalLength,     // total length below the header or beyond the buffer
  BadIpChecksum,
  Fragment,            // MF set or a fragment offset: not reassembled here
  NotTcp,              // protocol is not 6
  BadTcpHeaderLength,  // data offset below 5 or beyond the IP payload
  BadOption,           // an option's length runs out of the header or is wrong for its kind
  BadTcpChecksum,
};

struct DecodeError {
  WireError kind;
  std::size_t offset;  // of the first byte found wrong
  std::string message;
};

std::vector<std::uint8_t> encode(const WireSegment& s);
std::variant<WireSegment, DecodeError> decode(std::span<const std::uint8_t> bytes);

// The simulator's endpoints on the wire: a = 198.18.0.1:40000,
// b = 198.18.0.2:80 (198.18.0.0/15 is reserved for benchmarking, RFC 2544).
struct WireAddress {
  std::uint32_t ip;  // host byte order
  std::uint16_t port;
};
constexpr WireAddress wire_address(Side s) {
  return s == Side::A ? WireAddress{(198U << 24) | (18U << 16) | 1U, 40000}
                      : WireAddress{(198U << 24) | (18U << 16) | 2U, 80};
}

WireSegment to_wire(Side from, const Segment& seg, std::uint16_t ip_id);
// Back to the simulator's segment, and which side sent it; nullopt when the
// addresses are not the simulator's.
std::optional<std::pair<Side, Segment>> from_wire(const WireSegment& w);

}  // namespace fincheck
