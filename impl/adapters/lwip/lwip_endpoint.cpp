#include "impl/adapters/lwip/lwip_endpoint.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "impl/adapters/lwip/lwip_address.hpp"
#include "impl/adapters/lwip/lwip_stack.hpp"
#include "impl/wire.hpp"
#include "model/machine.hpp"

extern "C" {
#include "lwip/priv/tcp_priv.h"
#include "lwip/tcp.h"
}

namespace fincheck::lwip {

namespace {

constexpr std::int64_t tick_us = TCP_TMR_INTERVAL * 1'000LL;

LwipEndpoint* self(void* arg) { return static_cast<LwipEndpoint*>(arg); }

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

// The row of the reference table that explains an observed change of state:
// the one from `from` to `to` whose event has the stimulus that caused it;
// -1 when none does.
int explaining_row(model::State from, model::State to, model::Stimulus stimulus) {
  for (const model::RowInfo& r : model::reference_table().rows())
    if (r.from == from && r.to == to && r.stimulus == stimulus) return r.index;
  return -1;
}

}  // namespace

LwipEndpoint::LwipEndpoint(const EndpointSetup& setup)
    : side_(setup.side),
      conn_(setup.conn),
      params_(setup.params),
      trace_(*setup.trace),
      wire_(*setup.wire),
      iss_(setup.iss),
      irs_(setup.irs),
      next_byte_(setup.irs + 1),
      reads_(setup.reads),
      stack_(Stack::instance()),
      netif_(stack_.join(setup.run, side_, this)) {
  handshake();
}

LwipEndpoint::~LwipEndpoint() {
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

void LwipEndpoint::handshake() {
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

void LwipEndpoint::on_connected(tcp_pcb* pcb) { pcb_ = pcb; }

bool LwipEndpoint::alive() const {
  if (gone_ || !pcb_) return false;
  for (tcp_pcb* list : {tcp_active_pcbs, tcp_tw_pcbs})
    for (tcp_pcb* p = list; p; p = p->next)
      if (p == pcb_) return true;
  return false;
}

model::State LwipEndpoint::state() const { return alive() ? state_of(pcb_) : model::State::Closed; }

void LwipEndpoint::output(const std::vector<std::uint8_t>& bytes) {
  if (detached_) return;
  if (handshaking_) {
    handshake_out_.push_back(bytes);
    return;
  }
  // Called from inside lwIP (C frames): nothing may throw here. What the
  // wire cannot carry is recorded for the report and dropped.
  const auto decoded = decode(bytes);
  if (!std::holds_alternative<WireSegment>(decoded)) {
    trace_.stack_errors.push_back(
        {stack_.now_us(), side_,
         "lwIP sent a malformed packet: " + std::get<DecodeError>(decoded).message});
    return;
  }
  auto seg = from_wire(std::get<WireSegment>(decoded));
  if (!seg || seg->first != side_) {
    trace_.stack_errors.push_back(
        {stack_.now_us(), side_, "lwIP sent a packet to an address not in the run"});
    return;
  }
  // lwIP's numbering to the scenario's: shift our sequence numbers.
  seg->second.seq = seg->second.seq + (iss_.raw() - lwip_iss_);
  wire_.transmit(side_, conn_, seg->second);
}

void LwipEndpoint::inject(const Segment& seg) {
  stack_.input(side_, encode(to_wire(peer_of(side_), seg, ++ip_id_)));
}

bool LwipEndpoint::receive(std::int64_t now_us, const Segment& seg, std::int64_t arrival) {
  stack_.run_ticks_until(now_us);
  arrival_ = arrival;
  const bool was_alive = alive();
  const std::uint32_t rcv_before = was_alive ? pcb_->rcv_nxt : 0;
  const std::uint32_t una_before = was_alive ? pcb_->lastack : 0;
  Segment in = seg;
  in.ack = seg.ack + (lwip_iss_ - iss_.raw());  // the peer's ACK, in lwIP's numbering
  inject(in);
  const bool now_alive = alive();
  const bool accepted =
      was_alive && (!now_alive || pcb_->rcv_nxt != rcv_before || pcb_->lastack != una_before);
  observe(model::Stimulus::Segment);
  arrival_ = -1;
  return accepted;
}

bool LwipEndpoint::app_call(std::int64_t now_us, AppOp op, bool needs_open) {
  stack_.run_ticks_until(now_us);
  const model::State s = state();
  // The same rule as the reference endpoint's (RFC 9293 §3.10.2, §3.10.4).
  const bool open = s == model::State::Established || s == model::State::CloseWait;
  if (!fd_closed_ && s != model::State::Closed && (!needs_open || (open && !shut_wr_))) return true;
  trace_.add(AppRecord{stack_.now_us(),
                       side_,
                       conn_,
                       AppOp::Refused,
                       {},
                       0,
                       -1,
                       std::string(to_string(op)) + " in " + std::string(model::to_string(s))});
  return false;
}

void LwipEndpoint::app_close(std::int64_t now_us) {
  if (!app_call(now_us, AppOp::Close, false)) return;
  trace_.add(AppRecord{stack_.now_us(), side_, conn_, AppOp::Close, {}, 0, -1, {}});
  fd_closed_ = shut_wr_ = true;
  tcp_close(pcb_);  // an orphan from now on: TF_RXCLOSED
  observe(model::Stimulus::App);
}

void LwipEndpoint::app_shutdown(std::int64_t now_us) {
  if (!app_call(now_us, AppOp::Shutdown, true)) return;
  trace_.add(AppRecord{stack_.now_us(), side_, conn_, AppOp::Shutdown, {}, 0, -1, {}});
  shut_wr_ = true;
  tcp_shutdown(pcb_, 0, 1);
  observe(model::Stimulus::App);
}

void LwipEndpoint::app_abort(std::int64_t now_us) {
  if (!app_call(now_us, AppOp::Abort, false)) return;
  trace_.add(AppRecord{stack_.now_us(), side_, conn_, AppOp::Abort, {}, 0, -1, {}});
  fd_closed_ = shut_wr_ = true;
  aborting_ = true;
  tcp_abort(pcb_);  // RST; the error callback it makes is the application's own doing
  aborting_ = false;
  observe(model::Stimulus::App);
}

std::optional<SeqView> LwipEndpoint::seq_view() const {
  if (!alive()) return std::nullopt;
  const std::uint32_t shift = iss_.raw() - lwip_iss_;
  return SeqView{Seq(pcb_->lastack) + shift, Seq(pcb_->snd_nxt) + shift, Seq(pcb_->rcv_nxt)};
}

void LwipEndpoint::app_send(std::int64_t now_us, std::uint32_t segments) {
  if (!app_call(now_us, AppOp::Send, true)) return;
  static const std::vector<char> data(100, 'x');
  // snd_lbb: "sequence number of next byte to be buffered", in lwIP's numbering.
  const Seq first = Seq(pcb_->snd_lbb) + (iss_.raw() - lwip_iss_);
  trace_.add(AppRecord{stack_.now_us(), side_, conn_, AppOp::Send, first, segments * 100U, -1, {}});
  for (std::uint32_t i = 0; i < segments; ++i)
    if (const err_t e =
            tcp_write(pcb_, data.data(), static_cast<u16_t>(data.size()), TCP_WRITE_FLAG_COPY);
        e != ERR_OK) {
      trace_.add(AppRecord{stack_.now_us(),
                           side_,
                           conn_,
                           AppOp::Refused,
                           {},
                           0,
                           -1,
                           "lwIP tcp_write() returned " + std::to_string(e)});
      break;
    }
  tcp_output(pcb_);
}

bool LwipEndpoint::waits_on_ticks() const {
  return alive() && (busy() || idle_timeout_ticks() > 0);
}

std::uint32_t LwipEndpoint::idle_timeout_ticks() const {
  // tcp_slowtmr(): TIME-WAIT ends, and an orphan's FIN-WAIT-2 times out,
  // when tcp_ticks - pcb->tmr exceeds these (in slow ticks).
  if (pcb_->state == TIME_WAIT) return 2 * TCP_MSL / TCP_SLOW_INTERVAL;
  if (pcb_->state == FIN_WAIT_2 && (pcb_->flags & TF_RXCLOSED))
    return TCP_FIN_WAIT_TIMEOUT / TCP_SLOW_INTERVAL;
  return 0;
}

bool LwipEndpoint::busy() const {
  // lwIP's timers only matter while something waits on them; an idle
  // connection is not ticked, so a run can fall quiet.
  return pcb_->unacked || pcb_->unsent || (pcb_->flags & TF_ACK_DELAY) ||
         pcb_->state == FIN_WAIT_1 || pcb_->state == CLOSING || pcb_->state == LAST_ACK;
}

std::optional<std::int64_t> LwipEndpoint::next_deadline() const {
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

void LwipEndpoint::advance(std::int64_t now_us) { stack_.run_ticks_until(now_us); }

bool LwipEndpoint::on_data(std::uint32_t bytes) {
  if (!reads_) return false;
  // lwIP hands data over in order; the peer's numbering is the scenario's.
  trace_.add(
      AppRecord{stack_.now_us(), side_, conn_, AppOp::Data, next_byte_, bytes, arrival_, {}});
  next_byte_ += bytes;
  return true;
}

void LwipEndpoint::on_eof() {
  if (!reads_) return;
  eof_seen_ = true;
  trace_.add(AppRecord{stack_.now_us(), side_, conn_, AppOp::Eof, {}, 0, arrival_, {}});
}

void LwipEndpoint::on_error(int err) {
  // lwIP has freed the pcb. ERR_CLSD is lwIP 2.1's word for a normal end in
  // LAST-ACK (tcp_input, TF_CLOSED); ERR_RST a reset; ERR_ABRT the retry
  // budget spent (tcp_slowtmr) or an abort.
  gone_ = true;
  pcb_ = nullptr;
  if (err == ERR_CLSD) return;
  // ERR_ABRT after the application closed: its own abort (tcp_abort), or
  // lwIP's answer to data for a closed socket (tcp_input(), TF_RXCLOSED) --
  // nobody is told. Only the retry budget spent (a timer) reaches it.
  if (err == ERR_ABRT && fd_closed_ && arrival_ >= 0) return;
  if (err == ERR_ABRT && aborting_) return;
  trace_.add(AppRecord{stack_.now_us(),
                       side_,
                       conn_,
                       err == ERR_RST ? AppOp::Reset : AppOp::TimedOut,
                       {},
                       0,
                       arrival_,
                       {}});
}

void LwipEndpoint::observe(model::Stimulus stimulus) {
  const model::State now = state();
  if (now == last_state_) return;
  const int row = explaining_row(last_state_, now, stimulus);
  const std::string_view cause =
      row >= 0 ? model::reference_table().rows()[static_cast<std::size_t>(row)].event
               : std::string_view("unexplained");
  trace_.add(StepRecord{stack_.now_us(), side_, conn_, last_state_, now, cause, row, arrival_});
  last_state_ = now;
}

}  // namespace fincheck::lwip

namespace fincheck::lwip {

EndpointFactory factory() {
  return [](const EndpointSetup& setup) { return std::make_unique<LwipEndpoint>(setup); };
}

}  // namespace fincheck::lwip
