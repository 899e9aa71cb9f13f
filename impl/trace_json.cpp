#include "impl/trace_json.hpp"

namespace fincheck {

using nlohmann::json;

json segments_json(const Trace& t) {
  json out = json::array();
  for (const SegmentRecord& r : t.segments) {
    json arrivals = json::array();
    for (std::uint8_t c = 0; c < r.arrival_count; ++c) arrivals.push_back(r.arrivals_us[c]);
    out.push_back({{"conn", r.conn},
                   {"n", r.n},
                   {"from", name_of(r.from)},
                   {"to", name_of(peer_of(r.from))},
                   {"sent_us", r.sent_us},
                   {"flags", tcpdump_flags(r.seg.flags)},
                   {"seq", r.seg.seq.raw()},
                   {"ack", r.seg.ack.raw()},
                   {"len", r.seg.len},
                   {"fate", to_string(r.fate)},
                   {"arrivals_us", arrivals},
                   // Put on the wire by the scenario's `inject`; n is 0.
                   {"injected", r.injected}});
  }
  return out;
}

json transitions_json(const Trace& t) {
  json out = json::array();
  for (const StepRecord& s : t.steps) {
    if (s.from == s.to) continue;
    out.push_back({{"conn", s.conn},
                   {"at_us", s.at_us},
                   {"endpoint", name_of(s.endpoint)},
                   {"from", model::to_string(s.from)},
                   {"to", model::to_string(s.to)},
                   {"cause", s.cause},
                   {"row", s.row}});
  }
  return out;
}

json final_states_json(const Trace& t) {
  return {{"a", model::to_string(t.final_states[0])}, {"b", model::to_string(t.final_states[1])}};
}

json timers_json(const Trace& t) {
  json out = json::array();
  for (const TimerRecord& r : t.timers)
    out.push_back({{"conn", r.conn},
                   {"at_us", r.at_us},
                   {"endpoint", name_of(r.endpoint)},
                   {"timer", to_string(r.timer)},
                   {"op", to_string(r.op)},
                   {"deadline_us", r.deadline_us}});
  return out;
}

json app_json(const Trace& t) {
  json out = json::array();
  for (const AppRecord& r : t.app) {
    json e{{"conn", r.conn},
           {"at_us", r.at_us},
           {"endpoint", name_of(r.endpoint)},
           {"op", to_string(r.op)}};
    if (r.op == AppOp::Data || r.op == AppOp::Send) e["bytes"] = r.bytes;
    if (r.op == AppOp::Refused || !r.note.empty()) e["note"] = r.note;
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace fincheck
