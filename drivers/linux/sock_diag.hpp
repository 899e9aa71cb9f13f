#pragma once
// The kernel's own account of one TCP socket, asked through NETLINK_SOCK_DIAG
// (inet_diag, as `ss` asks): its state -- TIME-WAIT and the orphan's
// FIN-WAIT-2 included, which no descriptor can show -- and its pending timer.
// /proc/net/tcp would tell the same, but only by reading every socket of the
// namespace in text on every question; the exact lookup by 4-tuple
// (net/ipv4/inet_diag.c inet_diag_find_one_icsk()) asks for one.
#include <cstdint>
#include <optional>
#include <string>

struct mnl_socket;

namespace fincheck::kernel {

class Lab;

// net/ipv4/inet_diag.c: idiag_timer 1 retransmission (or loss probe), 2
// keepalive, 3 TIME-WAIT (and the orphan FIN-WAIT-2), 4 zero-window probe.
enum class DiagTimer : std::uint8_t {
  None = 0,
  Retransmit = 1,
  Keepalive = 2,
  TimeWait = 3,
  Probe0 = 4
};

struct DiagSocket {
  std::uint8_t state = 0;  // TCP_ESTABLISHED ... (include/net/tcp_states.h)
  DiagTimer timer = DiagTimer::None;
  std::uint32_t expires_ms = 0;  // until the timer goes off; 0 when due or overdue
  std::uint8_t retransmits = 0;
};

struct FourTuple {
  std::uint32_t local_ip = 0;  // host byte order: the kernel's end
  std::uint16_t local_port = 0;
  std::uint32_t remote_ip = 0;
  std::uint16_t remote_port = 0;
};

class SockDiag {
 public:
  // A netlink socket inside `lab`.
  explicit SockDiag(const Lab& lab);
  ~SockDiag();
  SockDiag(const SockDiag&) = delete;
  SockDiag& operator=(const SockDiag&) = delete;

  // The socket of `tuple`; nullopt when the kernel has none (CLOSED).
  // Throws std::runtime_error when the kernel's answer is not understood.
  std::optional<DiagSocket> find(const FourTuple& tuple);

 private:
  mnl_socket* nl_ = nullptr;
  std::uint32_t port_id_ = 0;
  std::uint32_t seq_ = 0;
};

}  // namespace fincheck::kernel
