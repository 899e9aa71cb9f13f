#pragma once
// The transmission control block as the classifier reads it: RFC 9293
// §3.3.1's sequence variables, what is held for reassembly, and what the
// application has done. The endpoint owns one and keeps it current; the
// classifier only reads it.
#include <cstdint>
#include <optional>
#include <vector>

#include "model/seq.hpp"
#include "model/state.hpp"

namespace fincheck::model {

// Text (and perhaps a FIN) of the peer's that arrived ahead of RCV.NXT:
// RFC 9293 §3.10.7.4 "segments with higher beginning sequence numbers
// SHOULD be held for later processing".
struct Held {
  Seq seq;
  std::uint32_t len = 0;
  bool fin = false;
};

// At most this many held pieces; more are dropped unqueued (the peer
// retransmits them), so that the reassembly walk fits one word of flags.
inline constexpr std::size_t max_held = 63;

struct Tcb {
  State state = State::Established;
  Seq snd_una;  // SND.UNA
  Seq snd_nxt;  // SND.NXT
  Seq rcv_nxt;  // RCV.NXT
  std::uint32_t rcv_wnd = 65535;
  // RFC 5961 §5: the largest window the peer has offered (MAX.SND.WND).
  std::uint32_t max_snd_wnd = 65535;
  std::optional<Seq> fin_seq;       // our FIN, once queued
  std::optional<Seq> peer_fin_seq;  // the peer's FIN, once taken in order
  std::vector<Held> held;
  // The application called close(): nothing reads any more.
  bool orphaned = false;
  // RFC 5961 §7: the last ACK sent in reply to an unacceptable segment, and
  // the least time between two (0: no limit).
  std::optional<std::int64_t> last_oow_ack_us;
  std::int64_t oow_ack_interval_us = 0;
  // Parameters::ack_of_unacceptable and ::orphan_rst_at_snd_nxt.
  bool ack_of_unacceptable = false;
  bool orphan_rst_at_snd_nxt = false;
  bool orphan_data_with_fin_silent = false;
  // Parameters::rst_at_peer_fin, ::orphan_rst_on_gap,
  // ::fin_again_closes_silently, ::time_wait_restarts_on_ack.
  bool rst_at_peer_fin = false;
  bool orphan_rst_on_gap = false;
  bool fin_again_closes_silently = false;
  bool time_wait_restarts_on_ack = false;
  bool orphan_fin_wait_2_any_rst = false;  // Parameters::orphan_fin_wait_2_any_rst

  bool our_fin_acked() const { return fin_seq && snd_una > *fin_seq; }
};

}  // namespace fincheck::model
