#include "drivers/linux/linux_driver.hpp"

namespace fincheck::kernel {

// Linux 6.1's sources (Debian linux-source-6.1) and its
// Documentation/networking/ip-sysctl.rst. The kernel `probe` measures is the
// running one; where the two differ, the measurement is the profile's
// (README, "Linux against the model").
std::map<std::string, std::string> citations() {
  return {
      {"TIME_WAIT length",
       "include/net/tcp.h TCP_TIMEWAIT_LEN (60*HZ); kernel/time/timer.c rounds it up to its "
       "wheel level's granularity (2.048 s at HZ=250)"},
      {"timer granularity", "kernel/time/timer.c: jiffies (CONFIG_HZ); drivers/linux/timing.hpp"},
      {"TIME_WAIT after a retransmitted FIN",
       "net/ipv4/tcp_minisocks.c tcp_timewait_state_process(): "
       "inet_twsk_reschedule(tw, TCP_TIMEWAIT_LEN) on a FIN"},
      {"initial RTO (FIN)",
       "net/ipv4/tcp_input.c tcp_set_rto(): the RTT sample of the handshake, floored at "
       "TCP_RTO_MIN (HZ/5)"},
      {"RTO gaps (s)",
       "net/ipv4/tcp_timer.c tcp_retransmit_timer(): icsk_rto = min(icsk_rto << 1, TCP_RTO_MAX)"},
      {"retransmissions before abort",
       "net/ipv4/tcp_timer.c tcp_orphan_retries(): tcp_orphan_retries=0 becomes \"retries = 8\""},
      {"wait after the last retransmission",
       "net/ipv4/tcp_timer.c tcp_write_timeout(): the abort comes at the expiry after the "
       "last retransmission"},
      {"delay of the ACK of a FIN",
       "measured (no data received yet); net/ipv4/tcp_output.c tcp_send_delayed_ack() bounds "
       "it by the handshake's RTT"},
      {"delay of the ACK of a FIN after data",
       "include/net/tcp.h TCP_ATO_MIN (HZ/25); net/ipv4/tcp_input.c tcp_fin(): "
       "inet_csk_schedule_ack()"},
      {"segments of a close 0 ms after EOF",
       "net/ipv4/tcp_output.c tcp_send_fin(): the FIN carries the pending ACK"},
      {"RST in TIME_WAIT",
       "net/ipv4/tcp_minisocks.c tcp_timewait_state_process(): \"if "
       "(!...sysctl_tcp_rfc1337) { kill: inet_twsk_deschedule_put(tw)\""},
      {"RST in TIME_WAIT (rfc1337)",
       "net/ipv4/tcp_minisocks.c tcp_timewait_state_process(): RST ignored when tcp_rfc1337=1"},
      {"ACK of a segment outside the window",
       "net/ipv4/tcp_input.c tcp_sequence(): \"!before(end_seq, tp->rcv_wup)\": a FIN "
       "retransmitted up to RCV.NXT is in the window, and its ACK is processed"},
      {"FIN_WAIT_2 timeout",
       "ip-sysctl.rst tcp_fin_timeout \"Default: 60 seconds\"; net/ipv4/tcp.c tcp_close(): "
       "tcp_time_wait(sk, TCP_FIN_WAIT2, tmo)"},
      {"FIN_WAIT_2 timeout after shutdown()",
       "net/ipv4/tcp_input.c tcp_rcv_state_process(), FIN_WAIT1: the timeout only \"if "
       "(!sock_flag(sk, SOCK_DEAD))\" is false"},
      {"data after close()",
       "net/ipv4/tcp_input.c tcp_rcv_state_process(): \"RFC 1122 says we MUST send a reset\" "
       "(tcp_reset); the RST answers the segment: tcp_v4_send_reset() takes SEG.ACK"},
  };
}

}  // namespace fincheck::kernel
