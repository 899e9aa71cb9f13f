#pragma once
// lwIP 2.1.3 behind the Endpoint interface, so that every scenario,
// generator and invariant runs against it unchanged. It plays one side; the
// other is the reference endpoint or, in the same lwIP (lwip_stack.hpp),
// another LwipEndpoint.
//
// The connection is opened for real by lwIP's own handshake with a scripted
// peer when the endpoint is made (virtual time 0, or the reopen). lwIP picks its ISN itself; the
// adapter shifts lwIP's sequence numbers by a fixed offset so that the run speaks the scenario's
// numbers (isn_a, isn_b) on the wire and in the trace.
//
// Application calls map to the raw API: close is tcp_close() (the pcb is
// orphaned: TF_RXCLOSED), shutdown is tcp_shutdown(pcb, 0, 1) (it still
// reads), abort is tcp_abort() (RST), send is tcp_write + tcp_output. Segments cross as real IPv4 +
// TCP bytes through a netif; tcp_tmr() runs every TCP_TMR_INTERVAL (250 ms)
// of virtual time.
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "impl/endpoint.hpp"
#include "impl/simulation.hpp"
#include "model/events.hpp"

struct tcp_pcb;
struct netif;
struct pbuf;

namespace fincheck::lwip {

class Stack;

class LwipEndpoint final : public Endpoint {
 public:
  explicit LwipEndpoint(const EndpointSetup& setup);
  ~LwipEndpoint() override;

  model::State state() const override;
  void app_close(std::int64_t now_us) override;
  void app_shutdown(std::int64_t now_us) override;
  void app_abort(std::int64_t now_us) override;
  void app_send(std::int64_t now_us, std::uint32_t segments) override;
  bool receive(std::int64_t now_us, const Segment& seg, std::int64_t arrival) override;
  std::optional<std::int64_t> next_deadline() const override;
  void advance(std::int64_t now_us) override;
  bool eof_seen() const override { return eof_seen_; }
  std::optional<SeqView> seq_view() const override;

  // lwIP's own initial sequence number, before the shift.
  std::uint32_t lwip_iss() const { return lwip_iss_; }

  // Called by the Stack: whether a pending timer of lwIP's needs tcp_tmr()
  // (retransmission, delayed ACK, FIN, TIME-WAIT); after each tick.
  bool waits_on_ticks() const;
  void observe(model::Stimulus stimulus);  // records a step if lwIP's state changed

  // Called by lwIP, through the netif and pcb callbacks.
  void output(const std::vector<std::uint8_t>& bytes);
  void on_eof();
  bool on_data(std::uint32_t bytes);  // false: the application does not read it
  void on_error(int err);
  void on_connected(tcp_pcb* pcb);

 private:
  void handshake();
  // Whether the application may make the call now (needs_open: send and
  // shutdown want a connection still open for writing); records a refusal.
  bool app_call(std::int64_t now_us, AppOp op, bool needs_open);
  void inject(const Segment& seg);  // a segment in lwIP's numbering, from the peer
  bool busy() const;                // a timer of lwIP's waits: retransmission, delayed ACK, FIN
  // The limit of the idle timer that runs (TIME-WAIT, an orphan's
  // FIN-WAIT-2), in slow ticks; 0: none.
  std::uint32_t idle_timeout_ticks() const;
  bool alive() const;

  Side side_;
  int conn_;
  model::Parameters params_;
  Trace& trace_;
  Wire& wire_;
  Seq iss_;        // ours, as the scenario numbers it
  Seq irs_;        // the peer's
  Seq next_byte_;  // of the peer's data, the next the application reads
  bool reads_ = true;
  std::uint32_t lwip_iss_ = 0;
  Stack& stack_;
  netif* netif_;  // the side's, owned by the Stack
  tcp_pcb* pcb_ = nullptr;
  tcp_pcb* listener_ = nullptr;
  std::vector<std::vector<std::uint8_t>> handshake_out_;
  bool handshaking_ = true;
  bool detached_ = false;  // being destroyed: lwIP's last words go nowhere
  bool eof_seen_ = false;
  bool shut_wr_ = false;    // shutdown() or close() was called
  bool fd_closed_ = false;  // close() or abort() was called
  bool aborting_ = false;   // inside tcp_abort()
  bool gone_ = false;       // lwIP freed the pcb (reset, abort, TIME-WAIT over)
  model::State last_state_ = model::State::Established;
  std::int64_t arrival_ = -1;
  std::uint16_t ip_id_ = 0;
};

// Builds lwIP endpoints for Simulation::set_factory.
EndpointFactory factory();

}  // namespace fincheck::lwip
