#pragma once
// The frames of the out-of-process stack protocol (docs/stack-protocol.md):
// a 17-byte header -- type, handle, time, payload length, big-endian -- and
// the payload. Decoding never trusts its input: every malformation names the
// byte offset in the stream where it was found.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "model/state.hpp"

namespace fincheck::exec {

inline constexpr std::size_t header_bytes = 17;
// No frame of a teardown needs more: an IPv4 datagram is at most 65,535.
inline constexpr std::uint32_t max_payload = 65'535 + 1'024;
inline constexpr std::uint32_t protocol_version = 1;

// Frame types, as the ASCII letters on the wire.
enum class FrameType : std::uint8_t {
  Hello = 'H',    // both ways: version; the stack's declaration
  Open = 'O',     // -> side, ISS, IRS, reads
  Packet = 'P',   // both ways: one IPv4 datagram
  Call = 'C',     // -> close, shutdown, abort, send N
  Advance = 'T',  // -> time passes up to the frame's time
  End = 'X',      // -> the run is over: forget the handle
  App = 'A',      // <- data, EOF, reset, timed out, refused
  Done = 'D',     // <- the stimulus is handled: state, next deadline, ISS
  Error = 'E',    // <- the stack reports its own failure
};

struct Frame {
  FrameType type = FrameType::Done;
  std::uint32_t handle = 0;
  std::int64_t time_us = 0;
  std::vector<std::uint8_t> payload;
};

std::vector<std::uint8_t> encode_frame(const Frame& f);

// Codes of Call and App payloads and of Done's state byte.
enum class CallCode : std::uint8_t { Close = 1, Shutdown = 2, Abort = 3, Send = 4 };
enum class AppCode : std::uint8_t { Data = 1, Eof = 2, Reset = 3, TimedOut = 4, Refused = 5 };
// 0: not observable; 1..8: ESTABLISHED ... CLOSED in model::State's order.
std::uint8_t state_code(std::optional<model::State> s);
std::optional<model::State> state_from_code(std::uint8_t code);

struct Done {
  std::optional<model::State> state;
  std::optional<std::int64_t> next_deadline_us;
  std::uint32_t iss = 0;
};

// A stream of bytes from a stack, cut into frames as they arrive.
class FrameReader {
 public:
  void feed(std::span<const std::uint8_t> bytes);
  // The next whole frame, nullopt when more bytes are needed; a string when
  // the stream is malformed (the reader is then stuck).
  std::variant<std::optional<Frame>, std::string> next();
  std::uint64_t offset() const { return consumed_; }  // of the next frame

 private:
  std::vector<std::uint8_t> buffer_;
  std::size_t start_ = 0;
  std::uint64_t consumed_ = 0;
};

// Payload codecs; each decode names what is wrong, offsets relative to the
// payload's first byte.
std::variant<Done, std::string> decode_done(std::span<const std::uint8_t> payload);
std::vector<std::uint8_t> encode_done(const Done& d);

void put_u32(std::vector<std::uint8_t>& out, std::uint32_t v);
void put_i64(std::vector<std::uint8_t>& out, std::int64_t v);
std::uint32_t get_u32(const std::uint8_t* p);
std::int64_t get_i64(const std::uint8_t* p);

}  // namespace fincheck::exec
