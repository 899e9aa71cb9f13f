#include "impl/adapters/lwip/lwip_stack.hpp"

#include <elf.h>
#include <link.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string_view>

extern "C" {
#include "lwip/init.h"
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

void free_all(tcp_pcb* list) {
  while (list) {
    tcp_pcb* next = list->next;
    tcp_abandon(list, 0);
    list = next;
  }
}

}  // namespace

Stack& Stack::instance() {
  static Stack stack;
  return stack;
}

Stack::Stack() {
  lwip_init();
  std::vector<std::pair<std::uintptr_t, std::uintptr_t>> ranges;
  dl_iterate_phdr(find_regions, &ranges);
  if (ranges.empty()) throw std::runtime_error("liblwip.so is not loaded in this process");
  for (const auto& [begin, end] : ranges) {
    auto* at = reinterpret_cast<std::byte*>(begin);
    regions_.push_back({at, std::vector<std::byte>(at, at + (end - begin))});
  }
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
  for (Region& r : regions_) std::memcpy(r.at, r.image.data(), r.image.size());
}

}  // namespace fincheck::lwip
