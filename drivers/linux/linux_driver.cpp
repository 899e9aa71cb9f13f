#include "drivers/linux/linux_driver.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>
#include <utility>

#include "drivers/linux/sock_diag.hpp"
#include "drivers/linux/timing.hpp"
#include "impl/duration.hpp"
#include "impl/reference_endpoint.hpp"
#include "impl/wire.hpp"

namespace fincheck::kernel {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::microseconds;

std::string ms_text(std::int64_t us) { return format_duration(us); }

// include/net/tcp_states.h, as glibc's netinet/tcp.h spells it.
std::optional<model::State> state_of(std::uint8_t s) {
  switch (s) {
    case TCP_ESTABLISHED:
      return model::State::Established;
    case TCP_FIN_WAIT1:
      return model::State::FinWait1;
    case TCP_FIN_WAIT2:
      return model::State::FinWait2;
    case TCP_TIME_WAIT:
      return model::State::TimeWait;
    case TCP_CLOSE:
      return model::State::Closed;
    case TCP_CLOSE_WAIT:
      return model::State::CloseWait;
    case TCP_LAST_ACK:
      return model::State::LastAck;
    case TCP_CLOSING:
      return model::State::Closing;
    default:
      return std::nullopt;  // the handshake's states, or LISTEN
  }
}

class LinuxDriver final : public StackDriver {
 public:
  LinuxDriver(const DriverSetup& setup, std::shared_ptr<Lab> lab)
      : lab_(std::move(lab)),
        slot_(lab_->acquire()),
        diag_(*lab_),
        side_(setup.side),
        observer_(*setup.observer),
        reads_(setup.reads),
        irs_(setup.irs),
        iss_(setup.iss),
        start_us_(setup.start_us),
        last_activity_us_(setup.start_us) {
    // A fresh 4-tuple for every connection the slot carries: an earlier
    // one's TIME-WAIT or orphan may still be there.
    const std::uint32_t use = slot_.uses++;
    tuple_ = {slot_.kernel_ip, static_cast<std::uint16_t>(1024 + use % 30'000), slot_.model_ip,
              static_cast<std::uint16_t>(33'000 + use % 30'000)};
    base_ = Clock::now();
    handshake();
  }

  ~LinuxDriver() override {
    // A socket the run left open is reset, so that it sends nothing into
    // the slot's next connection.
    if (fd_ >= 0) abort_socket();
    lab_->release(slot_);
  }

  Seq iss() const override { return iss_; }

  void deliver(std::int64_t now_us, std::span<const std::uint8_t> packet) override {
    if (!begin(now_us)) return;
    const auto decoded = decode(packet);
    if (const auto* e = std::get_if<DecodeError>(&decoded))
      return fail(now_us, "was handed a malformed packet: " + e->message);
    WireSegment w = std::get<WireSegment>(decoded);
    w.src_ip = tuple_.remote_ip;
    w.src_port = tuple_.remote_port;
    w.dst_ip = tuple_.local_ip;
    w.dst_port = tuple_.local_port;
    write_packet(now_us, w);
    settle(now_us);
  }

  void call(std::int64_t now_us, AppOp op, std::uint32_t segments) override {
    if (!begin(now_us)) return;
    const model::State s = state_.value_or(model::State::Closed);
    if (!call_allowed(s, fd_ < 0, shut_wr_, op)) {
      observer_.app_event(now_us, AppOp::Refused, 0,
                          std::string(to_string(op)) + " in " + std::string(model::to_string(s)));
      return;
    }
    switch (op) {
      case AppOp::Close:
        ::close(std::exchange(fd_, -1));  // an orphan from now on
        break;
      case AppOp::Abort:
        abort_socket();
        break;
      case AppOp::Shutdown:
        shut_wr_ = true;
        if (::shutdown(fd_, SHUT_WR) != 0) refuse(now_us, "shutdown");
        break;
      default:
        send(now_us, segments);
    }
    settle(now_us);
  }

  std::optional<std::int64_t> next_deadline() const override {
    if (failed_) return std::nullopt;
    std::optional<std::int64_t> next = timer_deadline_;
    // A delayed ACK's timer is not one inet_diag shows: watch a while
    // after the last thing the socket did.
    const std::int64_t quiet = last_activity_us_ + timing::quiet_us;
    if (quiet > checked_us_ && (!next || quiet < *next)) next = quiet;
    return next;
  }

  void advance(std::int64_t now_us) override {
    if (begin(now_us)) settle(now_us);
  }

  std::int64_t wait_until(std::int64_t until_us) override {
    if (failed_) return until_us;
    pollfd p{slot_.tun_fd, POLLIN, 0};
    for (;;) {
      const auto left = wall(until_us) - Clock::now();
      if (left <= Clock::duration::zero()) return until_us;
      // At most a second at a time: the kernel lets a poll's timeout run
      // late by 0.1 % of its length (fs/select.c select_estimate_accuracy()),
      // 60 ms on a TIME-WAIT.
      const auto ns = std::min<std::int64_t>(
          std::chrono::duration_cast<std::chrono::nanoseconds>(left).count(), 1'000'000'000);
      const timespec ts{static_cast<time_t>(ns / 1'000'000'000),
                        static_cast<long>(ns % 1'000'000'000)};
      const int r = ::ppoll(&p, 1, &ts, nullptr);
      if (r > 0) return std::min(until_us, virtual_now());
      if (r == 0) continue;
      if (errno != EINTR) {
        fail(virtual_now(), std::string("cannot wait on the TUN device: ") + std::strerror(errno));
        return until_us;
      }
    }
  }

  std::optional<model::State> state() const override { return state_; }

 private:
  std::int64_t virtual_now() const {
    return start_us_ + std::chrono::duration_cast<microseconds>(Clock::now() - base_).count();
  }
  Clock::time_point wall(std::int64_t us) const { return base_ + microseconds(us - start_us_); }

  // Every stimulus at `now_us` happens at that moment of real time: waits
  // for it if it is ahead, and gives up the run if the lab is behind it by
  // more than it may be (timing.hpp).
  bool begin(std::int64_t now_us) {
    if (failed_) return false;
    std::this_thread::sleep_until(wall(now_us));
    const std::int64_t late = virtual_now() - now_us;
    if (late > timing::scheduling_us) {
      fail(now_us, "could not keep up: fincheck acted " + ms_text(late) +
                       " after the moment it stood for (it may be " +
                       ms_text(timing::scheduling_us) +
                       "); the run says nothing about the kernel. Fewer --threads, or a less "
                       "loaded machine");
      return false;
    }
    return true;
  }

  void handshake() {
    drain_stale();
    const int listener = lab_->socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (listener < 0) return fail(start_us_, std::string("socket(): ") + std::strerror(errno));
    const int one = 1;
    ::setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in local{};
    local.sin_family = AF_INET;
    local.sin_port = htons(tuple_.local_port);
    local.sin_addr.s_addr = htonl(tuple_.local_ip);
    if (::bind(listener, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0 ||
        ::listen(listener, 1) != 0) {
      fail(start_us_, std::string("bind()/listen(): ") + std::strerror(errno));
      ::close(listener);
      return;
    }
    // RFC 9293 §3.5: SYN with the peer's ISS, SYN-ACK with the kernel's, ACK.
    WireSegment syn = from_model(tcp_flag::syn, irs_.raw(), 0);
    syn.options.mss = 1460;
    write_packet(start_us_, syn);
    const auto deadline = Clock::now() + microseconds(timing::handshake_us);
    std::optional<WireSegment> synack;
    pollfd p{slot_.tun_fd, POLLIN, 0};
    while (!synack && !failed_ && ::poll(&p, 1, 10) >= 0 && Clock::now() < deadline) {
      std::array<std::uint8_t, 65'536> buf;
      for (ssize_t n; (n = ::read(slot_.tun_fd, buf.data(), buf.size())) > 0;)
        if (const auto w = ours(std::span(buf.data(), static_cast<std::size_t>(n))))
          if (w->flags == (tcp_flag::syn | tcp_flag::ack) && w->ack == irs_.raw() + 1) synack = w;
    }
    if (!synack) {
      ::close(listener);
      return fail(start_us_, "did not answer the SYN within " + ms_text(timing::handshake_us));
    }
    iss_ = Seq(synack->seq);
    write_packet(start_us_, from_model(tcp_flag::ack, irs_.raw() + 1, iss_.raw() + 1));
    pollfd l{listener, POLLIN, 0};
    if (::poll(&l, 1, static_cast<int>(timing::handshake_us / 1000)) == 1)
      fd_ = ::accept4(listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    ::close(listener);
    if (fd_ < 0) return fail(start_us_, "completed the handshake but accept() gave no socket");
    // The scenario begins now, ESTABLISHED on both sides.
    base_ = Clock::now();
    checked_us_ = start_us_;
  }

  WireSegment from_model(std::uint8_t flags, std::uint32_t seq, std::uint32_t ack) {
    WireSegment w;
    w.src_ip = tuple_.remote_ip;
    w.src_port = tuple_.remote_port;
    w.dst_ip = tuple_.local_ip;
    w.dst_port = tuple_.local_port;
    w.seq = seq;
    w.ack = ack;
    w.flags = flags;
    w.window = 65'535;
    return w;
  }

  void write_packet(std::int64_t now_us, WireSegment& w) {
    w.ip_id = ++ip_id_;
    const std::vector<std::uint8_t> bytes = encode(w);
    if (::write(slot_.tun_fd, bytes.data(), bytes.size()) != static_cast<ssize_t>(bytes.size()))
      fail(now_us, std::string("cannot write to the TUN device: ") + std::strerror(errno));
    last_activity_us_ = now_us;
  }
  void write_packet(std::int64_t now_us, WireSegment&& w) { write_packet(now_us, w); }

  // A packet of this connection's, from the kernel; nullopt for another's
  // (an earlier connection of the slot's) or for what is no IPv4/TCP.
  std::optional<WireSegment> ours(std::span<const std::uint8_t> packet) {
    if (packet.empty() || packet[0] >> 4 != 4) return std::nullopt;
    const auto decoded = decode(packet);
    if (const auto* e = std::get_if<DecodeError>(&decoded)) {
      fail(virtual_now(), "sent a malformed packet: " + e->message);
      return std::nullopt;
    }
    const WireSegment& w = std::get<WireSegment>(decoded);
    if (w.src_ip != tuple_.local_ip || w.src_port != tuple_.local_port ||
        w.dst_ip != tuple_.remote_ip || w.dst_port != tuple_.remote_port)
      return std::nullopt;
    return w;
  }

  void drain_stale() {
    std::array<std::uint8_t, 65'536> buf;
    while (::read(slot_.tun_fd, buf.data(), buf.size()) > 0) {
    }
  }

  // What the kernel did up to `now_us`: its packets, what its application
  // can read, its state and timer.
  void settle(std::int64_t now_us) {
    std::array<std::uint8_t, 65'536> buf;
    for (ssize_t n; !failed_ && (n = ::read(slot_.tun_fd, buf.data(), buf.size())) > 0;) {
      std::optional<WireSegment> w = ours(std::span(buf.data(), static_cast<std::size_t>(n)));
      if (!w) continue;
      // Into the run's addresses (impl/wire.hpp): the seam knows no lab.
      const WireAddress self = wire_address(side_), peer = wire_address(peer_of(side_));
      w->src_ip = self.ip;
      w->src_port = self.port;
      w->dst_ip = peer.ip;
      w->dst_port = peer.port;
      last_activity_us_ = now_us;
      observer_.emitted(now_us, encode(*w));
    }
    if (!failed_) read_application(now_us);
    if (!failed_) check(now_us);
  }

  void read_application(std::int64_t now_us) {
    if (fd_ < 0 || errored_) return;
    if (reads_) {
      std::array<char, 65'536> buf;
      for (;;) {
        const ssize_t n = ::recv(fd_, buf.data(), buf.size(), MSG_DONTWAIT);
        if (n > 0) {
          observer_.app_event(now_us, AppOp::Data, static_cast<std::uint32_t>(n), {});
          continue;
        }
        if (n == 0 && !eof_) {
          eof_ = true;
          observer_.app_event(now_us, AppOp::Eof, 0, {});
        }
        if (n < 0 && errno != EAGAIN) return socket_error(now_us, errno);
        break;
      }
    } else {
      // An application that never reads still learns of the peer's FIN.
      pollfd p{fd_, POLLRDHUP, 0};
      if (!eof_ && ::poll(&p, 1, 0) == 1 && (p.revents & POLLRDHUP)) {
        eof_ = true;
        observer_.app_event(now_us, AppOp::Eof, 0, {});
      }
    }
    int err = 0;
    socklen_t len = sizeof err;
    if (::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err != 0)
      socket_error(now_us, err);
  }

  void socket_error(std::int64_t now_us, int err) {
    errored_ = true;
    if (err == ECONNRESET || err == EPIPE)
      observer_.app_event(now_us, AppOp::Reset, 0, {});
    else if (err == ETIMEDOUT)
      observer_.app_event(now_us, AppOp::TimedOut, 0, {});
    else
      fail(now_us, std::string("the socket reported ") + std::strerror(err));
  }

  void check(std::int64_t now_us) {
    std::optional<DiagSocket> d;
    try {
      d = diag_.find(tuple_);
    } catch (const std::runtime_error& e) {
      return fail(now_us, e.what());
    }
    checked_us_ = now_us;
    timer_deadline_.reset();
    if (!d) {
      state_ = model::State::Closed;
      return;
    }
    state_ = state_of(d->state);
    if (!state_)
      return fail(now_us, "is in TCP state " + std::to_string(d->state) +
                              ", which no teardown reaches (include/net/tcp_states.h)");
    if (d->timer != DiagTimer::None)
      timer_deadline_ =
          now_us + std::max<std::int64_t>(std::int64_t{d->expires_ms} * 1000, timing::recheck_us);
  }

  void send(std::int64_t now_us, std::uint32_t segments) {
    static const std::vector<char> data(std::size_t{4096} * data_segment_bytes, 'x');
    const std::size_t bytes = std::size_t{segments} * data_segment_bytes;
    const ssize_t n =
        bytes <= data.size() ? ::send(fd_, data.data(), bytes, MSG_DONTWAIT | MSG_NOSIGNAL) : -1;
    if (n != static_cast<ssize_t>(bytes))
      observer_.app_event(now_us, AppOp::Refused, 0,
                          "send() of " + std::to_string(bytes) + " bytes took " +
                              (n < 0 ? std::string(std::strerror(errno)) : std::to_string(n)));
    last_activity_us_ = now_us;
  }

  void refuse(std::int64_t now_us, const std::string& what) {
    observer_.app_event(now_us, AppOp::Refused, 0, what + "(): " + std::strerror(errno));
  }

  // close() with SO_LINGER 0: RST, and the socket is gone.
  void abort_socket() {
    const linger l{1, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    ::close(std::exchange(fd_, -1));
  }

  void fail(std::int64_t now_us, const std::string& why) {
    if (failed_) return;
    failed_ = true;
    state_.reset();
    timer_deadline_.reset();
    observer_.stack_error(now_us, why);
  }

  std::shared_ptr<Lab> lab_;
  Slot& slot_;
  SockDiag diag_;
  FourTuple tuple_;
  Side side_;
  Observer& observer_;
  bool reads_;
  Seq irs_;
  Seq iss_;
  std::int64_t start_us_;
  Clock::time_point base_;
  int fd_ = -1;
  std::optional<model::State> state_ = model::State::Established;
  std::optional<std::int64_t> timer_deadline_;
  std::int64_t last_activity_us_;
  std::int64_t checked_us_ = 0;  // when inet_diag was last asked
  std::uint16_t ip_id_ = 0;
  bool shut_wr_ = false;
  bool eof_ = false;
  bool errored_ = false;  // the socket reported its error: no more reads
  bool failed_ = false;
};

}  // namespace

DriverFactory factory(std::shared_ptr<Lab> lab) {
  return [lab = std::move(lab)](const DriverSetup& setup) -> std::unique_ptr<StackDriver> {
    return std::make_unique<LinuxDriver>(setup, lab);
  };
}

StackCapabilities capabilities() {
  StackCapabilities c;
  c.clock = StackClock::Real;
  c.granularity_us = timing::granularity_us;
  c.state_observable = true;
  // One kernel, one socket per run: the model plays the other side.
  c.plays_both = false;
  c.concurrent = true;
  return c;
}

}  // namespace fincheck::kernel
