#pragma once
// The protocol parameters of one endpoint, and the named profiles that set
// them. Every value cites the document or source file it comes from.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fincheck::model {

struct Parameters {
  std::string profile = "rfc9293";
  // Maximum segment lifetime: the network's promise that no segment outlives it.
  std::int64_t msl_us = 0;
  // Length of TIME-WAIT; unset means 2·MSL (RFC 9293 §3.6.1).
  std::optional<std::int64_t> time_wait_us;
  // Retransmission timeout before the first retransmission, its growth factor
  // per expiry (RFC 6298 §5.5) and its ceiling.
  std::int64_t rto_initial_us = 0;
  std::uint32_t rto_backoff = 2;
  std::int64_t rto_max_us = 0;
  // Retransmissions of one segment before the connection is aborted
  // (RFC 9293 §3.8.3, the R2 threshold counted in retransmissions).
  std::uint32_t retries = 0;
  // How long the last retransmission waits for its ACK before the abort;
  // 0: its whole backed-off timeout, as every other retransmission does.
  std::int64_t last_retransmission_wait_us = 0;
  // RFC 6298 §2-§3: the RTO follows the measured round trip (SRTT, RTTVAR;
  // Karn's rule: no sample from a retransmitted segment), never below
  // rto_min_us. Off: the fixed rto_initial_us, doubled on each expiry.
  bool rto_estimation = false;
  std::int64_t rto_min_us = 0;
  // RFC 8985 §7: a tail loss probe resends the last segment 2·SRTT after it
  // was sent (1 s without a sample), before the RTO; it is not counted as a
  // retransmission and does not back off.
  bool tail_loss_probe = false;
  // The retry budget counted as Linux counts it (tcp_timer.c
  // retransmits_timed_out(), tcp_model_timeout()): after at least one
  // retransmission, abort once the segment first retransmitted was sent
  // longer ago than `retries` doublings of rto_min_us would take, instead of
  // after `retries` retransmissions.
  bool retries_by_time = false;
  // How long the ACK of a received FIN may wait for a segment to ride on,
  // on a connection that has received data; 0 sends it at once.
  std::int64_t delayed_ack_us = 0;
  // The same on a connection that has received no data yet (Linux's
  // quick-ack mode at the start of a connection acknowledges at once).
  std::int64_t delayed_ack_first_us = 0;
  // RFC 9293 §3.7.4 (Nagle): a segment shorter than the MSS waits while
  // data is unacknowledged; a FIN rides on the data still waiting.
  bool nagle = false;
  // Send maximum segment size in bytes (RFC 9293 §3.7.1).
  std::uint32_t mss_bytes = 536;
  // Lifetime of an orphaned FIN-WAIT-2; 0 means none (RFC 9293 has none).
  std::int64_t fin_wait_2_timeout_us = 0;
  // How long LAST-ACK may go without a segment arriving (counted from the
  // last one before close()) before the connection is dropped and the
  // application told it timed out; 0 means none (RFC 9293: only the retry
  // budget ends it).
  std::int64_t last_ack_timeout_us = 0;
  // RFC 1337 §3 fix: a RST in TIME-WAIT is ignored instead of closing.
  bool rfc1337 = false;
  // The ACK field of a segment that fails the acceptability test (an old
  // duplicate, a retransmitted FIN) is processed before the segment is
  // dropped. RFC 9293 §3.10.7.4 drops it whole: "If an incoming segment is
  // not acceptable, an acknowledgment should be sent in reply ... After
  // sending the acknowledgment, drop the unacceptable segment and return."
  bool ack_of_unacceptable = false;
  // The RST that answers data arriving after close() carries SND.NXT, as an
  // ABORT's does (RFC 9293 §3.10.5); off: SEG.ACK, as the RST for a segment
  // with no connection (§3.10.7.1).
  bool orphan_rst_at_snd_nxt = false;
  // An abort in CLOSING or LAST-ACK sends a RST too; RFC 9293 §3.10.5 and
  // Linux (tcp_need_reset()) send none there.
  bool abort_rst_in_closing = false;
  // An abort in TIME-WAIT closes the application's descriptor only: the
  // TIME-WAIT goes on. RFC 9293 §3.10.5 deletes the TCB; Linux's TIME-WAIT
  // is a socket of its own that no descriptor reaches.
  bool abort_keeps_time_wait = false;
  // A RST carrying the sequence number of the peer's FIN resets in
  // CLOSE-WAIT, LAST-ACK and CLOSING (Linux tcp_reset_check(): RFC 5961
  // §3.2 "extended to RCV.NXT - 1 after a FIN"); RFC 5961 resets only at
  // RCV.NXT.
  bool rst_at_peer_fin = false;
  // An orphan answers a FIN beyond RCV.NXT -- the peer sent data after
  // close() that never arrived -- with RST, as it answers the data (Linux
  // tcp_rcv_state_process(): "after(end_seq - th->fin, rcv_nxt)").
  bool orphan_rst_on_gap = false;
  // A retransmitted FIN whose ACK field completes the close (CLOSING to
  // TIME-WAIT, LAST-ACK to CLOSED) is not acknowledged: the stack takes the
  // ACK first and discards the segment (Linux tcp_rcv_state_process()).
  // Needs ack_of_unacceptable.
  bool fin_again_closes_silently = false;
  // Any segment with ACK that reaches TIME-WAIT, acceptable or not,
  // restarts its 2·MSL (Linux tcp_timewait_state_process(): "if
  // (paws_reject || th->ack) inet_twsk_reschedule(tw, TCP_TIMEWAIT_LEN)");
  // RFC 9293 §3.10.7.4 restarts it on a retransmitted FIN only.
  bool time_wait_restarts_on_ack = false;
  // An orphan's FIN-WAIT-2 is ended by any RST in the window, not only one
  // at RCV.NXT: Linux keeps it as a timewait socket, whose checks are RFC
  // 793's (tcp_timewait_state_process(), TCP_FIN_WAIT2: "if (th->rst) goto
  // kill"), with no RFC 5961 challenge ACK.
  bool orphan_fin_wait_2_any_rst = false;
  // close() after shutdown() with received data unread resets, as it does
  // before (Linux tcp_close() checks data_was_unread in every state; RFC
  // 1122 §4.2.2.13 "If such a host issues a CLOSE call while received data
  // is still pending in TCP ... its TCP SHOULD send a RST"). Off: only
  // ESTABLISHED and CLOSE-WAIT reset (lwIP's tcp_close_shutdown()).
  bool unread_rst_after_shutdown = false;
  // Data after close() that arrives with the FIN which ends the teardown
  // (into TIME-WAIT) closes the connection without a RST: the stack takes
  // the FIN first, and aborts from TIME-WAIT silently.
  bool orphan_data_with_fin_silent = false;
  // After close() the stack no longer notes the time of arriving segments,
  // so an orphan's FIN-WAIT-2 and TIME-WAIT timers count from the last
  // segment that arrived before close() (a restart on a FIN in TIME-WAIT
  // still counts from the FIN).
  bool orphan_timers_frozen = false;
  // At most one ACK per this interval in reply to out-of-window segments and
  // ACKs (RFC 5961 §7); 0: no limit. Without it two desynchronized ends
  // trade ACKs forever.
  std::int64_t oow_ack_interval_us = 0;
  // How late a timer may fire: the period of the clock that drives it (0: to
  // the microsecond). A stack under test whose TIME-WAIT ends within this of
  // its deadline keeps time-wait-lasts-2msl.
  std::int64_t timer_granularity_us = 0;
  // The model's own timers fire at the next multiple of this after their
  // deadline (a kernel's jiffies; 0: at the deadline).
  std::int64_t timer_tick_us = 0;
  // A stack's timer of length L may also fire up to L / this late (0: not
  // at all): Linux's timer wheel rounds a long timeout up to the granularity
  // of its level, at most an eighth of it (kernel/time/timer.c).
  std::uint32_t timer_slack_divisor = 0;

  bool operator==(const Parameters&) const = default;
  std::int64_t time_wait() const { return time_wait_us.value_or(2 * msl_us); }
  std::int64_t two_msl() const { return 2 * msl_us; }
  // How late a timer may fire and still be on time.
  std::int64_t timer_tolerance_us() const {
    return timer_granularity_us > timer_tick_us ? timer_granularity_us : timer_tick_us;
  }
  // How late a timer of length `length_us` may fire and still be on time.
  std::int64_t timer_tolerance_us(std::int64_t length_us) const {
    return timer_tolerance_us() + (timer_slack_divisor ? length_us / timer_slack_divisor : 0);
  }
};

// Linux's tcp_model_timeout() (net/ipv4/tcp_timer.c): how long `retries`
// retransmissions take, doubling from rto_min_us and linear once they reach
// rto_max_us. The budget when retries_by_time is on.
std::int64_t retry_budget_us(const Parameters& p);
// How many retransmissions of one segment the budget certainly allows:
// `retries`, or under retries_by_time one (the first always goes; how many
// more fit depends on when it went).
std::uint32_t retransmissions_allowed(const Parameters& p);

Parameters rfc9293_profile();
Parameters linux_profile();
Parameters lwip_profile();

std::optional<Parameters> profile_named(std::string_view name);
const std::vector<std::string_view>& profile_names();

}  // namespace fincheck::model
