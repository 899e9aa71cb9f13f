#include "capture/frame.hpp"

#include <pcap/dlt.h>

#include <algorithm>
#include <cstdio>

namespace fincheck::capture {

namespace {

// libpcap's DLT_ values, as pcap_datalink() gives a file's link type
// (LINKTYPE_RAW 101 in the file is DLT_RAW here).
constexpr int linktype_null = DLT_NULL, linktype_ethernet = DLT_EN10MB, linktype_raw = DLT_RAW,
              linktype_loop = DLT_LOOP, linktype_linux_sll = DLT_LINUX_SLL,
              linktype_ipv4 = DLT_IPV4, linktype_ipv6 = DLT_IPV6,
              linktype_linux_sll2 = DLT_LINUX_SLL2;

constexpr std::uint16_t ethertype_ipv4 = 0x0800, ethertype_ipv6 = 0x86DD, ethertype_vlan = 0x8100,
                        ethertype_qinq = 0x88A8;
constexpr std::uint8_t protocol_tcp = 6;

class Bytes {
 public:
  explicit Bytes(std::span<const std::uint8_t> b) : b_(b) {}
  bool has(std::size_t at, std::size_t n) const { return at <= b_.size() && n <= b_.size() - at; }
  std::uint8_t u8(std::size_t at) const { return b_[at]; }
  std::uint16_t be16(std::size_t at) const {
    return static_cast<std::uint16_t>(b_[at] << 8 | b_[at + 1]);
  }
  std::uint16_t le16(std::size_t at) const {
    return static_cast<std::uint16_t>(b_[at + 1] << 8 | b_[at]);
  }
  std::uint32_t be32(std::size_t at) const {
    return std::uint32_t{b_[at]} << 24 | std::uint32_t{b_[at + 1]} << 16 |
           std::uint32_t{b_[at + 2]} << 8 | b_[at + 3];
  }
  std::uint32_t le32(std::size_t at) const {
    return std::uint32_t{b_[at + 3]} << 24 | std::uint32_t{b_[at + 2]} << 16 |
           std::uint32_t{b_[at + 1]} << 8 | b_[at];
  }
  std::size_t size() const { return b_.size(); }

 private:
  std::span<const std::uint8_t> b_;
};

using Result = std::variant<TcpHeader, Skipped>;

// At `at`, or at the end of the frame if that lies before it.
Result skipped(Skip why, std::size_t at, const Bytes& b) {
  return Skipped{why, std::min(at, b.size())};
}

// The TCP header at `at`, carrying `length` bytes of IP payload.
Result tcp(const Bytes& b, std::size_t at, std::size_t length, TcpHeader h) {
  if (!b.has(at, 20)) return skipped(Skip::Truncated, at, b);
  const std::size_t header = static_cast<std::size_t>(b.u8(at + 12) >> 4) * 4;
  if (header < 20 || header > length) return skipped(Skip::Malformed, at + 12, b);
  h.src_port = b.be16(at);
  h.dst_port = b.be16(at + 2);
  h.seq = b.be32(at + 4);
  h.ack = b.be32(at + 8);
  h.flags = b.u8(at + 13);
  h.window = b.be16(at + 14);
  h.payload = static_cast<std::uint32_t>(length - header);
  // The timestamps option (RFC 7323 §3, kind 8, 10 bytes), if the options
  // were captured; any other option is stepped over by its length.
  const std::size_t end = std::min(at + header, b.size());
  for (std::size_t o = at + 20; o < end;) {
    const std::uint8_t kind = b.u8(o);
    if (kind == 0) break;
    if (kind == 1 || o + 1 >= end) {
      ++o;
      continue;
    }
    const std::size_t len = b.u8(o + 1);
    if (len < 2 || o + len > end) break;
    if (kind == 8 && len == 10) h.tsval = b.be32(o + 2);
    o += len;
  }
  return h;
}

Result ipv4(const Bytes& b, std::size_t at) {
  if (!b.has(at, 20)) return skipped(Skip::Truncated, at, b);
  if (b.u8(at) >> 4 != 4) return skipped(Skip::Malformed, at, b);
  const std::size_t header = static_cast<std::size_t>(b.u8(at) & 0x0F) * 4;
  const std::size_t total = b.be16(at + 2);
  if (header < 20 || total < header) return skipped(Skip::Malformed, header < 20 ? at : at + 2, b);
  // More fragments, or an offset: a piece of a datagram.
  if ((b.be16(at + 6) & 0x3FFF) != 0) return skipped(Skip::Fragment, at + 6, b);
  if (b.u8(at + 9) != protocol_tcp) return skipped(Skip::NotTcp, at + 9, b);
  TcpHeader h;
  h.src[10] = h.src[11] = h.dst[10] = h.dst[11] = 0xFF;
  for (int i = 0; i < 4; ++i) {
    h.src[12 + i] = b.u8(at + 12 + i);
    h.dst[12 + i] = b.u8(at + 16 + i);
  }
  return tcp(b, at + header, total - header, h);
}

Result ipv6(const Bytes& b, std::size_t at) {
  if (!b.has(at, 40)) return skipped(Skip::Truncated, at, b);
  if (b.u8(at) >> 4 != 6) return skipped(Skip::Malformed, at, b);
  std::size_t length = b.be16(at + 4);
  std::uint8_t next = b.u8(at + 6);
  TcpHeader h;
  h.ipv6 = true;
  for (int i = 0; i < 16; ++i) {
    h.src[i] = b.u8(at + 8 + i);
    h.dst[i] = b.u8(at + 24 + i);
  }
  std::size_t p = at + 40;
  // Extension headers (RFC 8200 §4): hop-by-hop, routing, destination
  // options are skipped; a fragment header is a fragment.
  for (int hops = 0; hops < 8; ++hops) {
    if (next == protocol_tcp) return tcp(b, p, length, h);
    if (next == 44) return skipped(Skip::Fragment, p, b);
    if (next != 0 && next != 43 && next != 60) return skipped(Skip::NotTcp, at + 6, b);
    if (!b.has(p, 8)) return skipped(Skip::Truncated, p, b);
    const std::size_t size = (std::size_t{b.u8(p + 1)} + 1) * 8;
    if (size > length) return skipped(Skip::Malformed, p + 1, b);
    next = b.u8(p);
    p += size;
    length -= size;
  }
  return skipped(Skip::Malformed, p, b);
}

Result ip_by_version(const Bytes& b, std::size_t at) {
  if (!b.has(at, 1)) return skipped(Skip::Truncated, at, b);
  const int version = b.u8(at) >> 4;
  if (version == 4) return ipv4(b, at);
  if (version == 6) return ipv6(b, at);
  return skipped(Skip::NotIp, at, b);
}

Result by_ethertype(const Bytes& b, std::uint16_t type, std::size_t at) {
  if (type == ethertype_ipv4) return ipv4(b, at);
  if (type == ethertype_ipv6) return ipv6(b, at);
  return skipped(Skip::NotIp, at >= 2 ? at - 2 : 0, b);
}

}  // namespace

std::string_view to_string(Skip s) {
  switch (s) {
    case Skip::NotIp:
      return "not IP";
    case Skip::NotTcp:
      return "not TCP";
    case Skip::Fragment:
      return "IP fragment";
    case Skip::Truncated:
      return "truncated by the snapshot length";
    case Skip::Malformed:
      return "malformed header";
  }
  return "?";
}

bool link_type_supported(int t) {
  return t == linktype_null || t == linktype_ethernet || t == linktype_raw || t == linktype_loop ||
         t == linktype_linux_sll || t == linktype_ipv4 || t == linktype_ipv6 ||
         t == linktype_linux_sll2;
}

std::variant<TcpHeader, Skipped> decode_frame(int link_type, std::span<const std::uint8_t> frame) {
  const Bytes b(frame);
  switch (link_type) {
    case linktype_raw:
      return ip_by_version(b, 0);
    case linktype_ipv4:
      return ipv4(b, 0);
    case linktype_ipv6:
      return ipv6(b, 0);
    case linktype_null:
    case linktype_loop: {
      // A 4-byte address family: host order for NULL, network order for
      // LOOP; 2 is AF_INET everywhere, AF_INET6 is 24, 28 or 30 by system.
      if (!b.has(0, 4)) return skipped(Skip::Truncated, 0, b);
      const std::uint32_t family = link_type == linktype_loop ? b.be32(0)
                                   : b.le32(0) <= 0xFFFF      ? b.le32(0)
                                                              : b.be32(0);
      if (family == 2) return ipv4(b, 4);
      if (family == 24 || family == 28 || family == 30) return ipv6(b, 4);
      return skipped(Skip::NotIp, 0, b);
    }
    case linktype_ethernet: {
      if (!b.has(0, 14)) return skipped(Skip::Truncated, 0, b);
      std::size_t at = 12;
      std::uint16_t type = b.be16(at);
      // 802.1Q and 802.1ad tags, stacked (QinQ): four bytes each.
      for (int tags = 0; (type == ethertype_vlan || type == ethertype_qinq) && tags < 4; ++tags) {
        if (!b.has(at + 4, 2)) return skipped(Skip::Truncated, at + 4, b);
        at += 4;
        type = b.be16(at);
      }
      return by_ethertype(b, type, at + 2);
    }
    case linktype_linux_sll:
      // 16 bytes; the protocol (an ethertype) in the last two.
      if (!b.has(0, 16)) return skipped(Skip::Truncated, 0, b);
      return by_ethertype(b, b.be16(14), 16);
    case linktype_linux_sll2:
      // 20 bytes; the protocol first.
      if (!b.has(0, 20)) return skipped(Skip::Truncated, 0, b);
      return by_ethertype(b, b.be16(0), 20);
    default:
      return skipped(Skip::NotIp, 0, b);
  }
}

std::string address_text(const Address& a) {
  char buf[64];
  static constexpr std::uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
  if (std::equal(a.begin(), a.begin() + 12, mapped)) {
    std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", a[12], a[13], a[14], a[15]);
    return buf;
  }
  // RFC 5952: lower case, no leading zeros, the longest run of zero groups
  // (two or more) as "::".
  std::uint16_t g[8];
  for (int i = 0; i < 8; ++i) g[i] = static_cast<std::uint16_t>(a[2 * i] << 8 | a[2 * i + 1]);
  int best = -1, best_len = 1;
  for (int i = 0; i < 8;) {
    int j = i;
    while (j < 8 && g[j] == 0) ++j;
    if (j - i > best_len) best = i, best_len = j - i;
    i = j == i ? i + 1 : j;
  }
  std::string out;
  for (int i = 0; i < 8; ++i) {
    if (i == best) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    std::snprintf(buf, sizeof buf, "%x", g[i]);
    out += buf;
  }
  return out;
}

}  // namespace fincheck::capture
