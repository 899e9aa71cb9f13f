#include "model/segment.hpp"

namespace fincheck {

std::string tcpdump_flags(const Flags& f) {
  std::string out;
  if (f.fin) out += 'F';
  if (f.rst) out += 'R';
  if (f.psh) out += 'P';
  if (f.ack) out += '.';
  return out.empty() ? "none" : out;
}

}  // namespace fincheck
