#include "drivers/lwip/lwip_stack.hpp"

#include <elf.h>
#include <link.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string_view>

#include "drivers/lwip/lwip_address.hpp"
#include "drivers/lwip/lwip_driver.hpp"

extern "C" {
#include "lwip/init.h"
#include "lwip/ip4.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/tcp.h"
#include "lwip/timeouts.h"
}

// lwIP's own timer list (timeouts.c) runs on sys_now(), the wall clock, and
// its nodes live on the heap, out of reach of reset(): every pcb that became
// active appended one more node, forever, and walking that list took three
// quarters of a validated run. fincheck drives tcp_tmr() itself from the
// virtual clock, so it takes over sys_timeout and schedules nothing. The
// library calls it through its PLT, so this definition is the one it gets.
extern "C" void sys_timeout(u32_t, sys_timeout_handler, void*) {}

namespace fincheck::lwip {

namespace {

// The writable, non-RELRO memory of liblwip.so: its .data and .bss.
int find_regions(dl_phdr_info* info, std::size_t, void* out) {
  if (std::string_view(info->dlpi_name).find("liblwip") == std::string_view::npos) return 0;
  auto& regions = *static_cast<std::vector<std::pair<std::uintptr_t, std::uintptr_t>>*>(out);
  std::uintptr_t relro_begin = 0, relro_end = 0;
  for (int i = 0; i < info->dlpi_phnum; ++i)
    if (info->dlpi_phdr[i].p_type == PT_GNU_RELRO) {
      relro_begin = info->dlpi_addr + info->dlpi_phdr[i].p_vaddr;
      relro_end = relro_begin + info->dlpi_phdr[i].p_memsz;
    }
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const auto& ph = info->dlpi_phdr[i];
    if (ph.p_type != PT_LOAD || !(ph.p_flags & PF_W)) continue;
    std::uintptr_t begin = info->dlpi_addr + ph.p_vaddr;
    const std::uintptr_t end = begin + ph.p_memsz;
    if (begin < relro_end && relro_begin < end) begin = std::max(begin, relro_end);
    if (begin < end) regions.emplace_back(begin, end);
  }
  return 1;
}

constexpr std::int64_t tick_us = TCP_TMR_INTERVAL * 1'000LL;

constexpr std::size_t idx(Side s) { return static_cast<std::size_t>(s); }

Side side_of(const netif* n) {
  return ip4_addr_get_u32(netif_ip4_addr(n)) == lwip_htonl(wire_address(Side::A).ip) ? Side::A
                                                                                     : Side::B;
}

void free_all(tcp_pcb* list) {
  while (list) {
    tcp_pcb* next = list->next;
    tcp_abandon(list, 0);
    list = next;
  }
}

}  // namespace

struct NetifOutput {
  static err_t output(netif* n, pbuf* p, const ip4_addr_t*) {
    std::vector<std::uint8_t> bytes(p->tot_len);
    pbuf_copy_partial(p, bytes.data(), p->tot_len, 0);
    Stack::instance().output(side_of(n), bytes);
    return ERR_OK;
  }
};

namespace {

err_t netif_setup(netif* n) {
  n->output = NetifOutput::output;
  n->mtu = 1500;
  n->flags = NETIF_FLAG_UP | NETIF_FLAG_LINK_UP;
  return ERR_OK;
}

}  // namespace

Stack& Stack::instance() {
  static Stack stack;
  return stack;
}

Stack::Stack() : netifs_{std::make_unique<netif>(), std::make_unique<netif>()} {
  lwip_init();
  std::vector<std::pair<std::uintptr_t, std::uintptr_t>> ranges;
  dl_iterate_phdr(find_regions, &ranges);
  if (ranges.empty()) throw std::runtime_error("liblwip.so is not loaded in this process");
  for (const auto& [begin, end] : ranges) {
    auto* at = reinterpret_cast<std::byte*>(begin);
    regions_.push_back({at, std::vector<std::byte>(at, at + (end - begin))});
  }
  // The globals this adapter reads must be the library's own, or reset()
  // would leave them as the last run left them (CMakeLists.txt says why).
  for (const void* global :
       {static_cast<const void*>(&tcp_ticks), static_cast<const void*>(&tcp_active_pcbs),
        static_cast<const void*>(&tcp_tw_pcbs), static_cast<const void*>(&tcp_bound_pcbs),
        static_cast<const void*>(&tcp_listen_pcbs)})
    if (std::none_of(regions_.begin(), regions_.end(), [&](const Region& r) {
          const auto* p = static_cast<const std::byte*>(global);
          return p >= r.at && p < r.at + r.image.size();
        }))
      throw std::logic_error(
          "lwIP's globals live outside liblwip.so (copy relocations): "
          "compile the lwIP adapter as position-independent code");
}

Stack::~Stack() = default;

netif* Stack::join(const void* run, Side side, LwipDriver* endpoint) {
  const bool empty = !endpoints_[0] && !endpoints_[1];
  if (!empty && run != run_)
    throw std::logic_error("lwIP already plays in another run: one run at a time");
  if (empty) {
    reset();
    run_ = run;
  }
  const std::size_t i = idx(side);
  endpoints_[i] = endpoint;
  netif* n = netifs_[i].get();
  if (!netif_added_[i]) {
    const ip4_addr_t ip = address_of(side);
    ip4_addr_t mask, gw;
    IP4_ADDR(&mask, 255, 254, 0, 0);
    IP4_ADDR(&gw, 0, 0, 0, 0);
    netif_add(n, &ip, &mask, &gw, nullptr, netif_setup, ip4_input);
    netif_set_up(n);
    netif_set_link_up(n);
    netif_added_[i] = true;
  }
  return n;
}

void Stack::leave(Side side, const LwipDriver* endpoint) {
  if (endpoints_[idx(side)] == endpoint) endpoints_[idx(side)] = nullptr;
}

void Stack::reset() {
  // Free what malloc holds (MEM_LIBC_MALLOC) before the lists are forgotten.
  free_all(tcp_active_pcbs);
  free_all(tcp_tw_pcbs);
  for (tcp_pcb_listen* l = tcp_listen_pcbs.listen_pcbs; l;) {
    tcp_pcb_listen* next = l->next;
    tcp_close(reinterpret_cast<tcp_pcb*>(l));
    l = next;
  }
  free_all(tcp_bound_pcbs);
  // The netif list goes with the rest of lwIP's memory.
  for (Region& r : regions_) std::memcpy(r.at, r.image.data(), r.image.size());
  netif_added_ = {};
  now_us_ = 0;
  next_tick_us_ = 0;
}

void Stack::input(Side side, const std::vector<std::uint8_t>& bytes) {
  pbuf* p = pbuf_alloc(PBUF_RAW, static_cast<u16_t>(bytes.size()), PBUF_RAM);
  pbuf_take(p, bytes.data(), static_cast<u16_t>(bytes.size()));
  // The RST lwIP sends for a segment no pcb owns (tcp_input(), tcp_in.c)
  // has no pcb whose netif it could leave by: ip4_route() takes the first
  // netif that is up and whose network holds the destination. That is the
  // peer's own netif, through which ip4_output_if() would loop the RST back
  // into lwIP (LWIP_NETIF_LOOPBACK) instead of sending it. While a side's
  // input runs, the peer's netif is down; pcbs are bound to their netif
  // (tcp_bind_netif) and route by it at any other time.
  netif& peer = *netifs_[idx(peer_of(side))];
  const u8_t flags = peer.flags;
  peer.flags = static_cast<u8_t>(peer.flags & ~NETIF_FLAG_UP);
  netif* n = netifs_[idx(side)].get();
  n->input(p, n);
  peer.flags = flags;
}

void Stack::output(Side from, const std::vector<std::uint8_t>& bytes) {
  // A side whose endpoint is gone (a run being torn down) sends nowhere.
  if (LwipDriver* e = endpoints_[idx(from)]) e->output(bytes);
}

std::int64_t Stack::next_tick_us() const {
  return next_tick_us_ > now_us_ ? next_tick_us_ : (now_us_ / tick_us + 1) * tick_us;
}

void Stack::run_ticks_until(std::int64_t until_us) {
  auto waited_on = [&] {
    return std::any_of(endpoints_.begin(), endpoints_.end(),
                       [](const LwipDriver* e) { return e && e->waits_on_ticks(); });
  };
  for (;;) {
    const std::int64_t next = next_tick_us();
    if (next > until_us) break;
    if (const std::int64_t pairs = ((until_us - next) / tick_us + 1) / 2;
        pairs > 0 && !waited_on()) {
      // Nothing waits on a tick: skip them, but keep lwIP's clock
      // (tcp_ticks, one per slow tick) in step with virtual time, since
      // pcb->tmr is compared with it -- and after tcp_close() lwIP stops
      // refreshing pcb->tmr (tcp_process(), TF_RXCLOSED). Ticks are
      // skipped in pairs, so that the fast/slow phase (tcp_tmr()'s own
      // static counter) is kept; a last odd tick runs.
      tcp_ticks += static_cast<u32_t>(pairs);
      next_tick_us_ = next + pairs * 2 * tick_us;
      now_us_ = next_tick_us_ - tick_us;
      continue;
    }
    now_us_ = next;
    tcp_tmr();
    next_tick_us_ = next + tick_us;
    for (LwipDriver* e : endpoints_)
      if (e) e->ticked();
  }
  now_us_ = std::max(now_us_, until_us);
}

}  // namespace fincheck::lwip
