#pragma once
// The one lwIP of this process, driven in-process and single-threaded.
//
// Debian's liblwip (2.1.3) is the GNU Hurd build: NO_SYS=0 with the unix
// port's pthread sys_arch, MEM_LIBC_MALLOC (pcbs and pbufs come from malloc)
// and LWIP_NETIF_LOOPBACK. NO_SYS=0 asks for the tcpip thread, but the raw
// TCP API works without it: lwip_init() sets up the core, and
// sys_check_core_locking() asserts nothing while no tcpip thread has been
// marked (lwIP's contrib/ports/unix/port/sys_arch.c). So fincheck never calls
// tcpip_init(), owns the only thread that touches lwIP, and drives TCP's
// clock itself with tcp_tmr() every TCP_TMR_INTERVAL of virtual time;
// sys_now() (wall time) feeds only sys_timeouts, which nothing here runs.
//
// lwIP keeps its state in globals -- pcb lists, tcp_ticks, the ISN counter
// (a static in tcp_next_iss), the netif list. The first endpoint of a run
// finds them as lwip_init() left them, by a restored copy of the library's
// writable memory, so that runs are independent and the same scenario gives
// the same trace twice. Both sides of one run share the stack: each has its
// own netif (198.18.0.1 for a, 198.18.0.2 for b), and one tcp_tmr() ticks
// both, as it would on a device with two interfaces.
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "impl/segment.hpp"

struct netif;

namespace fincheck::lwip {

class LwipDriver;

class Stack {
 public:
  static Stack& instance();
  ~Stack();

  // `endpoint` plays `side` in the run whose network is `run`. The first to
  // join a run resets lwIP; a second run joining while the first still has
  // an endpoint is refused (std::logic_error): there is one lwIP. A
  // reopened connection's endpoint replaces the old one of its side.
  // Returns the side's netif.
  netif* join(const void* run, Side side, LwipDriver* endpoint);
  void leave(Side side, const LwipDriver* endpoint);

  // A packet from the peer of `side` enters through side's netif.
  void input(Side side, const std::vector<std::uint8_t>& bytes);

  // lwIP's clock, in virtual microseconds: the last tick run or instant
  // reached.
  std::int64_t now_us() const { return now_us_; }
  // When the next tcp_tmr() falls: on multiples of TCP_TMR_INTERVAL.
  std::int64_t next_tick_us() const;
  // Every tick due by `until_us` that a joined endpoint waits on, each at its
  // own time, each followed by every endpoint observing its state.
  void run_ticks_until(std::int64_t until_us);

 private:
  Stack();
  void reset();  // frees every pcb, restores lwIP's globals
  void output(Side from, const std::vector<std::uint8_t>& bytes);
  friend struct NetifOutput;

  struct Region {
    std::byte* at;
    std::vector<std::byte> image;
  };
  std::vector<Region> regions_;
  std::array<std::unique_ptr<netif>, 2> netifs_;
  std::array<LwipDriver*, 2> endpoints_{};
  std::array<bool, 2> netif_added_{};
  const void* run_ = nullptr;
  std::int64_t now_us_ = 0;
  std::int64_t next_tick_us_ = 0;
};

}  // namespace fincheck::lwip
