#include "drivers/linux/sock_diag.hpp"

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "drivers/linux/lab.hpp"

namespace fincheck::kernel {

SockDiag::SockDiag(const Lab& lab) {
  const int fd = lab.socket(AF_NETLINK, SOCK_RAW, NETLINK_SOCK_DIAG);
  if (fd < 0)
    throw LabUnavailable(std::string("cannot open NETLINK_SOCK_DIAG: ") + std::strerror(errno));
  nl_ = mnl_socket_fdopen(fd);
  if (!nl_ || mnl_socket_bind(nl_, 0, MNL_SOCKET_AUTOPID) < 0) {
    if (nl_) mnl_socket_close(nl_);
    throw LabUnavailable("cannot bind NETLINK_SOCK_DIAG");
  }
  port_id_ = mnl_socket_get_portid(nl_);
}

SockDiag::~SockDiag() { mnl_socket_close(nl_); }

std::optional<DiagSocket> SockDiag::find(const FourTuple& t) {
  std::vector<char> buf(MNL_SOCKET_BUFFER_SIZE);
  nlmsghdr* nlh = mnl_nlmsg_put_header(buf.data());
  nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
  // No NLM_F_DUMP: the exact lookup by 4-tuple, TIME-WAIT sockets included.
  nlh->nlmsg_flags = NLM_F_REQUEST;
  nlh->nlmsg_seq = ++seq_;
  auto* req =
      static_cast<inet_diag_req_v2*>(mnl_nlmsg_put_extra_header(nlh, sizeof(inet_diag_req_v2)));
  req->sdiag_family = AF_INET;
  req->sdiag_protocol = IPPROTO_TCP;
  req->idiag_states = ~0U;
  req->id.idiag_sport = htons(t.local_port);
  req->id.idiag_dport = htons(t.remote_port);
  req->id.idiag_src[0] = htonl(t.local_ip);
  req->id.idiag_dst[0] = htonl(t.remote_ip);
  req->id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
  req->id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
  if (mnl_socket_sendto(nl_, nlh, nlh->nlmsg_len) < 0)
    throw std::runtime_error(std::string("sock_diag: send: ") + std::strerror(errno));
  const ssize_t n = mnl_socket_recvfrom(nl_, buf.data(), buf.size());
  if (n < 0) throw std::runtime_error(std::string("sock_diag: receive: ") + std::strerror(errno));
  std::optional<DiagSocket> found;
  int error = 0;
  auto* msg = reinterpret_cast<const nlmsghdr*>(buf.data());
  auto len = static_cast<int>(n);
  for (; mnl_nlmsg_ok(msg, len); msg = mnl_nlmsg_next(msg, &len)) {
    if (msg->nlmsg_seq != seq_) continue;
    if (msg->nlmsg_type == NLMSG_ERROR) {
      const auto* e = static_cast<const nlmsgerr*>(mnl_nlmsg_get_payload(msg));
      error = -e->error;
      continue;
    }
    if (msg->nlmsg_type != SOCK_DIAG_BY_FAMILY ||
        mnl_nlmsg_get_payload_len(msg) < sizeof(inet_diag_msg))
      throw std::runtime_error("sock_diag: an answer of an unknown shape");
    const auto* r = static_cast<const inet_diag_msg*>(mnl_nlmsg_get_payload(msg));
    found = DiagSocket{r->idiag_state, static_cast<DiagTimer>(r->idiag_timer), r->idiag_expires,
                       r->idiag_retrans};
  }
  // ENOENT: no socket of that 4-tuple (inet_diag_find_one_icsk()).
  if (!found && error != 0 && error != ENOENT)
    throw std::runtime_error(std::string("sock_diag: ") + std::strerror(error));
  return found;
}

}  // namespace fincheck::kernel
