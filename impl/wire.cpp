#include "impl/wire.hpp"

#include <optional>

namespace fincheck {

namespace {

constexpr std::uint32_t ip_a = wire_address(Side::A).ip;
constexpr std::uint32_t ip_b = wire_address(Side::B).ip;
constexpr std::uint16_t port_a = wire_address(Side::A).port;
constexpr std::uint16_t port_b = wire_address(Side::B).port;

void put16(std::vector<std::uint8_t>& b, std::size_t at, std::uint16_t v) {
  b[at] = static_cast<std::uint8_t>(v >> 8);
  b[at + 1] = static_cast<std::uint8_t>(v);
}
void put32(std::vector<std::uint8_t>& b, std::size_t at, std::uint32_t v) {
  put16(b, at, static_cast<std::uint16_t>(v >> 16));
  put16(b, at + 2, static_cast<std::uint16_t>(v));
}
std::uint16_t get16(std::span<const std::uint8_t> b, std::size_t at) {
  return static_cast<std::uint16_t>((b[at] << 8) | b[at + 1]);
}
std::uint32_t get32(std::span<const std::uint8_t> b, std::size_t at) {
  return (static_cast<std::uint32_t>(get16(b, at)) << 16) | get16(b, at + 2);
}

// RFC 1071: the ones' complement of the ones' complement sum of 16-bit words.
std::uint32_t sum16(std::span<const std::uint8_t> b, std::uint32_t sum = 0) {
  for (std::size_t i = 0; i + 1 < b.size(); i += 2) sum += get16(b, i);
  if (b.size() % 2) sum += static_cast<std::uint32_t>(b.back()) << 8;
  return sum;
}
std::uint16_t fold(std::uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum);
}
// The TCP pseudo-header of RFC 9293 §3.1: source, destination, protocol, length.
std::uint32_t pseudo_header(std::uint32_t src, std::uint32_t dst, std::size_t tcp_length) {
  return (src >> 16) + (src & 0xFFFF) + (dst >> 16) + (dst & 0xFFFF) + 6 +
         static_cast<std::uint32_t>(tcp_length);
}

std::vector<std::uint8_t> encode_options(const TcpOptions& o) {
  std::vector<std::uint8_t> b;
  if (o.mss)
    b.insert(b.end(),
             {2, 4, static_cast<std::uint8_t>(o.mss >> 8), static_cast<std::uint8_t>(o.mss)});
  if (o.window_scale >= 0) b.insert(b.end(), {1, 3, 3, static_cast<std::uint8_t>(o.window_scale)});
  if (o.sack_permitted) b.insert(b.end(), {1, 1, 4, 2});
  if (o.timestamps) {
    b.insert(b.end(), {1, 1, 8, 10});
    for (std::uint32_t v : {o.ts_value, o.ts_echo})
      for (int shift = 24; shift >= 0; shift -= 8)
        b.push_back(static_cast<std::uint8_t>(v >> shift));
  }
  return b;  // a multiple of 4 by construction
}

}  // namespace

std::vector<std::uint8_t> encode(const WireSegment& s) {
  const auto options = encode_options(s.options);
  const std::size_t tcp_header = 20 + options.size();
  const std::size_t total = 20 + tcp_header + s.payload.size();
  std::vector<std::uint8_t> b(total, 0);
  b[0] = 0x45;  // version 4, IHL 5
  put16(b, 2, static_cast<std::uint16_t>(total));
  put16(b, 4, s.ip_id);
  put16(b, 6, 0x4000);  // DF, no fragment
  b[8] = s.ttl;
  b[9] = 6;
  put32(b, 12, s.src_ip);
  put32(b, 16, s.dst_ip);
  put16(b, 10, fold(sum16(std::span(b).first(20))));
  const std::size_t t = 20;
  put16(b, t, s.src_port);
  put16(b, t + 2, s.dst_port);
  put32(b, t + 4, s.seq);
  put32(b, t + 8, s.ack);
  b[t + 12] = static_cast<std::uint8_t>((tcp_header / 4) << 4);
  b[t + 13] = s.flags;
  put16(b, t + 14, s.window);
  put16(b, t + 18, s.urgent);
  std::copy(options.begin(), options.end(), b.begin() + t + 20);
  std::copy(s.payload.begin(), s.payload.end(),
            b.begin() + static_cast<std::ptrdiff_t>(t + tcp_header));
  const std::size_t tcp_length = total - t;
  put16(b, t + 16,
        fold(sum16(std::span(b).subspan(t), pseudo_header(s.src_ip, s.dst_ip, tcp_length))));
  return b;
}

std::variant<WireSegment, DecodeError> decode(std::span<const std::uint8_t> b) {
  auto error = [](WireError k, std::size_t at, std::string m) {
    return DecodeError{k, at, std::move(m) + " at byte " + std::to_string(at)};
  };
  if (b.size() < 20) return error(WireError::Truncated, b.size(), "IPv4 header cut short");
  if ((b[0] >> 4) != 4)
    return error(WireError::NotIpv4, 0, "IP version " + std::to_string(b[0] >> 4) + ", not 4");
  const std::size_t ihl = (b[0] & 0x0F) * 4U;
  if (ihl < 20 || ihl > b.size())
    return error(WireError::BadIpHeaderLength, 0, "IPv4 header length " + std::to_string(ihl));
  const std::size_t total = get16(b, 2);
  if (total < ihl || total > b.size())
    return error(WireError::BadTotalLength, 2,
                 "IPv4 total length " + std::to_string(total) + " for " + std::to_string(b.size()) +
                     " bytes");
  if (fold(sum16(b.first(ihl))) != 0)
    return error(WireError::BadIpChecksum, 10, "bad IPv4 checksum");
  const std::uint16_t frag = get16(b, 6);
  if ((frag & 0x2000) || (frag & 0x1FFF))
    return error(WireError::Fragment, 6, "IPv4 fragment (not reassembled)");
  if (b[9] != 6)
    return error(WireError::NotTcp, 9, "IP protocol " + std::to_string(b[9]) + ", not TCP");
  WireSegment s;
  s.ip_id = get16(b, 4);
  s.ttl = b[8];
  s.src_ip = get32(b, 12);
  s.dst_ip = get32(b, 16);
  const auto tcp = b.subspan(ihl, total - ihl);
  if (tcp.size() < 20) return error(WireError::Truncated, ihl + tcp.size(), "TCP header cut short");
  const std::size_t data_offset = (tcp[12] >> 4) * 4U;
  if (data_offset < 20 || data_offset > tcp.size())
    return error(WireError::BadTcpHeaderLength, ihl + 12,
                 "TCP data offset " + std::to_string(data_offset));
  if (fold(sum16(tcp, pseudo_header(s.src_ip, s.dst_ip, tcp.size()))) != 0)
    return error(WireError::BadTcpChecksum, ihl + 16, "bad TCP checksum");
  s.src_port = get16(tcp, 0);
  s.dst_port = get16(tcp, 2);
  s.seq = get32(tcp, 4);
  s.ack = get32(tcp, 8);
  s.flags = tcp[13];
  s.window = get16(tcp, 14);
  s.urgent = get16(tcp, 18);
  for (std::size_t i = 20; i < data_offset;) {
    const std::uint8_t kind = tcp[i];
    if (kind == 0) break;  // end of option list
    if (kind == 1) {
      ++i;
      continue;
    }
    if (i + 1 >= data_offset || tcp[i + 1] < 2 || i + tcp[i + 1] > data_offset)
      return error(WireError::BadOption, ihl + i,
                   "TCP option " + std::to_string(kind) + " runs past the header");
    const std::uint8_t len = tcp[i + 1];
    const auto want = [&](std::uint8_t n) { return len == n; };
    if ((kind == 2 && !want(4)) || (kind == 3 && !want(3)) || (kind == 4 && !want(2)) ||
        (kind == 8 && !want(10)))
      return error(WireError::BadOption, ihl + i + 1,
                   "TCP option " + std::to_string(kind) + " with length " + std::to_string(len));
    if (kind == 2) s.options.mss = get16(tcp, i + 2);
    if (kind == 3) s.options.window_scale = tcp[i + 2];
    if (kind == 4) s.options.sack_permitted = true;
    if (kind == 8) {
      s.options.timestamps = true;
      s.options.ts_value = get32(tcp, i + 2);
      s.options.ts_echo = get32(tcp, i + 6);
    }
    i += len;  // other kinds are skipped by their length
  }
  s.payload.assign(tcp.begin() + static_cast<std::ptrdiff_t>(data_offset), tcp.end());
  return s;
}

WireSegment to_wire(Side from, const Segment& seg, std::uint16_t ip_id) {
  WireSegment w;
  const bool a = from == Side::A;
  w.src_ip = a ? ip_a : ip_b;
  w.dst_ip = a ? ip_b : ip_a;
  w.src_port = a ? port_a : port_b;
  w.dst_port = a ? port_b : port_a;
  w.ip_id = ip_id;
  w.seq = seg.seq.raw();
  w.ack = seg.ack.raw();
  w.flags = static_cast<std::uint8_t>(
      (seg.flags.fin ? tcp_flag::fin : 0) | (seg.flags.rst ? tcp_flag::rst : 0) |
      (seg.flags.psh ? tcp_flag::psh : 0) | (seg.flags.ack ? tcp_flag::ack : 0));
  w.window = seg.flags.rst ? 0 : 65535;
  w.payload.assign(seg.len, 0);
  for (std::uint32_t i = 0; i < seg.len; ++i)
    w.payload[i] = static_cast<std::uint8_t>('a' + i % 26);
  return w;
}

std::optional<std::pair<Side, Segment>> from_wire(const WireSegment& w) {
  Side from;
  if (w.src_ip == ip_a && w.dst_ip == ip_b && w.src_port == port_a && w.dst_port == port_b)
    from = Side::A;
  else if (w.src_ip == ip_b && w.dst_ip == ip_a && w.src_port == port_b && w.dst_port == port_a)
    from = Side::B;
  else
    return std::nullopt;
  Segment seg;
  seg.seq = Seq(w.seq);
  seg.ack = Seq(w.ack);
  seg.len = static_cast<std::uint32_t>(w.payload.size());
  seg.flags = Flags{.fin = (w.flags & tcp_flag::fin) != 0,
                    .ack = (w.flags & tcp_flag::ack) != 0,
                    .rst = (w.flags & tcp_flag::rst) != 0,
                    .psh = (w.flags & tcp_flag::psh) != 0};
  return std::pair{from, seg};
}

}  // namespace fincheck
