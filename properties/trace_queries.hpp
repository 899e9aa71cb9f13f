#pragma once
// Questions the invariants ask of a trace, answered once here.
#include <cstdint>
#include <optional>
#include <string>

#include "impl/scenario.hpp"
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
// A segment with ACK and no RST that reached TIME-WAIT (it restarts 2·MSL
// under Parameters::time_wait_restarts_on_ack).
bool is_ack_in_time_wait(const Trace& t, const ArrivalRecord& a);
// Count of segments with the fate Dropped.
std::size_t dropped_count(const Trace& t);
// Applications that only close, shut down and send, and read everything;
// nothing injected. An abort, an application that never reads, and an
// injected segment all draw RSTs by design.
bool plain_applications(const Scenario& s);
// Whether `side`'s application calls close() or abort() at some point.
bool closes_socket(const Scenario& s, Side side);
// Whether `side` of `conn` went to CLOSED otherwise than by the teardown's
// own end (the ACK of its FIN in LAST-ACK, TIME-WAIT running out): reset,
// retry budget spent, freed from FIN-WAIT-2, aborted or answering data with
// RST. When, if so.
std::optional<std::int64_t> died_at(const Trace& t, Side side, int conn);
// Where the TIME-WAIT that `entry` began counts from: the entry, or under
// orphan_timers_frozen, for an endpoint that called close() before, the
// last segment but a RST that reached it before that close().
std::int64_t time_wait_start(const Scenario& s, const Trace& t, const StepRecord& entry);
// Whether some TIME-WAIT counted from before its entry: the profile cuts it
// short (lwIP after tcp_close()).
bool time_wait_cut_short(const Scenario& s, const Trace& t);
// Whether a timer RFC 9293 does not have freed an end (an orphan's
// FIN-WAIT-2, an idle LAST-ACK): the peer's later segments then draw RST,
// and a LAST-ACK freed so leaves the peer unanswered, by design.
bool freed_by_own_timer(const Trace& t);
// "a->b #3" for messages.
std::string segment_name(const SegmentRecord& r);

}  // namespace fincheck
