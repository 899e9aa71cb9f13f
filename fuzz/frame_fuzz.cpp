// The capture frame decoder: the first byte picks a link type, the rest is
// the frame. Any bytes are a TCP header or a reason with an offset inside
// the frame; a header's data never exceeds what its IP length allows.
#include <pcap/dlt.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <variant>

#include "capture/frame.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace fincheck::capture;
  if (size == 0) return 0;
  static constexpr int links[] = {DLT_NULL,      DLT_EN10MB,     DLT_RAW,  DLT_LOOP,
                                  DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_IPV4, DLT_IPV6};
  const int link = links[data[0] % std::size(links)];
  const std::span frame(data + 1, size - 1);
  const auto d = decode_frame(link, frame);
  if (const auto* s = std::get_if<Skipped>(&d)) {
    if (s->offset > frame.size()) std::abort();
    return 0;
  }
  if (std::get<TcpHeader>(d).payload > 65535) std::abort();
  return 0;
}
