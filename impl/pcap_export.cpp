#include "impl/pcap_export.hpp"

#include <pcap/pcap.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>

#include "impl/wire.hpp"

namespace fincheck {

namespace {

class Dumper {
 public:
  explicit Dumper(const std::string& path)
      : pcap_(pcap_open_dead(DLT_RAW, 65535), pcap_close), path_(path) {
    if (!pcap_) throw std::runtime_error(path + ": libpcap could not start a capture");
    dumper_ = pcap_dump_open(pcap_.get(), path.c_str());
    if (!dumper_) throw std::runtime_error(path + ": " + pcap_geterr(pcap_.get()));
  }
  ~Dumper() {
    if (dumper_) pcap_dump_close(dumper_);
  }

  // What was written reaches the file, or the reason it did not is thrown.
  void finish() {
    const bool flushed = pcap_dump_flush(dumper_) == 0;
    const int saved = errno;
    std::FILE* f = pcap_dump_file(dumper_);
    const bool ok = flushed && !std::ferror(f);
    pcap_dump_close(dumper_);
    dumper_ = nullptr;
    if (!ok) throw std::runtime_error("cannot write " + path_ + ": " + std::strerror(saved));
  }

  void write(std::int64_t at_us, const std::vector<std::uint8_t>& bytes) {
    pcap_pkthdr header{};
    header.ts.tv_sec = at_us / 1'000'000;
    header.ts.tv_usec = at_us % 1'000'000;
    header.caplen = header.len = static_cast<bpf_u_int32>(bytes.size());
    pcap_dump(reinterpret_cast<u_char*>(dumper_), &header, bytes.data());
  }

 private:
  std::unique_ptr<pcap_t, void (*)(pcap_t*)> pcap_;
  pcap_dumper_t* dumper_ = nullptr;
  std::string path_;
};

// Each segment's IP identification: its index in the trace, plus one, so a
// reader can match the two files and the JSON.
std::uint16_t ip_id(std::size_t index) { return static_cast<std::uint16_t>(index + 1); }

}  // namespace

PcapFiles pcap_paths(const std::string& path) {
  const std::string stem = path.ends_with(".pcap") ? path.substr(0, path.size() - 5) : path;
  return {path, stem + "-dropped.pcap"};
}

PcapFiles write_pcap(const Trace& trace, const std::string& path) {
  const PcapFiles files = pcap_paths(path);
  {
    Dumper arrivals(files.arrivals);
    for (const ArrivalRecord& a : trace.arrivals) {
      const SegmentRecord& r = trace.segments[a.segment];
      arrivals.write(a.at_us, encode(to_wire(r.from, r.seg, ip_id(a.segment))));
    }
    arrivals.finish();
  }
  Dumper dropped(files.dropped);
  for (std::size_t i = 0; i < trace.segments.size(); ++i) {
    const SegmentRecord& r = trace.segments[i];
    if (r.fate == Fate::Dropped) dropped.write(r.sent_us, encode(to_wire(r.from, r.seg, ip_id(i))));
  }
  dropped.finish();
  return files;
}

}  // namespace fincheck
