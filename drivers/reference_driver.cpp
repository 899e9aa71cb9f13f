#include "drivers/reference_driver.hpp"

#include "impl/reference_endpoint.hpp"
#include "impl/wire.hpp"

namespace fincheck {

namespace {

class ReferenceDriver final : public StackDriver, private Wire {
 public:
  ReferenceDriver(const DriverSetup& setup, const model::TableVariant& table,
                  const ParameterChange& adjust)
      : side_(setup.side), iss_(setup.iss), observer_(*setup.observer) {
    trace_.detailed = false;
    EndpointSetup own{setup, &trace_, this};
    if (adjust) own.params = adjust(own.params);
    endpoint_ = std::make_unique<ReferenceEndpoint>(own, table);
  }

  Seq iss() const override { return iss_; }

  void deliver(std::int64_t now_us, std::span<const std::uint8_t> packet) override {
    now_us_ = now_us;
    const auto decoded = decode(packet);
    const auto* w = std::get_if<WireSegment>(&decoded);
    const auto seg = w ? from_wire(*w) : std::nullopt;
    if (!seg || seg->first != peer_of(side_))
      return observer_.stack_error(now_us, "the reference stack was given a packet it cannot read");
    endpoint_->receive(now_us, seg->second, -1);
    report();
  }

  void call(std::int64_t now_us, AppOp call, std::uint32_t segments) override {
    now_us_ = now_us;
    make_call(*endpoint_, now_us, call, segments);
    report();
  }

  std::optional<std::int64_t> next_deadline() const override { return endpoint_->next_deadline(); }

  void advance(std::int64_t now_us) override {
    now_us_ = now_us;
    endpoint_->advance(now_us);
    report();
  }

  std::optional<model::State> state() const override { return endpoint_->state(); }
  std::optional<SeqView> seq_view() const override { return endpoint_->seq_view(); }

 private:
  void transmit(Side from, int, const Segment& seg) override {
    const std::vector<std::uint8_t> bytes = encode(to_wire(from, seg, ++ip_id_));
    observer_.emitted(now_us_, bytes);
  }

  // What the application learned since the last report.
  void report() {
    for (; reported_ < trace_.app.size(); ++reported_) {
      const AppRecord& r = trace_.app[reported_];
      switch (r.op) {
        case AppOp::Data:
        case AppOp::Eof:
        case AppOp::Reset:
        case AppOp::TimedOut:
        case AppOp::Refused:
          observer_.app_event(r.at_us, r.op, r.bytes, r.note);
          break;
        default:
          break;  // the calls themselves: the seam records those
      }
    }
  }

  Side side_;
  Seq iss_;
  Observer& observer_;
  Trace trace_;
  std::unique_ptr<ReferenceEndpoint> endpoint_;
  std::size_t reported_ = 0;
  std::int64_t now_us_ = 0;
  std::uint16_t ip_id_ = 0;
};

}  // namespace

DriverFactory reference_driver(const model::TableVariant& table, ParameterChange adjust) {
  return [&table,
          adjust = std::move(adjust)](const DriverSetup& setup) -> std::unique_ptr<StackDriver> {
    return std::make_unique<ReferenceDriver>(setup, table, adjust);
  };
}

}  // namespace fincheck
