#include "properties/capture_observer.hpp"

namespace fincheck {

void ObserverSink::segment(std::int64_t at_us, std::uint64_t frame, int from,
                           const capture::TcpHeader& h) {
  constexpr std::uint8_t fin = 0x01, syn = 0x02, rst = 0x04, psh = 0x08, ack = 0x10;
  ObservedSegment s;
  s.at_us = at_us;
  s.frame = frame;
  s.from = from == 0 ? Side::A : Side::B;
  s.seg.seq = Seq(h.seq);
  s.seg.ack = Seq(h.ack);
  s.seg.len = h.payload;
  s.seg.flags = Flags{.fin = (h.flags & fin) != 0,
                      .ack = (h.flags & ack) != 0,
                      .rst = (h.flags & rst) != 0,
                      .psh = (h.flags & psh) != 0};
  s.syn = (h.flags & syn) != 0;
  observer.observe(s);
}

capture::ConnectionTable::MakeSink observer_sinks(const model::Parameters& params,
                                                  std::optional<Vantage> vantage,
                                                  const ObserverBounds& bounds) {
  return [params, vantage, bounds](const capture::Connection&) {
    return std::make_shared<ObserverSink>(params, vantage, bounds);
  };
}

ConnectionObserver& observer_of(const capture::Connection& c) {
  return static_cast<ObserverSink&>(*c.sink).observer;
}

}  // namespace fincheck
