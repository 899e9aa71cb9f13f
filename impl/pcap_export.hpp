#pragma once
// A run as packet captures that Wireshark and `tcpdump -r` open: raw IPv4
// (DLT_RAW), virtual time as timestamps. The capture point is the receivers:
// `path` holds every copy that arrived, at its arrival time (a duplicate
// twice); dropped segments never reach a wire, so they go to a second file,
// `<path minus .pcap>-dropped.pcap`, at the time they were sent.
#include <string>

#include "impl/trace.hpp"

namespace fincheck {

struct PcapFiles {
  std::string arrivals;
  std::string dropped;
};

PcapFiles pcap_paths(const std::string& path);

// Writes both files; throws std::runtime_error naming the file on failure.
PcapFiles write_pcap(const Trace& trace, const std::string& path);

}  // namespace fincheck
