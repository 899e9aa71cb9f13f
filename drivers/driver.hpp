#pragma once
// The one seam every stack under test plugs into (DESIGN.md, "Validating a
// third-party stack"). A driver plays one side of one connection. It is
// given what that side is given -- segments as raw IPv4/TCP bytes, the
// application's calls and, when the caller owns its clock, the passage of
// time -- and reports only what can be observed: the bytes the stack emits,
// what its application learns, and its state where that can be seen. It
// never names a row of the table and never says whether a segment was
// accepted: the shadow does (properties/shadow.hpp).
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "impl/endpoint.hpp"
#include "model/parameters.hpp"

namespace fincheck {

enum class StackClock : std::uint8_t {
  Virtual,  // the caller drives the stack's timers (next_deadline, advance)
  Real,     // the stack keeps its own time; the caller only watches
};

// What a driver declares about its stack; `fincheck stacks` prints it.
struct StackCapabilities {
  StackClock clock = StackClock::Virtual;
  // How far from its deadline a timer of the stack's may go off: its tick,
  // or a real clock's scheduling noise. The shadow fires its own timers
  // early by at most this much (and the profile's timer_granularity).
  std::int64_t granularity_us = 0;
  // state() answers (false: only bytes and application events are seen).
  bool state_observable = true;
  // One instance of the stack can play a and b of the same run.
  bool plays_both = true;
  // Runs may go on in several threads at once, each with its own drivers
  // (false for a stack that exists once per process, as lwIP does).
  bool concurrent = true;
};

// What the stack's application and socket layer report.
struct Observer {
  virtual ~Observer() = default;
  // A packet the stack put on the wire: one IPv4 datagram, as sent.
  virtual void emitted(std::int64_t at_us, std::span<const std::uint8_t> packet) = 0;
  // Data (bytes read), Eof, Reset, TimedOut, or Refused (a call the socket
  // refused; `note` says why). A write the stack took in part is Refused
  // with `bytes` the part it took (a multiple of the 100-byte segment).
  virtual void app_event(std::int64_t at_us, AppOp op, std::uint32_t bytes,
                         const std::string& note) = 0;
  // The stack did work on its own, outside any call on this driver (one
  // instance playing both sides: the other side's call ticked it). The
  // caller looks at the state now.
  virtual void settled(std::int64_t at_us) = 0;
  // Something the stack did that no wire can carry, or the stack failing.
  virtual void stack_error(std::int64_t at_us, const std::string& message) = 0;
};

// Everything a side is born with. The ISS is offered: a stack may pick its
// own (StackDriver::iss()), and the seam translates. The parameters are the
// run's, for a stack that takes them.
struct DriverSetup : ConnectionSetup {
  Observer* observer = nullptr;
};

class StackDriver {
 public:
  virtual ~StackDriver() = default;
  // The initial sequence number the stack took.
  virtual Seq iss() const = 0;
  // A segment from the peer, as IPv4 bytes.
  virtual void deliver(std::int64_t now_us, std::span<const std::uint8_t> packet) = 0;
  // close, shutdown, abort, or send `segments` full segments of data.
  virtual void call(std::int64_t now_us, AppOp call, std::uint32_t segments) = 0;
  // Virtual clock: when the stack next needs time to pass; advance() runs
  // its timers up to `now_us`. A real-clock stack reports its next moment of
  // interest, if any, and advance() waits for it.
  virtual std::optional<std::int64_t> next_deadline() const = 0;
  virtual void advance(std::int64_t now_us) = 0;
  // Real clock: lives through the time until `until_us`, or less when the
  // stack has something to report sooner (a packet on its wire), and returns
  // the moment it woke; advance() to that moment follows. A virtual clock
  // returns `until_us` at once.
  virtual std::int64_t wait_until(std::int64_t until_us) { return until_us; }
  // The stack's state, if StackCapabilities::state_observable.
  virtual std::optional<model::State> state() const = 0;
  // Where its sequence numbers stand, in its own numbering, if it can tell.
  virtual std::optional<SeqView> seq_view() const { return std::nullopt; }
};

using DriverFactory = std::function<std::unique_ptr<StackDriver>(const DriverSetup&)>;

}  // namespace fincheck
