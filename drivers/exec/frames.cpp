#include "drivers/exec/frames.hpp"

#include <algorithm>
#include <string_view>

namespace fincheck::exec {

namespace {

constexpr std::string_view known_types = "HOPCTXADE";

}  // namespace

void put_u32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}

void put_i64(std::vector<std::uint8_t>& out, std::int64_t v) {
  const auto u = static_cast<std::uint64_t>(v);
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(u >> shift));
}

std::uint32_t get_u32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         p[3];
}

std::int64_t get_i64(const std::uint8_t* p) {
  std::uint64_t u = 0;
  for (int i = 0; i < 8; ++i) u = (u << 8) | p[i];
  return static_cast<std::int64_t>(u);
}

std::vector<std::uint8_t> encode_frame(const Frame& f) {
  std::vector<std::uint8_t> out;
  out.reserve(header_bytes + f.payload.size());
  out.push_back(static_cast<std::uint8_t>(f.type));
  put_u32(out, f.handle);
  put_i64(out, f.time_us);
  put_u32(out, static_cast<std::uint32_t>(f.payload.size()));
  out.insert(out.end(), f.payload.begin(), f.payload.end());
  return out;
}

std::uint8_t state_code(std::optional<model::State> s) {
  return s ? static_cast<std::uint8_t>(static_cast<int>(*s) + 1) : 0;
}

std::optional<model::State> state_from_code(std::uint8_t code) {
  if (code == 0 || code > model::all_states.size()) return std::nullopt;
  return static_cast<model::State>(code - 1);
}

void FrameReader::feed(std::span<const std::uint8_t> bytes) {
  if (start_ > 0 && start_ == buffer_.size()) {
    buffer_.clear();
    start_ = 0;
  }
  buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
}

std::variant<std::optional<Frame>, std::string> FrameReader::next() {
  const std::size_t have = buffer_.size() - start_;
  if (have < header_bytes) return std::optional<Frame>{};
  const std::uint8_t* h = buffer_.data() + start_;
  if (known_types.find(static_cast<char>(h[0])) == std::string_view::npos)
    return "byte " + std::to_string(consumed_) + ": unknown frame type " + std::to_string(h[0]);
  const std::uint32_t length = get_u32(h + 13);
  if (length > max_payload)
    return "byte " + std::to_string(consumed_ + 13) + ": a payload of " + std::to_string(length) +
           " bytes (at most " + std::to_string(max_payload) + ")";
  if (have < header_bytes + length) return std::optional<Frame>{};
  Frame f;
  f.type = static_cast<FrameType>(h[0]);
  f.handle = get_u32(h + 1);
  f.time_us = get_i64(h + 5);
  f.payload.assign(h + header_bytes, h + header_bytes + length);
  start_ += header_bytes + length;
  consumed_ += header_bytes + length;
  return std::optional<Frame>{std::move(f)};
}

std::vector<std::uint8_t> encode_done(const Done& d) {
  std::vector<std::uint8_t> out{state_code(d.state)};
  put_i64(out, d.next_deadline_us.value_or(-1));
  put_u32(out, d.iss);
  return out;
}

std::variant<Done, std::string> decode_done(std::span<const std::uint8_t> payload) {
  if (payload.size() != 13)
    return "a Done payload of " + std::to_string(payload.size()) +
           " bytes (13: state, deadline, ISS)";
  if (payload[0] > model::all_states.size())
    return "payload byte 0: state code " + std::to_string(payload[0]) + " (0 to 8)";
  Done d;
  d.state = state_from_code(payload[0]);
  const std::int64_t deadline = get_i64(payload.data() + 1);
  if (deadline < -1) return "payload byte 1: next deadline " + std::to_string(deadline);
  if (deadline >= 0) d.next_deadline_us = deadline;
  d.iss = get_u32(payload.data() + 9);
  return d;
}

}  // namespace fincheck::exec
