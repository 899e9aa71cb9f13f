#pragma once
// The observer (properties/observer.hpp) fed by a capture's connection
// table (capture/connections.hpp): one per connection, told each segment.
#include <memory>
#include <optional>

#include "capture/connections.hpp"
#include "properties/observer.hpp"

namespace fincheck {

class ObserverSink final : public capture::SegmentSink {
 public:
  ObserverSink(const model::Parameters& params, std::optional<Vantage> vantage,
               const ObserverBounds& bounds)
      : observer(params, vantage, bounds) {}
  void segment(std::int64_t at_us, std::uint64_t frame, int from,
               const capture::TcpHeader& h) override;
  ConnectionObserver observer;
};

// The table's sink maker: an observer for every connection.
capture::ConnectionTable::MakeSink observer_sinks(const model::Parameters& params,
                                                  std::optional<Vantage> vantage,
                                                  const ObserverBounds& bounds = {});

// The observer a connection was handed on with (made by observer_sinks).
ConnectionObserver& observer_of(const capture::Connection& c);

}  // namespace fincheck
