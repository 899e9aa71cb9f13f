#include "capture/reader.hpp"

#include <pcap/pcap.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "capture/frame.hpp"

namespace fincheck::capture {

struct CaptureReader::Handle {
  pcap_t* pcap = nullptr;
  std::FILE* file = nullptr;  // pcap_close() closes it once pcap holds it
  ~Handle() {
    if (pcap)
      pcap_close(pcap);
    else if (file)
      std::fclose(file);
  }
};

CaptureReader::CaptureReader(const std::string& path) : path_(path), handle_(new Handle) {
  char error[PCAP_ERRBUF_SIZE] = {};
  handle_->file = std::fopen(path.c_str(), "rb");
  if (!handle_->file) throw CaptureError(path + ": cannot open: " + std::strerror(errno));
  // A megabyte at a time: stdio's 4 KiB made reading a system call per
  // hundred frames (bench/capture_bench: a third of the time in the kernel).
  std::setvbuf(handle_->file, nullptr, _IOFBF, 1 << 20);
  handle_->pcap =
      pcap_fopen_offline_with_tstamp_precision(handle_->file, PCAP_TSTAMP_PRECISION_MICRO, error);
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
  // ftell() is a system call (lseek) -- four fifths of reading, measured --
  // so where the first frame shows records to be a 16-byte header and the
  // frame (pcap), later offsets are counted instead of asked.
  FILE* file = pcap_file(handle_->pcap);
  const long offset = counted_ ? next_offset_ : (file ? std::ftell(file) : -1);
  pcap_pkthdr* header = nullptr;
  const u_char* data = nullptr;
  const int r = pcap_next_ex(handle_->pcap, &header, &data);
  if (r == PCAP_ERROR_BREAK) return std::nullopt;
  if (r != 1)
    throw CaptureError(path_ + ": byte " + std::to_string(offset) + " (frame " +
                       std::to_string(number_ + 1) +
                       "): the capture is damaged: " + pcap_geterr(handle_->pcap));
  if (number_ == 0 && file)
    counted_ = std::ftell(file) == offset + 16 + static_cast<long>(header->caplen);
  next_offset_ = offset + 16 + static_cast<long>(header->caplen);
  Frame f;
  f.number = ++number_;
  f.offset = offset;
  f.at_us = static_cast<std::int64_t>(header->ts.tv_sec) * 1'000'000 + header->ts.tv_usec;
  f.wire_length = header->len;
  f.bytes = {data, header->caplen};
  return f;
}

}  // namespace fincheck::capture
