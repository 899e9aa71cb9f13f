#pragma once
// Questions the invariants ask of a trace, answered once here.
#include <cstdint>
#include <optional>
#include <string>

#include "impl/trace.hpp"

namespace fincheck {

// Index of the first FIN segment `side` sent in connection `conn`.
std::optional<std::size_t> first_fin_sent(const Trace& t, Side side, int conn);
// Index of the first step in which `side` took its peer's FIN in order
// (a step caused by the event Fin).
std::optional<std::size_t> first_fin_taken(const Trace& t, Side side, int conn);
// Whether segment `seg` was sent while arrival `arrival` was being handled.
bool sent_in_reply_to(const Trace& t, std::size_t seg, std::size_t arrival);
// The first step at or after `from_step` in which `side` leaves `state`.
std::optional<std::size_t> next_exit(const Trace& t, Side side, int conn, model::State state,
                                     std::size_t from_step);
// Whether arrival `a` brought a FIN of its own connection to an endpoint in
// TIME-WAIT.
bool is_fin_in_time_wait(const Trace& t, const ArrivalRecord& a);
// Count of segments with the fate Dropped.
std::size_t dropped_count(const Trace& t);
// "a->b #3" for messages.
std::string segment_name(const SegmentRecord& r);

}  // namespace fincheck
