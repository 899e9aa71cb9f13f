#include "capture/reader.hpp"

#include <pcap/pcap.h>

#include <cstdio>

#include "capture/frame.hpp"

namespace fincheck::capture {

struct CaptureReader::Handle {
  pcap_t* pcap = nullptr;
  ~Handle() {
    if (pcap) pcap_close(pcap);
  }
};

CaptureReader::CaptureReader(const std::string& path) : path_(path), handle_(new Handle) {
  char error[PCAP_ERRBUF_SIZE] = {};
  handle_->pcap =
      pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_MICRO, error);
  if (!handle_->pcap)
    throw CaptureError(path + ": not a capture fincheck can read (pcap or pcapng): " + error);
  link_type_ = pcap_datalink(handle_->pcap);
  if (!link_type_supported(link_type_))
    throw CaptureError(path + ": link type " + link_type_name() +
                       " is not read (Ethernet, raw IP, Linux cooked v1/v2, BSD loopback are)");
}

CaptureReader::~CaptureReader() = default;

std::string CaptureReader::link_type_name() const {
  const char* name = pcap_datalink_val_to_name(link_type_);
  return (name ? std::string(name) : "DLT " + std::to_string(link_type_));
}

std::optional<Frame> CaptureReader::next() {
  // Where this record starts: the offset a damaged one is reported at.
  FILE* file = pcap_file(handle_->pcap);
  const long offset = file ? std::ftell(file) : -1;
  pcap_pkthdr* header = nullptr;
  const u_char* data = nullptr;
  const int r = pcap_next_ex(handle_->pcap, &header, &data);
  if (r == PCAP_ERROR_BREAK) return std::nullopt;
  if (r != 1)
    throw CaptureError(path_ + ": byte " + std::to_string(offset) + " (frame " +
                       std::to_string(number_ + 1) +
                       "): the capture is damaged: " + pcap_geterr(handle_->pcap));
  Frame f;
  f.number = ++number_;
  f.offset = offset;
  f.at_us = static_cast<std::int64_t>(header->ts.tv_sec) * 1'000'000 + header->ts.tv_usec;
  f.wire_length = header->len;
  f.bytes = {data, header->caplen};
  return f;
}

}  // namespace fincheck::capture
