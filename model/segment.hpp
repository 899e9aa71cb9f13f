#pragma once
// A TCP segment as the model reads it: the header fields the teardown
// depends on. The wire codec (impl/wire.hpp) turns it into IPv4 + TCP bytes.
#include <cstdint>
#include <string>

#include "model/seq.hpp"

namespace fincheck {

struct Flags {
  bool fin = false;
  bool ack = false;
  bool rst = false;
  bool psh = false;
  friend bool operator==(const Flags&, const Flags&) = default;
};

// Flags as tcpdump prints them without brackets: "F." FIN+ACK, "." ACK,
// "P." data, "FP." data with FIN, "R" reset, "R." reset with ACK.
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
