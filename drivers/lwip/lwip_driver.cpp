#include "drivers/lwip/lwip_driver.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "drivers/lwip/lwip_address.hpp"
#include "drivers/lwip/lwip_stack.hpp"
#include "impl/wire.hpp"

extern "C" {
#include "lwip/priv/tcp_priv.h"
#include "lwip/tcp.h"
}

namespace fincheck::lwip {

namespace {

constexpr std::int64_t tick_us = TCP_TMR_INTERVAL * 1'000LL;

LwipDriver* self(void* arg) { return static_cast<LwipDriver*>(arg); }

err_t on_recv(void* arg, tcp_pcb* pcb, pbuf* p, err_t) {
  if (!arg) return ERR_OK;
  if (!p) {
    self(arg)->on_eof();
    return ERR_OK;
  }
  // An application that never reads leaves the window closed behind the
  // data: lwIP's tcp_close() then sees it unread and sends RST.
  if (self(arg)->on_data(p->tot_len)) tcp_recved(pcb, p->tot_len);
  pbuf_free(p);
  return ERR_OK;
}

void on_err(void* arg, err_t err) {
  if (arg) self(arg)->on_error(err);
}

// Both tcp_connected_fn and tcp_accept_fn: the connection's pcb is known.
err_t on_established(void* arg, tcp_pcb* pcb, err_t) {
  self(arg)->on_connected(pcb);
  return ERR_OK;
}

model::State state_of(const tcp_pcb* pcb) {
  switch (pcb->state) {
    case FIN_WAIT_1:
      return model::State::FinWait1;
    case FIN_WAIT_2:
      return model::State::FinWait2;
    case CLOSE_WAIT:
      return model::State::CloseWait;
    case CLOSING:
      return model::State::Closing;
    case LAST_ACK:
      return model::State::LastAck;
    case TIME_WAIT:
      return model::State::TimeWait;
    case CLOSED:
      return model::State::Closed;
    default:
      return model::State::Established;  // ESTABLISHED and the handshake's states
  }
}

}  // namespace

LwipDriver::LwipDriver(const DriverSetup& setup)
    : side_(setup.side),
      irs_(setup.irs),
      reads_(setup.reads),
      observer_(*setup.observer),
      stack_(Stack::instance()),
      netif_(stack_.join(setup.run, side_, this)) {
  handshake();
}

LwipDriver::~LwipDriver() {
  // The pcb stays in lwIP until the next run's reset frees it; nothing of
  // it may call back into this object.
  detached_ = true;
  if (alive()) {
    tcp_arg(pcb_, nullptr);
    tcp_err(pcb_, nullptr);
    tcp_recv(pcb_, nullptr);
  }
  stack_.leave(side_, this);
}

void LwipDriver::handshake() {
  // The scripted peer: SYN, SYN-ACK, ACK at virtual time 0, RFC 9293 §3.5.
  const Side peer = peer_of(side_);
  auto peer_segment = [&](std::uint8_t flags, std::uint32_t seq, std::uint32_t ack) {
    WireSegment w = to_wire(peer, Segment{}, 0);
    w.seq = seq;
    w.ack = ack;
    w.flags = flags;
    w.options.mss = 1460;
    return w;
  };
  auto lwip_answer = [&] {
    if (handshake_out_.empty()) throw std::runtime_error("lwIP did not answer the handshake");
    const auto decoded = decode(handshake_out_.back());
    handshake_out_.clear();
    if (!std::holds_alternative<WireSegment>(decoded))
      throw std::runtime_error("lwIP answered the handshake with a malformed packet: " +
                               std::get<DecodeError>(decoded).message);
    return std::get<WireSegment>(decoded);
  };
  auto deliver = [&](const WireSegment& w) { stack_.input(side_, encode(w)); };
  ip_addr_t local, remote;
  ip_addr_copy_from_ip4(local, address_of(side_));
  ip_addr_copy_from_ip4(remote, address_of(peer));
  if (side_ == Side::A) {
    pcb_ = tcp_new();
    tcp_arg(pcb_, this);
    tcp_bind_netif(pcb_, netif_);
    tcp_bind(pcb_, &local, wire_address(side_).port);
    tcp_connect(pcb_, &remote, wire_address(peer).port, on_established);
    lwip_iss_ = lwip_answer().seq;
    deliver(peer_segment(tcp_flag::syn | tcp_flag::ack, irs_.raw(), lwip_iss_ + 1));
    lwip_answer();  // lwIP's ACK completes the handshake
  } else {
    // The accepted pcb inherits the listener's netif (tcp_listen_input()).
    tcp_pcb* listening = tcp_new();
    tcp_bind_netif(listening, netif_);
    tcp_bind(listening, &local, wire_address(side_).port);
    listener_ = tcp_listen(listening);
    tcp_arg(listener_, this);
    tcp_accept(listener_, on_established);
    deliver(peer_segment(tcp_flag::syn, irs_.raw(), 0));
    lwip_iss_ = lwip_answer().seq;
    deliver(peer_segment(tcp_flag::ack, irs_.raw() + 1, lwip_iss_ + 1));
    tcp_close(listener_);  // one connection; later strays meet lwIP's RST
    listener_ = nullptr;
  }
  if (!pcb_ || pcb_->state != ESTABLISHED)
    throw std::runtime_error("lwIP did not reach ESTABLISHED in the handshake");
  tcp_arg(pcb_, this);
  tcp_err(pcb_, on_err);
  tcp_recv(pcb_, on_recv);
  handshaking_ = false;
}

void LwipDriver::on_connected(tcp_pcb* pcb) { pcb_ = pcb; }

bool LwipDriver::alive() const {
  if (gone_ || !pcb_) return false;
  for (tcp_pcb* list : {tcp_active_pcbs, tcp_tw_pcbs})
    for (tcp_pcb* p = list; p; p = p->next)
      if (p == pcb_) return true;
  return false;
}

std::optional<model::State> LwipDriver::state() const {
  return alive() ? state_of(pcb_) : model::State::Closed;
}

void LwipDriver::output(const std::vector<std::uint8_t>& bytes) {
  if (detached_) return;
  if (handshaking_) {
    handshake_out_.push_back(bytes);
    return;
  }
  observer_.emitted(stack_.now_us(), bytes);
}

void LwipDriver::deliver(std::int64_t now_us, std::span<const std::uint8_t> packet) {
  stack_.run_ticks_until(now_us);
  delivering_ = true;
  stack_.input(side_, std::vector<std::uint8_t>(packet.begin(), packet.end()));
  delivering_ = false;
}

void LwipDriver::call(std::int64_t now_us, AppOp op, std::uint32_t segments) {
  stack_.run_ticks_until(now_us);
  switch (op) {
    case AppOp::Close:
      if (!app_call(op)) return;
      fd_closed_ = shut_wr_ = true;
      tcp_close(pcb_);  // an orphan from now on: TF_RXCLOSED
      return;
    case AppOp::Shutdown:
      if (!app_call(op)) return;
      shut_wr_ = true;
      tcp_shutdown(pcb_, 0, 1);
      return;
    case AppOp::Abort:
      if (!app_call(op)) return;
      fd_closed_ = shut_wr_ = true;
      aborting_ = true;
      tcp_abort(pcb_);  // RST; the error callback it makes is the application's own doing
      aborting_ = false;
      return;
    default:
      if (app_call(op)) send(segments);
  }
}

bool LwipDriver::app_call(AppOp op) {
  const model::State s = *state();
  if (call_allowed(s, fd_closed_, shut_wr_, op)) return true;
  observer_.app_event(stack_.now_us(), AppOp::Refused, 0,
                      std::string(to_string(op)) + " in " + std::string(model::to_string(s)));
  return false;
}

std::optional<SeqView> LwipDriver::seq_view() const {
  if (!alive()) return std::nullopt;
  return SeqView{Seq(pcb_->lastack), Seq(pcb_->snd_nxt), Seq(pcb_->rcv_nxt)};
}

void LwipDriver::send(std::uint32_t segments) {
  static const std::vector<char> data(100, 'x');
  for (std::uint32_t i = 0; i < segments; ++i)
    if (const err_t e =
            tcp_write(pcb_, data.data(), static_cast<u16_t>(data.size()), TCP_WRITE_FLAG_COPY);
        e != ERR_OK) {
      observer_.app_event(
          stack_.now_us(), AppOp::Refused, i * data.size(),
          "tcp_write() returned " + (e == ERR_MEM ? std::string("ERR_MEM") : std::to_string(e)) +
              " at segment " + std::to_string(i + 1) + " of " + std::to_string(segments));
      break;
    }
  tcp_output(pcb_);
}

bool LwipDriver::waits_on_ticks() const { return alive() && (busy() || idle_timeout_ticks() > 0); }

std::uint32_t LwipDriver::idle_timeout_ticks() const {
  // tcp_slowtmr(): TIME-WAIT ends, and an orphan's FIN-WAIT-2 times out,
  // when tcp_ticks - pcb->tmr exceeds these (in slow ticks).
  if (pcb_->state == TIME_WAIT) return 2 * TCP_MSL / TCP_SLOW_INTERVAL;
  if (pcb_->state == FIN_WAIT_2 && (pcb_->flags & TF_RXCLOSED))
    return TCP_FIN_WAIT_TIMEOUT / TCP_SLOW_INTERVAL;
  return 0;
}

bool LwipDriver::busy() const {
  // lwIP's timers only matter while something waits on them; an idle
  // connection is not ticked, so a run can fall quiet.
  return pcb_->unacked || pcb_->unsent || (pcb_->flags & TF_ACK_DELAY) ||
         pcb_->state == FIN_WAIT_1 || pcb_->state == CLOSING || pcb_->state == LAST_ACK;
}

std::optional<std::int64_t> LwipDriver::next_deadline() const {
  if (!alive()) return std::nullopt;
  const std::int64_t next = stack_.next_tick_us();
  if (busy()) return next;
  const std::uint32_t limit = idle_timeout_ticks();
  if (limit == 0) return std::nullopt;
  // TIME-WAIT (or an orphan's FIN-WAIT-2) alone sends nothing until it
  // ends, at the slow tick where tcp_ticks - pcb->tmr exceeds the limit:
  // wake no later than that; advance() runs the ticks in between without
  // the simulator's loop (a third of lwIP's runs went to ticking TIME-WAIT).
  const std::uint32_t elapsed = tcp_ticks - pcb_->tmr;
  const std::int64_t slow_ticks_left = elapsed > limit ? 1 : limit + 1 - elapsed;
  return next + (2 * slow_ticks_left) * tick_us;
}

void LwipDriver::advance(std::int64_t now_us) { stack_.run_ticks_until(now_us); }

bool LwipDriver::on_data(std::uint32_t bytes) {
  if (!reads_) return false;
  observer_.app_event(stack_.now_us(), AppOp::Data, bytes, {});
  return true;
}

void LwipDriver::on_eof() {
  if (reads_) observer_.app_event(stack_.now_us(), AppOp::Eof, 0, {});
}

void LwipDriver::on_error(int err) {
  // lwIP has freed the pcb. ERR_CLSD is lwIP 2.1's word for a normal end in
  // LAST-ACK (tcp_input, TF_CLOSED); ERR_RST a reset; ERR_ABRT the retry
  // budget spent (tcp_slowtmr) or an abort.
  gone_ = true;
  pcb_ = nullptr;
  if (err == ERR_CLSD) return;
  // ERR_ABRT after the application closed: its own abort (tcp_abort), or
  // lwIP's answer to data for a closed socket (tcp_input(), TF_RXCLOSED) --
  // nobody is told. Only the retry budget spent (a timer) reaches it.
  if (err == ERR_ABRT && fd_closed_ && delivering_) return;
  if (err == ERR_ABRT && aborting_) return;
  observer_.app_event(stack_.now_us(), err == ERR_RST ? AppOp::Reset : AppOp::TimedOut, 0, {});
}

void LwipDriver::ticked() { observer_.settled(stack_.now_us()); }

}  // namespace fincheck::lwip

namespace fincheck::lwip {

DriverFactory factory() {
  return [](const DriverSetup& setup) -> std::unique_ptr<StackDriver> {
    return std::make_unique<LwipDriver>(setup);
  };
}

}  // namespace fincheck::lwip
