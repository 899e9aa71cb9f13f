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
// (a static in tcp_next_iss). reset() brings every one of them back to the
// moment after lwip_init(), by restoring a copy of the library's writable
// memory, so that runs are independent and the same scenario gives the same
// trace twice.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace fincheck::lwip {

class Stack {
 public:
  static Stack& instance();
  // Frees every pcb, then restores lwIP's globals as lwip_init() left them.
  void reset();

 private:
  Stack();
  struct Region {
    std::byte* at;
    std::vector<std::byte> image;
  };
  std::vector<Region> regions_;
};

}  // namespace fincheck::lwip
