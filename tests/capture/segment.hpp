#pragma once
// The frame the capture tests read: a FIN|ACK from 198.18.0.1:40000 to
// 198.18.0.2:80 with 3 bytes of data, its sequence number next to the wrap,
// as impl/wire encodes it (RFC 791, RFC 9293 §3.1).
#include <cstdint>
#include <vector>

#include "impl/wire.hpp"

namespace fincheck::capture {

inline std::vector<std::uint8_t> ipv4_segment() {
  WireSegment s;
  s.src_ip = wire_address(Side::A).ip;
  s.dst_ip = wire_address(Side::B).ip;
  s.src_port = 40000;
  s.dst_port = 80;
  s.seq = 0xFFFFFFFE;
  s.ack = 77;
  s.flags = tcp_flag::fin | tcp_flag::ack;
  s.payload = {1, 2, 3};
  return encode(s);
}

}  // namespace fincheck::capture
