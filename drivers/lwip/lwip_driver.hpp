#pragma once
// lwIP 2.1.3 behind the seam (drivers/driver.hpp). It plays one side; the
// other is the reference endpoint or, in the same lwIP (lwip_stack.hpp),
// another LwipDriver.
//
// The connection is opened for real by lwIP's own handshake with a scripted
// peer when the driver is made (virtual time 0, or the reopen). lwIP picks
// its ISN itself (iss()); the seam translates.
//
// Application calls map to the raw API: close is tcp_close() (the pcb is
// orphaned: TF_RXCLOSED), shutdown is tcp_shutdown(pcb, 0, 1) (it still
// reads), abort is tcp_abort() (RST), send is tcp_write + tcp_output.
// Segments cross as real IPv4 + TCP bytes through a netif; tcp_tmr() runs
// every TCP_TMR_INTERVAL (250 ms) of virtual time.
#include <cstdint>
#include <optional>
#include <vector>

#include "drivers/driver.hpp"

struct tcp_pcb;
struct netif;

namespace fincheck::lwip {

class Stack;

class LwipDriver final : public StackDriver {
 public:
  explicit LwipDriver(const DriverSetup& setup);
  ~LwipDriver() override;

  Seq iss() const override { return Seq(lwip_iss_); }
  void deliver(std::int64_t now_us, std::span<const std::uint8_t> packet) override;
  void call(std::int64_t now_us, AppOp call, std::uint32_t segments) override;
  std::optional<std::int64_t> next_deadline() const override;
  void advance(std::int64_t now_us) override;
  std::optional<model::State> state() const override;
  std::optional<SeqView> seq_view() const override;

  // Called by the Stack: whether a pending timer of lwIP's needs tcp_tmr()
  // (retransmission, delayed ACK, FIN, TIME-WAIT); after each tick.
  bool waits_on_ticks() const;
  void ticked();

  // Called by lwIP, through the netif and pcb callbacks.
  void output(const std::vector<std::uint8_t>& bytes);
  void on_eof();
  bool on_data(std::uint32_t bytes);  // false: the application does not read it
  void on_error(int err);
  void on_connected(tcp_pcb* pcb);

 private:
  void handshake();
  // Whether the application may make the call now (call_allowed());
  // reports a refusal.
  bool app_call(AppOp op);
  void send(std::uint32_t segments);
  bool busy() const;  // a timer of lwIP's waits: retransmission, delayed ACK, FIN
  // The limit of the idle timer that runs (TIME-WAIT, an orphan's
  // FIN-WAIT-2), in slow ticks; 0: none.
  std::uint32_t idle_timeout_ticks() const;
  bool alive() const;

  Side side_;
  Seq irs_;  // the peer's
  bool reads_ = true;
  Observer& observer_;
  std::uint32_t lwip_iss_ = 0;
  Stack& stack_;
  netif* netif_;  // the side's, owned by the Stack
  tcp_pcb* pcb_ = nullptr;
  tcp_pcb* listener_ = nullptr;
  std::vector<std::vector<std::uint8_t>> handshake_out_;
  bool handshaking_ = true;
  bool detached_ = false;    // being destroyed: lwIP's last words go nowhere
  bool shut_wr_ = false;     // shutdown() or close() was called
  bool fd_closed_ = false;   // close() or abort() was called
  bool aborting_ = false;    // inside tcp_abort()
  bool delivering_ = false;  // inside deliver(): lwIP answers a segment
  bool gone_ = false;        // lwIP freed the pcb (reset, abort, TIME-WAIT over)
};

// Builds lwIP drivers.
DriverFactory factory();

}  // namespace fincheck::lwip
