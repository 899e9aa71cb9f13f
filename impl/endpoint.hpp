#pragma once
// The interface every endpoint plays behind: the reference endpoint, a
// mutant, or a third-party stack under test. The simulator drives it with
// application calls, arriving segments and the passage of virtual time.
#include <cstdint>
#include <memory>
#include <optional>

#include "impl/segment.hpp"
#include "impl/trace.hpp"
#include "model/parameters.hpp"
#include "model/states.hpp"

namespace fincheck {

// Where an endpoint puts the segments it sends.
class Wire {
 public:
  virtual ~Wire() = default;
  virtual void transmit(Side from, int conn, const Segment& seg) = 0;
};

// Everything an endpoint is born with. Both ends start ESTABLISHED: the SYNs
// took ISS and IRS, so SND.NXT = ISS + 1 and RCV.NXT = IRS + 1.
struct EndpointSetup {
  Side side = Side::A;
  int conn = 1;
  Seq iss;
  Seq irs;
  model::Parameters params;
  Trace* trace = nullptr;
  Wire* wire = nullptr;
  // The run the endpoint plays in; both endpoints of a run share it (a stack
  // that plays both sides in one instance tells runs apart by it).
  const void* run = nullptr;
};

class Endpoint {
 public:
  virtual ~Endpoint() = default;
  virtual model::State state() const = 0;
  virtual void app_close(std::int64_t now_us) = 0;
  // The application writes `segments` full segments of data.
  virtual void app_send(std::int64_t now_us, std::uint32_t segments) = 0;
  // A segment arrives; `arrival` indexes Trace::arrivals. Returns whether it
  // was accepted (ArrivalRecord::accepted).
  virtual bool receive(std::int64_t now_us, const Segment& seg, std::int64_t arrival) = 0;
  // The earliest timer deadline, if any timer is armed.
  virtual std::optional<std::int64_t> next_deadline() const = 0;
  // Fire every timer due at `now_us`.
  virtual void advance(std::int64_t now_us) = 0;
  virtual bool eof_seen() const = 0;
};

}  // namespace fincheck
