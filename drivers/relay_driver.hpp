#pragma once
// A driver in front of another: calls pass through to the inner driver and
// its observations come back through this one's Observer functions, which a
// subclass overrides to change what the stack is seen to do -- a stack of
// one's own built on another (examples/out-of-tree), or a test's corrupted
// stack.
#include "drivers/driver.hpp"

namespace fincheck {

class RelayDriver : public StackDriver, protected Observer {
 public:
  RelayDriver(const DriverSetup& setup, const DriverFactory& inner)
      : observer_(*setup.observer), inner_(inner(DriverSetup{setup, this})) {}

  Seq iss() const override { return inner_->iss(); }
  void deliver(std::int64_t now_us, std::span<const std::uint8_t> packet) override {
    inner_->deliver(now_us, packet);
  }
  void call(std::int64_t now_us, AppOp op, std::uint32_t segments) override {
    inner_->call(now_us, op, segments);
  }
  std::optional<std::int64_t> next_deadline() const override { return inner_->next_deadline(); }
  void advance(std::int64_t now_us) override { inner_->advance(now_us); }
  std::optional<model::State> state() const override { return inner_->state(); }
  std::optional<SeqView> seq_view() const override { return inner_->seq_view(); }

 protected:
  void emitted(std::int64_t at_us, std::span<const std::uint8_t> packet) override {
    observer_.emitted(at_us, packet);
  }
  void app_event(std::int64_t at_us, AppOp op, std::uint32_t bytes,
                 const std::string& note) override {
    observer_.app_event(at_us, op, bytes, note);
  }
  void settled(std::int64_t at_us) override { observer_.settled(at_us); }
  void stack_error(std::int64_t at_us, const std::string& message) override {
    observer_.stack_error(at_us, message);
  }

  Observer& observer_;  // where the relayed observations go
  std::unique_ptr<StackDriver> inner_;
};

}  // namespace fincheck
