#include "properties/mutants.hpp"

namespace fincheck {

Scenario Mutant::apply(Scenario s) const {
  if (adjust) adjust(s);
  return s;
}

const std::vector<Mutant>& mutants() {
  static const std::vector<Mutant> all{
      {"no-time-wait", "RFC 9293 §3.6.1: linger in TIME-WAIT for 2 MSL", model::reference_table,
       [](Scenario& s) { s.params.time_wait_us = 0; }},
      {"time-wait-one-msl", "RFC 9293 §3.6.1: TIME-WAIT lasts 2 MSL, not 1", model::reference_table,
       [](Scenario& s) { s.params.time_wait_us = s.params.msl_us; }},
      // Too long breaks the rule as well as too short, and is the only mutant
      // that tests the "never later" half of time-wait-lasts-2msl.
      {"time-wait-four-msl", "RFC 9293 §3.6.1: TIME-WAIT lasts 2 MSL, not 4",
       model::reference_table, [](Scenario& s) { s.params.time_wait_us = 4 * s.params.msl_us; }},
      {"no-restart-on-fin", "§3.10.7.4 TIME-WAIT: restart the 2 MSL timeout on a FIN",
       no_restart_on_fin_table, nullptr},
      {"passive-closer-time-wait", "§3.10.7.4 LAST-ACK: on the ACK of our FIN, enter CLOSED",
       passive_closer_time_wait_table, nullptr},
      {"no-fin-retransmission", "§3.8.3: retransmit the FIN until R2", no_fin_retransmission_table,
       nullptr},
      {"no-ack-in-time-wait", "§3.10.7.4 TIME-WAIT: acknowledge a retransmitted FIN",
       no_ack_in_time_wait_table, nullptr},
      {"no-data-retransmission", "§3.8.3: retransmit data until R2", no_data_retransmission_table,
       nullptr},
      {"simultaneous-close-skips-closing",
       "§3.10.7.4 FIN-WAIT-1: a FIN that does not ACK ours leads to CLOSING",
       simultaneous_close_skips_closing_table, nullptr},
      {"rto-below-rtt", "RFC 6298 §2.4: the RTO must exceed the round trip (at least 1 s)",
       model::reference_table,
       [](Scenario& s) { s.params.rto_initial_us = std::max<std::int64_t>(1, s.delay_us / 2); }},
      // The classifier's rules, one at a time (model/classifier.hpp).
      {"rst-anywhere-in-window", "RFC 5961 §3.2: a RST resets only at exactly RCV.NXT",
       rst_anywhere_in_window_classifier, nullptr},
      {"ack-of-fin-inclusive", "RFC 9293 §3.10.7.4: our FIN is acknowledged when SEG.ACK > its seq",
       ack_of_fin_inclusive_classifier, nullptr},
      {"fin-out-of-order-accepted", "RFC 9293 §3.10.7.4 eighth: a FIN is taken only at RCV.NXT",
       fin_out_of_order_classifier, nullptr},
      {"fin-again-dropped-as-old",
       "RFC 9293 §3.10.7.4 eighth: a retransmitted FIN is acknowledged (TIME-WAIT restarts)",
       fin_again_dropped_classifier, nullptr},
      {"ack-range-off-by-one",
       "RFC 9293 §3.10.7.4 fifth, RFC 5961 §5: an ACK above SND.NXT is answered and dropped",
       ack_range_off_by_one_classifier, nullptr},
  };
  return all;
}

const Mutant* mutant_named(std::string_view name) {
  for (const Mutant& m : mutants())
    if (m.name == name) return &m;
  return nullptr;
}

}  // namespace fincheck
