// The wire decoder: any bytes are a segment or a DecodeError with an offset
// inside the input. A segment that decodes encodes to bytes that decode to
// the same segment.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <variant>

#include "impl/wire.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace fincheck;
  const auto decoded = decode(std::span(data, size));
  if (const auto* e = std::get_if<DecodeError>(&decoded)) {
    if (e->offset > size || e->message.empty()) std::abort();
    return 0;
  }
  const WireSegment& s = std::get<WireSegment>(decoded);
  const auto again = decode(encode(s));
  if (!std::holds_alternative<WireSegment>(again) || std::get<WireSegment>(again) != s)
    std::abort();
  return 0;
}
