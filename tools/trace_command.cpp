// fincheck trace: a packet capture read and its TCP segments grouped into
// connections. Judging each teardown against the model builds on this.
#include <array>
#include <cstdio>
#include <map>
#include <sstream>

#include "capture/connections.hpp"
#include "capture/frame.hpp"
#include "capture/reader.hpp"
#include "impl/duration.hpp"
#include "model/parameters.hpp"
#include "tools/commands.hpp"

namespace fincheck::cli {

namespace {

using namespace capture;

std::string endpoint_text(const Endpoint& e) {
  const std::string ip = address_text(e.ip);
  return (ip.find(':') != std::string::npos ? "[" + ip + "]" : ip) + ":" + std::to_string(e.port);
}

nlohmann::json pair(const auto& v) { return nlohmann::json::array({v[0], v[1]}); }

nlohmann::json connection_json(const Connection& c, std::int64_t origin_us) {
  return {{"id", c.id},
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
          {"ended", c.ended()}};
}

}  // namespace

int trace(const TraceCliOptions& o, std::ostream& out, std::ostream& err) {
  const auto profile = model::profile_named(o.profile);
  if (!profile) {
    err << "fincheck trace: error: --profile " << o.profile << ": rfc9293, linux or lwip\n";
    return exit_bad_input;
  }
  std::uint64_t frames = 0, segments = 0, out_of_order = 0;
  std::map<std::string, std::uint64_t> skipped;
  std::int64_t origin_us = -1, latest_us = 0;
  std::vector<Connection> connections;
  std::string link;
  std::size_t most_open = 0;
  try {
    CaptureReader reader(o.file);
    link = reader.link_type_name();
    // A connection that ended is kept while TIME-WAIT may still speak on it.
    ConnectionTable table(profile->time_wait(),
                          [&](const Connection& c) { connections.push_back(c); });
    while (const auto f = reader.next()) {
      ++frames;
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
    most_open = table.most_open();
  } catch (const CaptureError& e) {
    err << "fincheck trace: error: " << e.what() << '\n';
    return exit_bad_input;
  }
  if (origin_us < 0) origin_us = 0;
  if (o.json) {
    nlohmann::json j{{"file", o.file},
                     {"link_type", link},
                     {"frames", frames},
                     {"tcp_segments", segments},
                     {"skipped", skipped},
                     {"timestamps_out_of_order", out_of_order},
                     {"checksums", "not checked"},
                     {"most_open", most_open},
                     {"connections", nlohmann::json::array()}};
    for (const Connection& c : connections)
      j["connections"].push_back(connection_json(c, origin_us));
    out << j.dump() << '\n';
    return exit_ok;
  }
  std::uint64_t skipped_total = 0;
  std::string reasons;
  for (const auto& [why, n] : skipped) {
    skipped_total += n;
    reasons += (reasons.empty() ? "" : ", ") + std::to_string(n) + " " + why;
  }
  out << o.file << ": link type " << link << "; " << frames << " frames: " << segments
      << " TCP segments, " << skipped_total << " skipped"
      << (reasons.empty() ? "" : " (" + reasons + ")") << "; " << out_of_order
      << " timestamps out of order\n"
      << "checksums are not checked, as Wireshark does not by default (offloading leaves them "
         "unfilled on the sending host)\n"
      << connections.size() << " connection(s), at most " << most_open << " open at once\n\n";
  out << "   #  from                                    to                                       "
         "first (s)     last (s)  segments   FINs  RSTs  opened  ended\n";
  for (const Connection& c : connections) {
    char line[512];
    std::snprintf(
        line, sizeof line,
        "%4llu  %-38s  %-38s  %10.6f  %10.6f  %4llu/%-4llu  %u/%u   %u/%u   %-6s  %s\n",
        static_cast<unsigned long long>(c.id),
        (endpoint_text(c.a) + (c.incarnation > 1 ? " #" + std::to_string(c.incarnation) : ""))
            .c_str(),
        endpoint_text(c.b).c_str(), (c.first_us - origin_us) / 1e6, (c.last_us - origin_us) / 1e6,
        static_cast<unsigned long long>(c.segments[0]),
        static_cast<unsigned long long>(c.segments[1]), c.fins[0], c.fins[1], c.rsts[0], c.rsts[1],
        c.handshake_seen ? "SYN" : "mid", c.ended() ? "yes" : "no");
    out << line;
  }
  return exit_ok;
}

}  // namespace fincheck::cli
