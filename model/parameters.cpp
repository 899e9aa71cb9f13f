#include "model/parameters.hpp"

#include <algorithm>

namespace fincheck::model {

namespace {
constexpr std::int64_t ms = 1'000;
constexpr std::int64_t s = 1'000'000;
}  // namespace

Parameters rfc9293_profile() {
  Parameters p;
  p.profile = "rfc9293";
  // RFC 9293 §3.4.2: "the Maximum Segment Lifetime (MSL) ... is arbitrarily
  // defined to be 2 minutes".
  p.msl_us = 120 * s;
  // RFC 9293 §3.8.1 defers to RFC 6298: §2.1 "sets RTO <- 1 second", §5.5
  // doubles it, §2.5 "A maximum value MAY be placed on RTO provided it is at
  // least 60 seconds".
  p.rto_initial_us = 1 * s;
  p.rto_backoff = 2;
  p.rto_max_us = 60 * s;
  // RFC 6298 §2.4: "Whenever RTO is computed, if it is less than 1 second,
  // then the RTO SHOULD be rounded up to 1 second". Estimation is off: the
  // fixed 1 s of §2.1 is what every shipped scenario's timing assumes
  // (docs/decisions.md).
  p.rto_min_us = 1 * s;
  // RFC 9293 §3.8.3: "R2 for data SHOULD correspond to at least 100 seconds".
  // Six retransmissions at 1, 3, 7, 15, 31 and 63 s time out at 123 s.
  p.retries = 6;
  // RFC 9293 §3.8.6.3: the delay "MUST be less than 0.5 seconds"; 200 ms is
  // the BSD fast-timer value most stacks inherited.
  p.delayed_ack_us = 200 * ms;
  p.delayed_ack_first_us = 200 * ms;
  // RFC 9293 §3.7.1: "the default ... is 536" for IPv4. Nagle (§3.7.4,
  // "SHOULD implement") stays off: the RFC lets the application turn it off,
  // and the shipped scenarios' data timing assumes it is.
  p.mss_bytes = 536;
  // RFC 9293 §3.10.7.4: in TIME-WAIT, "If the RST bit is set, then enter the
  // CLOSED state" (the RFC 1337 hazard).
  p.rfc1337 = false;
  // RFC 5961 §7: the ACKs "SHOULD be rate limited"; it names no rate, so
  // this takes Linux's default (below).
  p.oow_ack_interval_us = 500 * ms;
  return p;
}

Parameters linux_profile() {
  Parameters p;
  p.profile = "linux";
  // Linux has no MSL constant; include/net/tcp.h defines TIME-WAIT directly:
  // "#define TCP_TIMEWAIT_LEN (60*HZ) /* how long to wait to destroy
  // TIME-WAIT state, about 60 seconds */", i.e. 2·MSL with MSL = 30 s.
  p.msl_us = 30 * s;
  p.time_wait_us = 60 * s;
  // include/net/tcp.h: TCP_RTO_MIN (HZ/5) and TCP_RTO_MAX (120*HZ). After the
  // handshake the RTO comes from the RTT sample and, on a LAN, sits at the
  // 200 ms floor (tcp_set_rto in net/ipv4/tcp_input.c).
  p.rto_initial_us = 200 * ms;
  p.rto_backoff = 2;
  p.rto_max_us = 120 * s;
  // Not yet measured on a running kernel (the Linux validation issue will):
  // RTO estimation per RFC 6298 with TCP_RTO_MIN as its floor
  // (tcp_set_rto()), the tail loss probe (tcp_schedule_loss_probe(),
  // net.ipv4.tcp_early_retrans=3) and the time-counted retry budget
  // (retransmits_timed_out()) are what the source does; they stay off here
  // until `probe --impl linux` confirms them.
  p.rto_min_us = 200 * ms;
  // net/ipv4/tcp_timer.c tcp_orphan_retries(): the default
  // tcp_orphan_retries=0 becomes "retries = 8" for a socket that sent
  // something recently ("8 corresponds to >100 seconds with minimal RTO").
  p.retries = 8;
  // include/net/tcp.h TCP_ATO_MIN (HZ/25): a FIN received in ESTABLISHED is
  // acknowledged by the delayed-ACK timer (tcp_fin -> inet_csk_schedule_ack).
  // Measured on 6.18 (probe --impl linux): 41 ms after data.
  p.delayed_ack_us = 40 * ms;
  // Measured: on a connection that has received no data the ACK of a FIN
  // leaves 6 ms after it (two jiffies at HZ=250), not 40 ms: the header's
  // TCP_ATO_MIN is not what the running kernel waits then.
  p.delayed_ack_first_us = 6 * ms;
  // net/ipv4/tcp_output.c tcp_nagle_check(): Nagle is on unless TCP_NODELAY;
  // tcp_send_fin(): "tack on the FIN if we have one skb in write queue and
  // this skb was not yet sent". 1460: the MSS of a 1500-byte MTU.
  p.nagle = true;
  p.mss_bytes = 1460;
  // include/net/tcp.h: "#define TCP_FIN_TIMEOUT TCP_TIMEWAIT_LEN", the
  // default of net.ipv4.tcp_fin_timeout (Documentation/networking/ip-sysctl.rst).
  p.fin_wait_2_timeout_us = 60 * s;
  // ip-sysctl.rst: tcp_rfc1337 "Default: 0"; net/ipv4/tcp_minisocks.c
  // tcp_timewait_state_process() kills the TIME-WAIT socket on RST unless set.
  p.rfc1337 = false;
  // ip-sysctl.rst tcp_invalid_ratelimit, "Default: 500 (milliseconds)":
  // duplicate ACKs for out-of-window sequence or acknowledgment numbers.
  p.oow_ack_interval_us = 500 * ms;
  // kernel/time/timer.c: timers count in jiffies (CONFIG_HZ; 10 ms at the
  // coarsest, 100), and the wheel rounds a timeout up to the granularity of
  // its level, at most an eighth of it ("Level Offset Granularity Range").
  // Measured: TIME-WAIT ended 1.6 s after its 60 s (HZ=250, level 3: 2.048 s).
  p.timer_granularity_us = 10 * ms;
  // net/ipv4/tcp_input.c tcp_sequence(): "!before(end_seq, tp->rcv_wup)"
  // takes a segment that ends at RCV.NXT -- a retransmitted FIN -- as in the
  // window, and processes its ACK (measured: CLOSING to TIME-WAIT on it).
  p.ack_of_unacceptable = true;
  p.timer_slack_divisor = 8;
  // net/ipv4/tcp_minisocks.c tcp_time_wait() hands TIME-WAIT to a timewait
  // socket and tcp_done()s the application's: close() with SO_LINGER 0 in
  // TIME-WAIT resets nothing (measured: TIME-WAIT ran its 60 s on).
  p.abort_keeps_time_wait = true;
  // Found by validate --impl linux on generated cases, each read in the
  // source: net/ipv4/tcp_input.c tcp_reset_check() ("seq == rcv_nxt - 1"
  // in CLOSE_WAIT, LAST_ACK, CLOSING); tcp_rcv_state_process(), FIN_WAIT1/2
  // ("after(TCP_SKB_CB(skb)->end_seq - th->fin, tp->rcv_nxt)") and CLOSING,
  // LAST_ACK ("if (tp->snd_una == tp->write_seq) { ... goto discard; }");
  // net/ipv4/tcp_minisocks.c tcp_timewait_state_process() ("if (paws_reject
  // || th->ack) inet_twsk_reschedule(tw, TCP_TIMEWAIT_LEN)").
  p.rst_at_peer_fin = true;
  p.orphan_rst_on_gap = true;
  p.fin_again_closes_silently = true;
  p.time_wait_restarts_on_ack = true;
  // tcp_close() hands an orphan's FIN-WAIT-2 to a timewait socket
  // (tcp_time_wait(sk, TCP_FIN_WAIT2, tmo)); tcp_timewait_state_process()
  // then kills it on any RST in its window.
  p.orphan_fin_wait_2_any_rst = true;
  // net/ipv4/tcp.c tcp_close(): "} else if (data_was_unread) { ...
  // tcp_send_active_reset()" whatever the state (found: shutdown(), data
  // arrives unread in FIN-WAIT-1, close() draws RST).
  p.unread_rst_after_shutdown = true;
  return p;
}

Parameters lwip_profile() {
  Parameters p;
  p.profile = "lwip";
  // lwIP 2.1.3 src/include/lwip/priv/tcp_priv.h: "#define TCP_MSL 60000UL";
  // tcp_slowtmr() frees a TIME-WAIT pcb after 2 * TCP_MSL.
  p.msl_us = 60 * s;
  // src/core/tcp.c tcp_alloc(): "pcb->rto = 3000 / TCP_SLOW_INTERVAL" (3 s);
  // tcp_slowtmr() shifts it by tcp_backoff[] = {1,2,3,4,5,6,7,7,...}: doubling
  // up to 2^7 times the base.
  p.rto_initial_us = 3 * s;
  p.rto_backoff = 2;
  p.rto_max_us = 3 * s * 128;
  // src/core/tcp_in.c tcp_receive(): Jacobson's estimator in slow ticks
  // ("pcb->rto = (s16_t)((pcb->sa >> 3) + pcb->sv)"), no floor but a tick.
  // Off: the model keeps the fixed 3 s and the shadow bounds lwIP's timing
  // by RTO max (docs/decisions.md).
  p.rto_min_us = 500 * ms;
  // src/include/lwip/opt.h: "#define TCP_MAXRTX 12".
  p.retries = 12;
  // src/core/tcp.c tcp_slowtmr(): "} else if (pcb->nrtx >= TCP_MAXRTX) {
  // ++pcb_remove;" is tested on every slow tick before the retransmission
  // timer: the pcb goes at the first tick after its 12th retransmission,
  // TCP_SLOW_INTERVAL (500 ms) later at most, not after that
  // retransmission's timeout.
  p.last_retransmission_wait_us = 500 * ms;
  // src/core/tcp_in.c tcp_process(), ESTABLISHED: a FIN is answered with
  // tcp_ack_now(): no delayed ACK.
  p.delayed_ack_us = 0;
  p.delayed_ack_first_us = 0;
  // src/core/tcp_out.c tcp_output(): "if (... tcp_do_output_nagle(pcb) ==
  // 0 ...)" holds a short segment while data is unacknowledged; tcp_send_fin()
  // "first, try to add the fin to the last unsent segment". The adapter's
  // handshake offers an MSS of 1460.
  p.nagle = true;
  p.mss_bytes = 1460;
  // src/include/lwip/priv/tcp_priv.h: "#define TCP_FIN_WAIT_TIMEOUT 20000".
  p.fin_wait_2_timeout_us = 20 * s;
  // src/core/tcp.c tcp_slowtmr(): "Check if this PCB has stayed too long in
  // LAST-ACK": tcp_ticks - pcb->tmr > 2 * TCP_MSL / TCP_SLOW_INTERVAL, with
  // pcb->tmr the last segment's tick (frozen by tcp_close()). Measured by
  // probe; found by sweep --impl lwip --as both at 20 % loss.
  p.last_ack_timeout_us = 2 * p.msl_us;
  // src/core/tcp_in.c tcp_timewait_input(): "if (flags & TCP_RST) { return; }"
  // -- lwIP ignores RST in TIME-WAIT.
  p.rfc1337 = true;
  // src/core/tcp_in.c tcp_receive(): "if (flags & TCP_ACK) {" processes the
  // ACK first, for every segment; only the text is held to the window
  // ("if (tcplen > 0) ..."). A retransmitted FIN that acknowledges our FIN
  // moves CLOSING to TIME-WAIT and LAST-ACK to CLOSED (tcp_process()).
  p.ack_of_unacceptable = true;
  // src/core/tcp_in.c tcp_input(): "received data although already closed
  // -> abort (send RST) to notify the remote host" calls tcp_abort(), whose
  // tcp_rst() carries pcb->snd_nxt.
  p.orphan_rst_at_snd_nxt = true;
  // src/core/tcp.c tcp_abandon(): every state but TIME-WAIT (and the
  // handshake's) sends tcp_rst() on tcp_abort(), CLOSING and LAST-ACK too.
  p.abort_rst_in_closing = true;
  // ... but tcp_process() has already taken the FIN: in FIN-WAIT-2 (or
  // FIN-WAIT-1 with our FIN acknowledged) the pcb is in TIME-WAIT, and
  // tcp_abandon() frees a TIME-WAIT pcb without tcp_rst(). Found by
  // `validate --impl lwip` (a FIN behind lost data, the data retransmitted).
  p.orphan_data_with_fin_silent = true;
  // src/core/tcp_in.c tcp_process(): "Update the PCB (in)activity timer
  // unless rx is closed (see tcp_shutdown)" -- after tcp_close() pcb->tmr
  // stays where the last segment before it put it, and tcp_slowtmr() counts
  // FIN-WAIT-2 and TIME-WAIT from pcb->tmr. Found by `validate --impl lwip`:
  // TIME-WAIT entered from CLOSING ended 0.5 s before 2*MSL.
  p.orphan_timers_frozen = true;
  // lwIP 2.1.3 has no rate limit on these ACKs (tcp_receive, tcp_process).
  p.oow_ack_interval_us = 0;
  // src/include/lwip/priv/tcp_priv.h: "#define TCP_SLOW_INTERVAL
  // (2*TCP_TMR_INTERVAL)", 500 ms; tcp_slowtmr() counts TIME-WAIT, RTO and
  // FIN-WAIT-2 in these ticks and ends TIME-WAIT when "(u32_t)(tcp_ticks -
  // pcb->tmr) > 2 * TCP_MSL / TCP_SLOW_INTERVAL": one tick late for the '>',
  // up to one more for where between ticks the timer was set. Measured by
  // `fincheck validate --impl lwip`: up to 0.52 s late.
  p.timer_granularity_us = 2 * 500 * ms;
  return p;
}

std::int64_t retry_budget_us(const Parameters& p) {
  // linear_backoff_thresh = ilog2(TCP_RTO_MAX / rto_base); below it the
  // timeout is ((2 << boundary) - 1) * rto_base, above it each further
  // retransmission adds TCP_RTO_MAX.
  const std::int64_t base = p.rto_min_us > 0 ? p.rto_min_us : 1;
  std::uint32_t thresh = 0;
  while (thresh < 40 && (base << (thresh + 1)) <= p.rto_max_us) ++thresh;
  const std::uint32_t n = p.retries;
  if (n <= thresh) return ((std::int64_t{2} << n) - 1) * base;
  return ((std::int64_t{2} << thresh) - 1) * base + (n - thresh) * p.rto_max_us;
}

std::uint32_t retransmissions_allowed(const Parameters& p) {
  if (!p.retries_by_time) return p.retries;
  // Linux retransmits_timed_out() returns false before the first
  // retransmission ("if (!icsk->icsk_retransmits) return false"), and counts
  // from the original send of the segment it retransmitted (retrans_stamp).
  // How many more fit depends on when the first one went: each ACK of other
  // data restarts the timer (RFC 6298 §5.3). One is all that is certain.
  return 1;
}

std::optional<Parameters> profile_named(std::string_view name) {
  if (name == "rfc9293") return rfc9293_profile();
  if (name == "linux") return linux_profile();
  if (name == "lwip") return lwip_profile();
  return std::nullopt;
}

const std::vector<std::string_view>& profile_names() {
  static const std::vector<std::string_view> names{"rfc9293", "linux", "lwip"};
  return names;
}

}  // namespace fincheck::model
