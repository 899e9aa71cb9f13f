#pragma once
// A TCP segment as the simulator carries it: the header fields the teardown
// depends on, plus where it came from (not on the wire).
#include <cstdint>
#include <string>

#include "impl/seq.hpp"

namespace fincheck {

enum class Side : std::uint8_t { A, B };
constexpr Side peer_of(Side s) { return s == Side::A ? Side::B : Side::A; }
constexpr const char* name_of(Side s) { return s == Side::A ? "a" : "b"; }

struct Flags {
  bool fin = false;
  bool ack = false;
  bool rst = false;
  bool psh = false;
  friend bool operator==(const Flags&, const Flags&) = default;
};

// Flags as tcpdump prints them without brackets: "F." FIN+ACK, "." ACK,
// "P." data, "R" reset, "R." reset with ACK.
std::string tcpdump_flags(const Flags& f);

struct Segment {
  Seq seq;
  Seq ack;
  std::uint32_t len = 0;  // payload bytes; the FIN occupies one more sequence number
  Flags flags;

  // Sequence space the segment occupies (RFC 9293 §3.4: SEG.LEN counts FIN).
  std::uint32_t seg_len() const { return len + (flags.fin ? 1U : 0U); }
};

}  // namespace fincheck
