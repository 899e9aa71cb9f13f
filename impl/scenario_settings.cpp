#include "impl/scenario_settings.hpp"

#include <charconv>
#include <limits>

#include "impl/duration.hpp"

namespace fincheck {

namespace {

using K = Setting::Kind;

#define FIELD(expr) \
  [](const Scenario& s) -> std::int64_t { return static_cast<std::int64_t>(expr); }
#define STORE(lhs) [](Scenario& s, std::int64_t v) { lhs; }

const std::vector<Setting> all_settings{
    {"msl", K::Duration, "maximum segment lifetime; every delay must fit in it",
     FIELD(s.params.msl_us), STORE(s.params.msl_us = v)},
    {"time_wait", K::Duration, "length of TIME-WAIT (default 2*msl)",
     FIELD(s.params.time_wait_us.value_or(-1)), STORE(s.params.time_wait_us = v)},
    {"rto", K::Duration, "retransmission timeout before the first retransmission",
     FIELD(s.params.rto_initial_us), STORE(s.params.rto_initial_us = v)},
    {"rto_max", K::Duration, "ceiling of the backed-off retransmission timeout",
     FIELD(s.params.rto_max_us), STORE(s.params.rto_max_us = v)},
    {"rto_min", K::Duration, "floor of the estimated retransmission timeout (RFC 6298 2.4)",
     FIELD(s.params.rto_min_us), STORE(s.params.rto_min_us = v)},
    {"rto_estimation", K::Flag, "on: the RTO follows the measured round trip (RFC 6298)",
     FIELD(s.params.rto_estimation), STORE(s.params.rto_estimation = v != 0)},
    {"tail_loss_probe", K::Flag, "on: probe with the last segment before the RTO (RFC 8985 7)",
     FIELD(s.params.tail_loss_probe), STORE(s.params.tail_loss_probe = v != 0)},
    {"backoff", K::Count, "factor applied to the timeout on each expiry",
     FIELD(s.params.rto_backoff), STORE(s.params.rto_backoff = static_cast<std::uint32_t>(v))},
    {"retries", K::Count, "retransmissions of one segment before the connection aborts",
     FIELD(s.params.retries), STORE(s.params.retries = static_cast<std::uint32_t>(v))},
    {"retries_by_time", K::Flag,
     "on: the retry budget is the time that many doublings of rto_min take (Linux)",
     FIELD(s.params.retries_by_time), STORE(s.params.retries_by_time = v != 0)},
    {"last_retransmission_wait", K::Duration,
     "how long the last retransmission waits for its ACK before the abort (0: its timeout)",
     FIELD(s.params.last_retransmission_wait_us), STORE(s.params.last_retransmission_wait_us = v)},
    {"delayed_ack", K::Duration, "how long the ACK of a FIN may wait (0: at once)",
     FIELD(s.params.delayed_ack_us), STORE(s.params.delayed_ack_us = v)},
    {"delayed_ack_first", K::Duration,
     "how long the ACK of a FIN may wait on a connection that has received no data",
     FIELD(s.params.delayed_ack_first_us), STORE(s.params.delayed_ack_first_us = v)},
    {"nagle", K::Flag, "on: a short segment waits while data is unacknowledged (RFC 9293 3.7.4)",
     FIELD(s.params.nagle), STORE(s.params.nagle = v != 0)},
    {"mss", K::Count, "send maximum segment size in bytes", FIELD(s.params.mss_bytes),
     STORE(s.params.mss_bytes = static_cast<std::uint32_t>(v))},
    {"fin_wait_2_timeout", K::Duration, "lifetime of an orphaned FIN-WAIT-2 (0: none)",
     FIELD(s.params.fin_wait_2_timeout_us), STORE(s.params.fin_wait_2_timeout_us = v)},
    {"rfc1337", K::Flag, "on: a RST in TIME-WAIT is ignored", FIELD(s.params.rfc1337),
     STORE(s.params.rfc1337 = v != 0)},
    {"ack_of_unacceptable", K::Flag,
     "on: the ACK field of a segment outside the window is processed before it is dropped",
     FIELD(s.params.ack_of_unacceptable), STORE(s.params.ack_of_unacceptable = v != 0)},
    {"abort_rst_in_closing", K::Flag, "on: an abort in CLOSING or LAST-ACK sends a RST too",
     FIELD(s.params.abort_rst_in_closing), STORE(s.params.abort_rst_in_closing = v != 0)},
    {"abort_keeps_time_wait", K::Flag, "on: an abort in TIME-WAIT closes the descriptor only",
     FIELD(s.params.abort_keeps_time_wait), STORE(s.params.abort_keeps_time_wait = v != 0)},
    {"rst_at_peer_fin", K::Flag,
     "on: a RST at the peer's FIN resets in CLOSE-WAIT, LAST-ACK and CLOSING",
     FIELD(s.params.rst_at_peer_fin), STORE(s.params.rst_at_peer_fin = v != 0)},
    {"orphan_rst_on_gap", K::Flag, "on: an orphan answers a FIN beyond RCV.NXT with RST",
     FIELD(s.params.orphan_rst_on_gap), STORE(s.params.orphan_rst_on_gap = v != 0)},
    {"fin_again_closes_silently", K::Flag,
     "on: a retransmitted FIN whose ACK completes the close is not acknowledged",
     FIELD(s.params.fin_again_closes_silently), STORE(s.params.fin_again_closes_silently = v != 0)},
    {"time_wait_restarts_on_ack", K::Flag, "on: any segment with ACK restarts TIME-WAIT",
     FIELD(s.params.time_wait_restarts_on_ack), STORE(s.params.time_wait_restarts_on_ack = v != 0)},
    {"orphan_fin_wait_2_any_rst", K::Flag,
     "on: any RST in the window ends an orphan's FIN-WAIT-2 (no challenge ACK)",
     FIELD(s.params.orphan_fin_wait_2_any_rst), STORE(s.params.orphan_fin_wait_2_any_rst = v != 0)},
    {"unread_rst_after_shutdown", K::Flag,
     "on: close() after shutdown() with unread data resets, in FIN-WAIT-1/2 too",
     FIELD(s.params.unread_rst_after_shutdown), STORE(s.params.unread_rst_after_shutdown = v != 0)},
    {"orphan_rst_at_snd_nxt", K::Flag,
     "on: the RST answering data after close() carries SND.NXT, not SEG.ACK",
     FIELD(s.params.orphan_rst_at_snd_nxt), STORE(s.params.orphan_rst_at_snd_nxt = v != 0)},
    {"orphan_data_with_fin_silent", K::Flag,
     "on: data after close() that comes with the FIN into TIME-WAIT closes without RST",
     FIELD(s.params.orphan_data_with_fin_silent),
     STORE(s.params.orphan_data_with_fin_silent = v != 0)},
    {"orphan_timers_frozen", K::Flag,
     "on: an orphan's FIN-WAIT-2 and TIME-WAIT count from the last segment before close()",
     FIELD(s.params.orphan_timers_frozen), STORE(s.params.orphan_timers_frozen = v != 0)},
    {"oow_ack_interval", K::Duration, "least time between ACKs to out-of-window segments (0: none)",
     FIELD(s.params.oow_ack_interval_us), STORE(s.params.oow_ack_interval_us = v)},
    {"timer_granularity", K::Duration, "how late a timer may fire (a stack's clock period)",
     FIELD(s.params.timer_granularity_us), STORE(s.params.timer_granularity_us = v)},
    {"timer_tick", K::Duration, "the model's timers fire at the next multiple of this",
     FIELD(s.params.timer_tick_us), STORE(s.params.timer_tick_us = v)},
    {"timer_slack", K::Count,
     "a timer of length L may fire up to L / this late (0: not at all; Linux's wheel: 8)",
     FIELD(s.params.timer_slack_divisor),
     STORE(s.params.timer_slack_divisor = static_cast<std::uint32_t>(v))},
    {"max_delay", K::Duration,
     "delays may reach this, past msl: a network that breaks its promise (0: msl bounds them)",
     FIELD(s.max_delay_us), STORE(s.max_delay_us = v)},
    {"last_ack_timeout", K::Duration,
     "an idle LAST-ACK ends with a timeout after this (lwIP: 2*msl; 0: none)",
     FIELD(s.params.last_ack_timeout_us), STORE(s.params.last_ack_timeout_us = v)},
    {"delay", K::Duration, "one-way delay of every segment without its own", FIELD(s.delay_us),
     STORE(s.delay_us = v)},
    {"isn_a", K::SequenceNumber, "initial sequence number of a", FIELD(s.isn_a),
     STORE(s.isn_a = static_cast<std::uint32_t>(v))},
    {"isn_b", K::SequenceNumber, "initial sequence number of b", FIELD(s.isn_b),
     STORE(s.isn_b = static_cast<std::uint32_t>(v))},
};

#undef FIELD
#undef STORE

std::optional<std::int64_t> parse_integer(std::string_view text, std::int64_t max) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size() || v < 0 || v > max)
    return std::nullopt;
  return v;
}

}  // namespace

const std::vector<Setting>& settings() { return all_settings; }

const Setting* setting_named(std::string_view name) {
  for (const Setting& s : all_settings)
    if (s.name == name) return &s;
  return nullptr;
}

std::optional<std::int64_t> parse_setting_value(const Setting& s, std::string_view text) {
  switch (s.kind) {
    case K::Duration:
      return parse_duration_us(text);
    case K::Count:
      return parse_integer(text, 1'000'000);
    case K::SequenceNumber:
      return parse_integer(text, std::numeric_limits<std::uint32_t>::max());
    case K::Flag:
      if (text == "on" || text == "1" || text == "true") return 1;
      if (text == "off" || text == "0" || text == "false") return 0;
      return std::nullopt;
  }
  return std::nullopt;
}

std::string format_setting_value(const Setting& s, std::int64_t value) {
  switch (s.kind) {
    case K::Duration:
      return format_duration(value);
    case K::Flag:
      return value ? "on" : "off";
    case K::Count:
    case K::SequenceNumber:
      return std::to_string(value);
  }
  return std::to_string(value);
}

}  // namespace fincheck
