// The capture observer: the first byte picks the vantage, the bound and
// the profile; every 8 bytes after it are one segment (who, flags, time
// step, sequence and acknowledgment offsets, length) near 2^32, so that
// numbers wrap. Any capture is judged without a crash or a hang, keeps at
// most the bound of explanations, and a divergent connection's scenario
// is one `run` reads back.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "impl/scenario_io.hpp"
#include "properties/observer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace fincheck;
  if (size == 0) return 0;
  static constexpr Vantage vantages[] = {Vantage::A, Vantage::B, Vantage::Path, Vantage::Both};
  static constexpr const char* profiles[] = {"rfc9293", "linux", "lwip"};
  const std::optional<Vantage> vantage =
      (data[0] & 4) ? std::nullopt : std::optional(vantages[data[0] & 3]);
  const std::size_t bound = 1 + ((data[0] >> 3) & 7);
  ConnectionObserver o(*model::profile_named(profiles[(data[0] >> 6) % 3]), vantage,
                       ObserverBounds{bound});
  constexpr std::uint32_t base_a = 0xFFFFFF00, base_b = 0x7FFFFFF0;
  std::int64_t at_us = 0;
  std::uint64_t frame = 0;
  for (std::size_t i = 1; i + 8 <= size; i += 8) {
    const std::uint8_t* r = data + i;
    ObservedSegment s;
    s.from = (r[0] & 1) ? Side::B : Side::A;
    s.syn = (r[0] & 2) != 0;
    s.seg.flags.fin = (r[0] & 4) != 0;
    s.seg.flags.ack = (r[0] & 8) == 0;
    s.seg.flags.rst = (r[0] & 16) != 0;
    s.seg.flags.psh = (r[0] & 32) != 0;
    at_us += static_cast<std::int64_t>(r[1]) * ((r[0] & 64) ? 1'000'000 : 1'000);
    const std::uint32_t own = s.from == Side::A ? base_a : base_b;
    const std::uint32_t peer = s.from == Side::A ? base_b : base_a;
    s.seg.seq = Seq(own + static_cast<std::uint32_t>(r[2] | (r[3] << 8)));
    s.seg.ack = Seq(peer + static_cast<std::uint32_t>(r[4] | (r[5] << 8)));
    s.seg.len = static_cast<std::uint32_t>(r[6] | ((r[7] & 7) << 8));
    s.at_us = at_us;
    s.frame = ++frame;
    o.observe(s);
    if (o.most_configurations() > bound) std::abort();
  }
  o.finish();
  (void)o.verdicts();
  (void)o.inferred();
  if (o.divergence()) {
    if (o.divergence()->frame == 0 || o.divergence()->frame > frame) std::abort();
    (void)parse_scenario(write_scenario(o.scenario()), "saved.scn");
  }
  return 0;
}
