#pragma once
// The reference endpoint as a stack behind the seam: a table of the model
// (the reference table, or a mutant's) speaking raw IPv4 bytes. It is the
// seam's own self-test -- run under its shadow it must never diverge -- and
// how a mutant is run as if it were a third-party stack.
#include <functional>

#include "drivers/driver.hpp"
#include "model/machine.hpp"

namespace fincheck {

// Drivers running `table` with each run's parameters, changed by `adjust`
// when given (a parameter mutant changes its own side only). `table`
// outlives the factory.
using ParameterChange = std::function<model::Parameters(model::Parameters)>;
DriverFactory reference_driver(const model::TableVariant& table, ParameterChange adjust = {});

}  // namespace fincheck
