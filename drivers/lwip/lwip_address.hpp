#pragma once
// A side's wire address (impl/wire.hpp) as lwIP spells it. Include only
// from the adapter's sources: it brings in lwIP's C headers.
#include "impl/wire.hpp"

extern "C" {
#include "lwip/ip4_addr.h"
}

namespace fincheck::lwip {

inline ip4_addr_t address_of(Side s) {
  ip4_addr_t a;
  ip4_addr_set_u32(&a, lwip_htonl(wire_address(s).ip));
  return a;
}

}  // namespace fincheck::lwip
