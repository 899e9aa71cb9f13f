// The out-of-process stack protocol (docs/stack-protocol.md): any bytes a
// stack writes, in any cut, are frames or one message naming the offset
// where the stream went wrong. Done payloads and the Hello declaration are
// decoded as the driver decodes them.
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <variant>

#include "drivers/exec/exec_driver.hpp"
#include "drivers/exec/frames.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace fincheck::exec;
  if (size == 0) return 0;
  // The first byte says where the pipe cut the stream.
  const std::size_t cut = size > 1 ? data[0] % size : 0;
  const std::span<const std::uint8_t> stream(data + 1, size - 1);
  FrameReader reader;
  reader.feed(stream.first(std::min(cut, stream.size())));
  bool fed_rest = false;
  for (;;) {
    auto next = reader.next();
    if (std::holds_alternative<std::string>(next)) break;  // malformed: the reader stops
    const auto& frame = std::get<std::optional<Frame>>(next);
    if (!frame) {
      if (fed_rest) break;
      reader.feed(stream.subspan(std::min(cut, stream.size())));
      fed_rest = true;
      continue;
    }
    if (frame->type == FrameType::Done) decode_done(frame->payload);
    if (frame->type == FrameType::Hello) {
      try {
        parse_declaration(std::string(frame->payload.begin(), frame->payload.end()), "fuzz");
      } catch (const std::runtime_error&) {
      }
    }
  }
  return 0;
}
