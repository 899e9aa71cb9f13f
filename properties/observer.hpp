#pragma once
// The model-driven observer of a captured connection (`fincheck trace`): the
// reference endpoint plays both ends and is fed what the capture shows.
// Nothing here knows a transition: every segment reaches a model through the
// one classifier and the one table, as in a run.
//
// What a capture cannot show is kept open. The application's calls are
// inferred from what each end sends (data the model has not written is
// written; a FIN the model has not queued is a close() or a shutdown(), both
// kept; a RST no arrival explains is an abort). Whether and when a segment
// arrived depends on where the capture was taken (Vantage): a segment that
// may still be in flight is held, and when its receiver next speaks every
// way of delivering the held ones in order -- arrived before, lost, still
// in flight -- is a configuration of its own. Configurations that cannot
// explain a segment are dropped; a divergence is reported only when none is
// left, naming that segment and what the first configuration allowed
// instead. At most ObserverBounds::configurations are kept (identical ones
// once); beyond that the first ones in the order above are kept and the
// connection is marked `bounded`: not every explanation was tried.
//
// Each end's segments are judged as the shadow judges a stack's
// (properties/shadow.hpp): data and FIN within what its application wrote,
// the FIN where the model's is, the ACK field a RCV.NXT the model had since
// the end last spoke, a retransmission only with the model's retransmission
// timer armed and no sooner than the minimum RTO after it was armed (less the
// profile's tolerance) -- or at its tail loss probe -- and a RST only where
// the model sends one. The models' own timers that change state (TIME-WAIT,
// FIN-WAIT-2, LAST-ACK) fire once overdue by the tolerance; those that send
// fire when the capture shows what they send.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "impl/scenario.hpp"
#include "impl/trace.hpp"
#include "model/parameters.hpp"
#include "properties/invariant.hpp"

namespace fincheck {

// Where a capture was taken. A: on a's host -- what b sent has arrived when
// seen, what a sent may be lost or in flight. B: the mirror. Path: between
// the hosts -- anything seen may be lost after the capture point or still in
// flight. Both: where both ends are, as on loopback (or a run's own capture,
// taken at the receivers): a segment seen has arrived.
enum class Vantage : std::uint8_t { A, B, Path, Both };
std::string_view to_string(Vantage v);
std::optional<Vantage> vantage_named(std::string_view name);

struct ObservedSegment {
  std::int64_t at_us = 0;
  std::uint64_t frame = 0;
  Side from = Side::A;
  Segment seg;
  bool syn = false;
};

struct ObserverBounds {
  // Configurations kept at once.
  std::size_t configurations = 16;
};

struct ObservedDivergence {
  std::string kind;  // "segment" or "timer"
  std::uint64_t frame = 0;
  std::int64_t at_us = 0;
  Side side = Side::A;
  std::string segment;  // as tcpdump prints it
  std::string message;  // what the model would have allowed instead
  model::State state = model::State::Established;
  int row = -1;  // the last row the model took at that end before it
};

// A retransmission on the model's timer: how long after the model armed it
// (RFC 6298 §5.1), against the floor the profile gives it.
struct RetransmissionTiming {
  Side side = Side::A;
  std::uint64_t frame = 0;
  std::int64_t at_us = 0;
  std::int64_t after_armed_us = 0;
  std::int64_t floor_us = 0;
};

class ConnectionObserver {
 public:
  // `vantage` empty: inferred from the handshake when it is seen (the side
  // whose reply came at once is where the capture was; neither: path), else
  // path. How it was decided is vantage_reason().
  ConnectionObserver(const model::Parameters& params, std::optional<Vantage> vantage,
                     const ObserverBounds& bounds = {});
  ~ConnectionObserver();
  ConnectionObserver(ConnectionObserver&&) noexcept;
  ConnectionObserver& operator=(ConnectionObserver&&) noexcept;

  void observe(const ObservedSegment& s);
  // The capture ended, or the connection was handed on: what is still in
  // flight is taken to have arrived, and the timers that change state run out.
  void finish();

  bool started() const;
  const std::optional<ObservedDivergence>& divergence() const { return divergence_; }
  Vantage vantage() const { return vantage_; }
  const std::string& vantage_reason() const { return vantage_reason_; }
  bool bounded() const { return bounded_; }
  std::size_t most_configurations() const { return most_; }
  // Segments not fed to the models: the handshake, and anything after a
  // divergence.
  std::uint64_t unjudged() const { return unjudged_; }
  // The first configuration kept: the capture's segments with the arrivals
  // it chose, and each model's steps, timers and inferred calls.
  const Trace& trace() const;
  // A scenario that replays it in `fincheck run`: the profile, the inferred
  // application calls, the capture's ISNs, the segments it took to be lost.
  Scenario scenario() const;
  // The retransmissions the first configuration took as its timer's.
  const std::vector<RetransmissionTiming>& retransmissions() const;
  // What the application of each end was inferred to do, in words.
  std::vector<std::string> inferred() const;
  // The catalog's invariants over trace() and scenario(); none once diverged.
  std::vector<Verdict> verdicts() const;

  // One way of explaining the capture so far (defined in observer.cpp).
  struct Configuration;

 private:
  // The parameters, calls and losses the first configuration took.
  Scenario inferred_scenario() const;
  void start(const ObservedSegment& s);
  void judge_all(const ObservedSegment& s);
  void forget_data_phase(Configuration& c) const;

  model::Parameters params_;
  ObserverBounds bounds_;
  Vantage vantage_ = Vantage::Path;
  std::string vantage_reason_;
  bool vantage_given_ = false;
  std::vector<std::unique_ptr<Configuration>> configs_;
  std::optional<ObservedDivergence> divergence_;
  std::optional<ObservedSegment> syn_, syn_ack_;
  std::int64_t origin_us_ = -1;
  Seq iss_[2];
  std::size_t most_ = 0;
  std::uint64_t unjudged_ = 0;
  bool bounded_ = false;
  bool finished_ = false;
};

}  // namespace fincheck
