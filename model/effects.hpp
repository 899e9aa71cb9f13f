#pragma once
// What the table's actions may ask of the endpoint that runs it. The model
// knows nothing of sequence numbers, clocks or wires; the endpoint does.
#include <cstdint>

namespace fincheck::model {

class Effects {
 public:
  virtual ~Effects() = default;

  // Queue our FIN after any unsent data and send it; start the retransmission
  // timer if it is not running (RFC 6298 §5.1).
  virtual void send_fin() = 0;
  // Send <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> now.
  virtual void send_ack() = 0;
  // Acknowledge later (RFC 9293 §3.8.6.3, under 0.5 s), so that a segment the
  // application sends meanwhile carries the ACK; now when the profile has no
  // delayed ACK.
  virtual void schedule_ack() = 0;
  // The application's next read returns end of file.
  virtual void deliver_eof() = 0;
  // Retransmit the oldest unacknowledged segment and double the timeout
  // (RFC 6298 §5.4, §5.5).
  virtual void retransmit() = 0;
  virtual void stop_rto() = 0;
  // RFC 8985 §7.3: retransmit the last segment sent as a probe; no backoff.
  virtual void send_probe() = 0;
  // The application has called close(): from now on nothing reads.
  virtual void orphan() = 0;
  // Set the TIME-WAIT deadline to now + its length; a second call restarts it.
  virtual void start_time_wait() = 0;
  virtual void start_fin_wait_2_timer() = 0;
  virtual void stop_fin_wait_2_timer() = 0;
  // The idle LAST-ACK timer, if the parameters have one.
  virtual void start_last_ack_timer() = 0;
  // The application learns "connection reset by peer" (ECONNRESET).
  virtual void report_reset() = 0;
  // The retry budget is spent; the application learns ETIMEDOUT.
  virtual void report_abort() = 0;
  // Send <SEQ=seq><CTL=RST> (RFC 9293 §3.10.7.1).
  virtual void send_rst(std::uint32_t seq) = 0;
  // Send <SEQ=SND.NXT><CTL=RST> (RFC 9293 §3.10.5 ABORT).
  virtual void send_active_rst() = 0;
  // Send <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> in reply to an unacceptable
  // segment; rate_limited: it counts toward RFC 5961 §7's limit.
  virtual void ack_unacceptable(bool rate_limited) = 0;
  // Entering CLOSED: stop every timer, forget the connection.
  virtual void delete_tcb() = 0;
};

}  // namespace fincheck::model
