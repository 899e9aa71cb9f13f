#pragma once
// A capture file read a frame at a time through libpcap: pcap (micro- and
// nanosecond) and pcapng, as Wireshark and tcpdump write them. Nothing is
// kept but the frame at hand, so a capture of any size streams.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>

namespace fincheck::capture {

// A file that is no capture, or a damaged one: the message names the file
// and the byte offset of the record that could not be read.
class CaptureError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Frame {
  std::uint64_t number = 0;  // from 1, as Wireshark counts
  std::int64_t offset = 0;   // of its record in the file
  std::int64_t at_us = 0;    // capture timestamp, microseconds since the epoch
  std::uint32_t wire_length = 0;
  std::span<const std::uint8_t> bytes;  // as captured (at most the snapshot length)
};

class CaptureReader {
 public:
  // Throws CaptureError: the file cannot be opened, is no capture, or has a
  // link type decode_frame() does not read.
  explicit CaptureReader(const std::string& path);
  ~CaptureReader();
  CaptureReader(const CaptureReader&) = delete;
  CaptureReader& operator=(const CaptureReader&) = delete;

  int link_type() const { return link_type_; }
  std::string link_type_name() const;
  // The next frame, valid until the next call; nullopt at the end. Throws
  // CaptureError for a record that cannot be read.
  std::optional<Frame> next();

 private:
  std::string path_;
  struct Handle;
  std::unique_ptr<Handle> handle_;
  int link_type_ = 0;
  std::uint64_t number_ = 0;
  // Offsets counted rather than asked of the file (see next()).
  bool counted_ = false;
  long next_offset_ = 0;
};

}  // namespace fincheck::capture
