#pragma once
// The protocol parameters of one endpoint, and the named profiles that set
// them. Every value cites the document or source file it comes from.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fincheck::model {

struct Parameters {
  std::string profile = "rfc9293";
  // Maximum segment lifetime: the network's promise that no segment outlives it.
  std::int64_t msl_us = 0;
  // Length of TIME-WAIT; unset means 2·MSL (RFC 9293 §3.6.1).
  std::optional<std::int64_t> time_wait_us;
  // Retransmission timeout before the first retransmission, its growth factor
  // per expiry (RFC 6298 §5.5) and its ceiling.
  std::int64_t rto_initial_us = 0;
  std::uint32_t rto_backoff = 2;
  std::int64_t rto_max_us = 0;
  // Retransmissions of one segment before the connection is aborted
  // (RFC 9293 §3.8.3, the R2 threshold counted in retransmissions).
  std::uint32_t retries = 0;
  // How long the last retransmission waits for its ACK before the abort;
  // 0: its whole backed-off timeout, as every other retransmission does.
  std::int64_t last_retransmission_wait_us = 0;
  // How long the ACK of a received FIN may wait for a segment to ride on;
  // 0 sends it at once.
  std::int64_t delayed_ack_us = 0;
  // Lifetime of an orphaned FIN-WAIT-2; 0 means none (RFC 9293 has none).
  std::int64_t fin_wait_2_timeout_us = 0;
  // RFC 1337 §3 fix: a RST in TIME-WAIT is ignored instead of closing.
  bool rfc1337 = false;
  // The ACK field of a segment that fails the acceptability test (an old
  // duplicate, a retransmitted FIN) is processed before the segment is
  // dropped. RFC 9293 §3.10.7.4 drops it whole: "If an incoming segment is
  // not acceptable, an acknowledgment should be sent in reply ... After
  // sending the acknowledgment, drop the unacceptable segment and return."
  bool ack_of_unacceptable = false;
  // At most one ACK per this interval in reply to out-of-window segments and
  // ACKs (RFC 5961 §7); 0: no limit. Without it two desynchronized ends
  // trade ACKs forever.
  std::int64_t oow_ack_interval_us = 0;
  // How late a timer may fire: the period of the clock that drives it (0: to
  // the microsecond). A stack under test whose TIME-WAIT ends within this of
  // its deadline keeps time-wait-lasts-2msl.
  std::int64_t timer_granularity_us = 0;

  bool operator==(const Parameters&) const = default;
  std::int64_t time_wait() const { return time_wait_us.value_or(2 * msl_us); }
  std::int64_t two_msl() const { return 2 * msl_us; }
};

Parameters rfc9293_profile();
Parameters linux_profile();
Parameters lwip_profile();

std::optional<Parameters> profile_named(std::string_view name);
const std::vector<std::string_view>& profile_names();

}  // namespace fincheck::model
