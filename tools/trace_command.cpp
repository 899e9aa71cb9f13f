// fincheck trace: a packet capture read, its TCP segments grouped into
// connections, and each connection's teardown judged by the model-driven
// observer (properties/observer.hpp) as the table hands it on.
#include <array>
#include <cstdio>
#include <filesystem>
#include <map>
#include <sstream>

#include "capture/connections.hpp"
#include "capture/frame.hpp"
#include "capture/reader.hpp"
#include "impl/duration.hpp"
#include "impl/ladder.hpp"
#include "impl/output_file.hpp"
#include "impl/scenario_io.hpp"
#include "model/machine.hpp"
#include "model/parameters.hpp"
#include "properties/capture_observer.hpp"
#include "properties/observer.hpp"
#include "properties/run_report.hpp"
#include "tools/commands.hpp"
#include "tools/progress.hpp"

namespace fincheck::cli {

namespace {

using namespace capture;

// What the model made of one connection.
struct Judgement {
  const ConnectionObserver* observer = nullptr;
  std::vector<Verdict> verdicts;  // the invariants a capture can judge
  std::string saved;              // the scenario written for it, if any
  bool judged() const { return observer && observer->started(); }
  bool diverged() const { return judged() && observer->divergence().has_value(); }
  bool broken() const {
    return std::any_of(verdicts.begin(), verdicts.end(),
                       [](const Verdict& v) { return !v.holds(); });
  }
  std::string word() const {
    return !judged() ? "unjudged" : diverged() ? "DIVERGED" : broken() ? "VIOLATED" : "allowed";
  }
};

std::string endpoint_text(const capture::Endpoint& e) {
  const std::string ip = address_text(e.ip);
  return (ip.find(':') != std::string::npos ? "[" + ip + "]" : ip) + ":" + std::to_string(e.port);
}

nlohmann::json pair(const auto& v) { return nlohmann::json::array({v[0], v[1]}); }

std::string side_name(int side) { return side == 0 ? "a" : "b"; }

// Seconds, or null when the wire never showed it.
nlohmann::json seconds_or_null(const std::optional<std::int64_t>& us) {
  return us ? nlohmann::json(*us / 1e6) : nlohmann::json(nullptr);
}

std::optional<std::int64_t> fin_ack_delay(const Connection& c, int side) {
  if (!c.fin_at_us[side] || !c.fin_acked_at_us[side]) return std::nullopt;
  return *c.fin_acked_at_us[side] - *c.fin_at_us[side];
}

// From the first FIN to the connection's last segment.
std::optional<std::int64_t> close_time(const Connection& c) {
  const auto active = c.active();
  if (!active) return std::nullopt;
  return c.last_us - c.fin_at_us[*active].value_or(c.last_us);
}

nlohmann::json retransmissions_json(const Connection& c, int side) {
  nlohmann::json out = nlohmann::json::array();
  for (const std::int64_t t : c.fin_copies_us[side]) out.push_back((t - *c.fin_at_us[side]) / 1e6);
  return out;
}

// Which ends the model took into TIME-WAIT.
nlohmann::json time_wait_json(const Trace& t) {
  nlohmann::json out = nlohmann::json::array();
  for (Side side : {Side::A, Side::B})
    if (std::any_of(t.steps.begin(), t.steps.end(), [&](const StepRecord& s) {
          return s.endpoint == side && s.to == model::State::TimeWait;
        }))
      out.push_back(name_of(side));
  return out;
}

// What made each RST the capture shows, in the model's words: the step of
// its sender's model logged last before it (the row whose action sent it).
struct RstCause {
  Side side;
  std::int64_t at_us;
  const StepRecord* step;  // null: an abort the application asked for
};
std::vector<RstCause> rst_causes(const Trace& t) {
  std::vector<RstCause> out;
  for (std::size_t k = 0; k < t.log.size(); ++k) {
    if (t.log[k].kind != LogEntry::Kind::Sent) continue;
    const SegmentRecord& r = t.segments[t.log[k].index];
    if (!r.seg.flags.rst) continue;
    const StepRecord* step = nullptr;
    for (std::size_t i = k; i-- > 0 && !step;)
      if (t.log[i].kind == LogEntry::Kind::Step && t.steps[t.log[i].index].endpoint == r.from)
        step = &t.steps[t.log[i].index];
    out.push_back({r.from, r.sent_us, step});
  }
  return out;
}

std::string cause_text(const RstCause& c) {
  if (!c.step) return "no step of the model";
  return std::string(c.step->cause) + " in " + std::string(model::to_string(c.step->from)) +
         (c.step->row >= 0 ? ", row " + std::to_string(c.step->row) : "");
}

nlohmann::json judgement_json(const Judgement& j) {
  if (!j.judged()) return {{"verdict", j.word()}};
  const ConnectionObserver& o = *j.observer;
  nlohmann::json divergence = nullptr;
  if (const auto& d = o.divergence())
    divergence = {{"kind", d->kind},          {"frame", d->frame},
                  {"at_s", d->at_us / 1e6},   {"side", name_of(d->side)},
                  {"segment", d->segment},    {"message", d->message},
                  {"state", model::to_string(d->state)}, {"row", d->row}};
  nlohmann::json invariants = nlohmann::json::object();
  nlohmann::json violations = nlohmann::json::array();
  for (const Verdict& v : j.verdicts) {
    invariants[std::string(v.id)] = !v.applicable ? "vacuous" : v.holds() ? "holds" : "fails";
    for (const Violation& x : v.violations)
      violations.push_back({{"invariant", x.property}, {"at_s", x.at_us / 1e6},
                            {"message", x.message}});
  }
  const Trace& t = o.trace();
  return {{"verdict", j.word()},
          {"vantage", to_string(o.vantage())},
          {"vantage_reason", o.vantage_reason()},
          {"configurations", o.most_configurations()},
          {"bounded", o.bounded()},
          {"divergence", divergence},
          {"invariants", invariants},
          {"violations", violations},
          {"model_time_wait", time_wait_json(t)},
          {"model_final_states", nlohmann::json::array({model::to_string(t.final_states[0]),
                                                        model::to_string(t.final_states[1])})},
          {"inferred", o.inferred()},
          {"retransmissions",
           [&] {
             nlohmann::json out = nlohmann::json::array();
             for (const RetransmissionTiming& r : o.retransmissions())
               out.push_back({{"side", name_of(r.side)},
                              {"frame", r.frame},
                              {"at_s", r.at_us / 1e6},
                              {"after_armed_s", r.after_armed_us / 1e6},
                              {"min_rto_s", r.floor_us / 1e6}});
             return out;
           }()},
          {"rst_causes",
           [&] {
             nlohmann::json out = nlohmann::json::array();
             for (const RstCause& c : rst_causes(t))
               out.push_back({{"side", name_of(c.side)},
                              {"at_s", c.at_us / 1e6},
                              {"event", c.step ? nlohmann::json(c.step->cause) : nullptr},
                              {"state", c.step ? nlohmann::json(model::to_string(c.step->from))
                                               : nullptr},
                              {"row", c.step ? c.step->row : -1}});
             return out;
           }()},
          {"unjudged_segments", o.unjudged()},
          {"row_hits", row_hits(t, model::reference_table().rows().size())},
          {"scenario", j.saved.empty() ? nlohmann::json(nullptr) : nlohmann::json(j.saved)}};
}

nlohmann::json connection_json(const Connection& c, std::int64_t origin_us,
                               std::int64_t time_wait_us, const Judgement& j) {
  const auto active = c.active();
  nlohmann::json out = {{"id", c.id},
          {"a", endpoint_text(c.a)},
          {"b", endpoint_text(c.b)},
          {"incarnation", c.incarnation},
          {"handshake_seen", c.handshake_seen},
          {"first_frame", c.first_frame},
          {"first_s", (c.first_us - origin_us) / 1e6},
          {"last_s", (c.last_us - origin_us) / 1e6},
          {"segments", pair(c.segments)},
          {"bytes", pair(c.bytes)},
          {"fins", pair(c.fins)},
          {"rsts", pair(c.rsts)},
          {"ended", c.ended()},
          {"active", !active            ? nlohmann::json(nullptr)
                     : c.simultaneous() ? nlohmann::json("both")
                                        : nlohmann::json(side_name(*active))},
          {"close_segments", c.close_segments},
          {"fin_ack_delay_s", nlohmann::json::array({seconds_or_null(fin_ack_delay(c, 0)),
                                                     seconds_or_null(fin_ack_delay(c, 1))})},
          {"fin_retransmissions_s",
           nlohmann::json::array({retransmissions_json(c, 0), retransmissions_json(c, 1)})},
          {"close_s", seconds_or_null(close_time(c))},
          {"every_fin_acked",
           (!c.fin_at_us[0] || c.fin_acked(0)) && (!c.fin_at_us[1] || c.fin_acked(1))},
          {"rst_after_close", c.rst_after_close ? nlohmann::json(side_name(*c.rst_after_close))
                                                : nlohmann::json(nullptr)},
          {"reused_after_s", seconds_or_null(c.reused_after_us)},
          {"reused_within_time_wait", c.reused_after_us && *c.reused_after_us < time_wait_us},
          {"reuse_timestamps_newer", c.reuse_timestamps_newer}};
  out["model"] = judgement_json(j);
  return out;
}

// What a person should look at in a connection, one line each.
std::vector<std::string> findings(const Connection& c, std::int64_t time_wait_us) {
  std::vector<std::string> out;
  for (int side : {0, 1})
    if (c.fin_at_us[side] && !c.fin_acked(side))
      out.push_back(side_name(side) + "'s FIN was never acknowledged on the wire");
  if (c.rst_after_close)
    out.push_back(side_name(*c.rst_after_close) +
                  " sent a RST after both FINs were acknowledged (a late segment met a closed "
                  "end, RFC 9293 §3.10.7.1)");
  if (c.reused_after_us && *c.reused_after_us < time_wait_us)
    out.push_back("the 4-tuple was reused " + format_seconds(*c.reused_after_us) +
                  " s after the previous incarnation's last segment, within TIME-WAIT (" +
                  format_seconds(time_wait_us) + " s)" +
                  (c.reuse_timestamps_newer
                       ? ": allowed by RFC 6191, its SYN's timestamp is newer"
                       : ": RFC 6191 allows it only with newer timestamps, and this SYN's "
                         "are not"));
  return out;
}

std::string ms(const std::optional<std::int64_t>& us) {
  if (!us) return "-";
  char b[32];
  std::snprintf(b, sizeof b, "%.3f", *us / 1e3);
  return b;
}

// What the model says of a connection that it does not allow: the
// divergence with the ladder up to it, broken invariants, the inferred calls.
void print_judgement(const Judgement& j, std::ostream& out) {
  if (!j.diverged() && !j.broken()) return;
  const ConnectionObserver& o = *j.observer;
  if (const auto& d = o.divergence())
    out << "      divergence (" << d->kind << ") at frame " << d->frame << ", "
        << format_seconds(d->at_us) << " s: " << name_of(d->side) << " sent " << d->segment
        << ": " << d->message << '\n';
  for (const Verdict& v : j.verdicts)
    for (const Violation& x : v.violations)
      out << "      " << x.property << " fails: " << x.message << '\n';
  out << "      vantage " << to_string(o.vantage()) << " (" << o.vantage_reason() << ")"
      << (o.bounded() ? "; bounded: not every explanation was kept" : "") << '\n';
  for (const std::string& call : o.inferred()) out << "      inferred " << call << '\n';
  std::istringstream ladder(render_ladder(o.trace(), model::reference_table().rows()));
  for (std::string line; std::getline(ladder, line);) out << "      " << line << '\n';
  if (!j.saved.empty()) out << "      saved: " << j.saved << "  (replay: fincheck run " << j.saved << ")\n";
}

// One connection as a row of the table, and what to look at under it.
void print_row(const Connection& c, std::int64_t origin_us, std::int64_t time_wait_us,
               const Judgement& j, std::ostream& out) {
  char line[640];
  std::snprintf(
      line, sizeof line,
      "%4llu  %-38s  %-38s %10.6f  %10.6f  %4llu/%-4llu %u/%u   %u/%u   %-6s  %5u  %-9s %-9s   "
      "%zu/%zu     %s\n",
      static_cast<unsigned long long>(c.id),
      (endpoint_text(c.a) + (c.incarnation > 1 ? " #" + std::to_string(c.incarnation) : ""))
          .c_str(),
      endpoint_text(c.b).c_str(), (c.first_us - origin_us) / 1e6, (c.last_us - origin_us) / 1e6,
      static_cast<unsigned long long>(c.segments[0]),
      static_cast<unsigned long long>(c.segments[1]), c.fins[0], c.fins[1], c.rsts[0], c.rsts[1],
      c.handshake_seen ? "SYN" : "mid", c.close_segments, ms(fin_ack_delay(c, 0)).c_str(),
      ms(fin_ack_delay(c, 1)).c_str(), c.fin_copies_us[0].size(), c.fin_copies_us[1].size(),
      j.word().c_str());
  out << line;
  for (const std::string& f : findings(c, time_wait_us)) out << "      " << f << '\n';
  if (c.rst_after_close && j.judged() && !j.diverged())
    for (const RstCause& cause : rst_causes(j.observer->trace()))
      out << "      the model's " << name_of(cause.side) << " sent its RST at "
          << format_seconds(cause.at_us) << " s on " << cause_text(cause) << '\n';
  print_judgement(j, out);
}

// A divergence or a broken invariant fails the capture.
int verdict_exit(const std::map<std::string, std::uint64_t>& verdicts) {
  return verdicts.count("DIVERGED") || verdicts.count("VIOLATED") ? exit_violation : exit_ok;
}

}  // namespace

int trace(const TraceCliOptions& o, std::ostream& out, std::ostream& err) {
  std::optional<model::Parameters> profile;
  try {
    profile = profile_or_file(o.profile);
  } catch (const std::exception& e) {
    err << "fincheck trace: error: --profile " << o.profile << ": " << e.what() << '\n';
    return exit_bad_input;
  }
  std::optional<Vantage> vantage;
  if (!o.vantage.empty() && !(vantage = vantage_named(o.vantage))) {
    err << "fincheck trace: error: --vantage " << o.vantage << ": a, b, path or both\n";
    return exit_bad_input;
  }
  if (o.bound < 1 || o.bound > 4096) {
    err << "fincheck trace: error: --bound " << o.bound << ": from 1 to 4096\n";
    return exit_bad_input;
  }
  if (!o.save.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(o.save, ec);
    if (ec) {
      err << "fincheck trace: error: --save " << o.save << ": " << ec.message() << '\n';
      return exit_bad_input;
    }
  }
  const std::int64_t time_wait_us = profile->time_wait();
  std::uint64_t frames = 0, segments = 0, out_of_order = 0, connections = 0;
  std::map<std::string, std::uint64_t> verdicts, vantages;
  std::uint64_t bounded = 0;
  std::map<std::string, std::uint64_t> skipped;
  std::int64_t origin_us = -1, latest_us = 0;
  std::string link;
  std::size_t most_open = 0;
  bool opened = false;  // the JSON object's start is written
  // Each connection is printed as it is handed on, never kept: the output
  // streams as the capture does.
  const auto emit = [&](const Connection& c) {
    Judgement j;
    ConnectionObserver& observer = observer_of(c);
    observer.finish();
    j.observer = &observer;
    if (j.judged()) {
      j.verdicts = observer.verdicts();
      ++vantages[std::string(to_string(observer.vantage()))];
      bounded += observer.bounded();
    }
    ++verdicts[j.word()];
    if (!o.save.empty() && (j.diverged() || j.broken())) {
      j.saved = (std::filesystem::path(o.save) / ("connection-" + std::to_string(c.id) + ".scn"))
                    .string();
      write_output_file(j.saved,
                      write_scenario(observer.scenario(),
                                     "connection " + std::to_string(c.id) + " of " + o.file +
                                         ": " + endpoint_text(c.a) + " to " + endpoint_text(c.b) +
                                         "\nthe application calls inferred from the capture, "
                                         "and the segments it took to be lost"));
    }
    if (o.json) {
      out << (connections ? "," : "") << connection_json(c, origin_us, time_wait_us, j).dump();
    } else {
      if (connections == 0)
        out << "   #  from                                    to                                "
               "     first (s)    last (s)  segments  FINs  RSTs  opened  close  FIN->ACK a, b "
               "(ms)    FIN resent\n";
      print_row(c, origin_us, time_wait_us, j, out);
    }
    ++connections;
  };
  // A connection that ended is kept while TIME-WAIT may still speak on it.
  ConnectionTable table(time_wait_us, emit, observer_sinks(*profile, vantage, {o.bound}));
  try {
    CaptureReader reader(o.file);
    link = reader.link_type_name();
    const std::uint64_t size = std::filesystem::file_size(o.file);
    ProgressLine progress(err, "KiB", o.progress, stderr_is_terminal());
    if (o.json) {
      out << "{\"connections\":[";
      opened = true;
    }
    while (const auto f = reader.next()) {
      if (++frames % 65'536 == 0)
        progress(static_cast<std::uint32_t>(f->offset / 1024),
                 static_cast<std::uint32_t>(size / 1024));
      if (origin_us < 0) origin_us = f->at_us;
      if (f->at_us < latest_us) ++out_of_order;
      latest_us = std::max(latest_us, f->at_us);
      const auto d = decode_frame(reader.link_type(), f->bytes);
      if (const auto* s = std::get_if<Skipped>(&d)) {
        ++skipped[std::string(to_string(s->why))];
        continue;
      }
      ++segments;
      table.add(f->at_us, f->number, std::get<TcpHeader>(d));
    }
    table.finish();
    progress.finish();
    most_open = table.most_open();
  } catch (const CaptureError& e) {
    // What was read before the damage is shown, and what was written stays
    // valid JSON; the exit code says it is cut short.
    table.finish();
    if (o.json && opened) out << "]}\n";
    err << "fincheck trace: error: " << e.what() << '\n';
    return exit_bad_input;
  }
  if (o.json) {
    nlohmann::json j{{"file", o.file},
                     {"link_type", link},
                     {"frames", frames},
                     {"tcp_segments", segments},
                     {"skipped", skipped},
                     {"timestamps_out_of_order", out_of_order},
                     {"checksums", "not checked"},
                     {"most_open", most_open},
                     {"profile", o.profile},
                     {"verdicts", verdicts},
                     {"vantages", vantages},
                     {"bounded", bounded},
                     {"bound", o.bound}};
    // The rest of the object, after the connections written as they came.
    const std::string rest = j.dump();
    out << "]," << rest.substr(1) << '\n';
    return verdict_exit(verdicts);
  }
  std::uint64_t skipped_total = 0;
  std::string reasons;
  for (const auto& [why, n] : skipped) {
    skipped_total += n;
    reasons += (reasons.empty() ? "" : ", ") + std::to_string(n) + " " + why;
  }
  out << (connections ? "\n" : "") << o.file << ": link type " << link << "; " << frames
      << " frames: " << segments << " TCP segments, " << skipped_total << " skipped"
      << (reasons.empty() ? "" : " (" + reasons + ")") << "; " << out_of_order
      << " timestamps out of order\n"
      << "checksums are not checked, as Wireshark does not by default (offloading leaves them "
         "unfilled on the sending host)\n"
      << connections << " connection(s), at most " << most_open << " open at once\n"
      << "model (profile " << o.profile << "):";
  for (const auto& [word, n] : verdicts) out << " " << n << " " << word;
  out << "; vantage";
  for (const auto& [where, n] : vantages) out << " " << where << " " << n;
  if (bounded)
    out << "; " << bounded << " bounded at " << o.bound
        << " explanations (--bound): not every explanation was tried";
  out << '\n';
  return verdict_exit(verdicts);
}

}  // namespace fincheck::cli
