#pragma once
// What one teardown came to, read off its trace, and the tally of many:
// integer counts and sums only, so that tallies of shards add up to exactly
// the tally of one run.
#include <cstdint>

#include "impl/trace.hpp"
#include "research/histogram.hpp"

namespace fincheck::research {

struct TeardownOutcome {
  // Both ends CLOSED and no application saw anything but an orderly close
  // (no reset, no timeout, no abort), no old duplicate accepted; in a
  // reopen run also both ends of connection 2 still ESTABLISHED.
  bool clean = false;
  bool reset_passive = false;  // the passive closer heard "connection reset by peer"
  bool abort = false;  // an end gave up: its retry budget spent, or an idle LAST-ACK timed out
  bool old_duplicate = false;      // a segment of connection 1 was accepted by connection 2
  bool stuck_fin_wait_2 = false;   // an end ended in FIN_WAIT_2 or was freed from it by timeout
  bool passive_time_wait = false;  // the passive closer entered TIME_WAIT
  bool active_time_wait = false;   // the active closer entered TIME_WAIT
  // A RST ended an end's TIME_WAIT before its timer did: RFC 1337's
  // "TIME-WAIT assassination", which RFC 9293 §3.10.7.4 allows and its fix
  // (Parameters::rfc1337) stops.
  bool time_wait_assassinated = false;
  bool both_time_wait = false;  // both ends entered TIME_WAIT (a simultaneous close)
  // The stack under test did what the model does not allow (sweep --impl);
  // the other outcomes are what it did, as the shadow read it.
  bool diverged = false;
  std::int64_t time_to_closed_us = -1;    // both ends of connection 1 CLOSED; -1 never
  std::int64_t time_in_time_wait_us = 0;  // summed over both ends
  std::uint32_t segments = 0;             // of connection 1
  // FINs the passive closer sent: 1, plus one per retransmission. Three or
  // more: its first two tries to close both failed ("two losses in a row").
  std::uint32_t passive_fins = 0;
  friend bool operator==(const TeardownOutcome&, const TeardownOutcome&) = default;
};

TeardownOutcome outcome_of(const Trace& t);

struct Tally {
  std::uint64_t n = 0;
  std::uint64_t clean = 0;
  std::uint64_t reset_passive = 0;
  std::uint64_t abort = 0;
  std::uint64_t old_duplicate = 0;
  std::uint64_t stuck_fin_wait_2 = 0;
  std::uint64_t passive_time_wait = 0;
  std::uint64_t active_time_wait = 0;
  std::uint64_t time_wait_assassinated = 0;
  std::uint64_t both_time_wait = 0;
  std::uint64_t diverged = 0;
  std::uint64_t closed = 0;  // teardowns in which both ends reached CLOSED
  std::int64_t closed_sum_us = 0;
  std::int64_t closed_min_us = 0;  // of those `closed`; 0 when none
  std::int64_t closed_max_us = 0;
  std::uint64_t time_wait_count = 0;  // teardowns with any time in TIME_WAIT
  std::int64_t time_wait_sum_us = 0;
  std::int64_t time_wait_min_us = 0;  // of those `time_wait_count`; 0 when none
  std::int64_t time_wait_max_us = 0;
  std::uint64_t segments = 0;
  // The distributions behind the sums, for quantiles (research/histogram.hpp).
  Histogram closed_histogram;
  Histogram time_wait_histogram;

  void add(const TeardownOutcome& o);
  void merge(const Tally& other);
  friend bool operator==(const Tally&, const Tally&) = default;
};

}  // namespace fincheck::research
