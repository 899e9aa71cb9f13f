#pragma once
// The running Linux kernel as a stack under test (docs/linux.md). A real
// socket of the kernel's plays one side; the model's end of the connection
// speaks raw IPv4/TCP through a TUN device in fincheck's own namespace
// (drivers/linux/lab.hpp), with the handshake done for real. Application
// calls are close(), shutdown(SHUT_WR), send() and close() with SO_LINGER 0;
// the kernel's state, TIME-WAIT included, is read through inet_diag
// (drivers/linux/sock_diag.hpp). Its clock is real: the model's follows the
// moments the TUN hands over the kernel's packets.
#include <map>
#include <memory>
#include <string>

#include "drivers/driver.hpp"
#include "drivers/linux/lab.hpp"

namespace fincheck::kernel {

// Drivers in `lab`; throws LabUnavailable when the lab cannot be made.
DriverFactory factory(std::shared_ptr<Lab> lab);

// What the stack declares (fincheck stacks): a real clock with the
// tolerances of drivers/linux/timing.hpp, one side per run.
StackCapabilities capabilities();

// Where each value `probe` measures comes from in the kernel's sources, by
// the probe's parameter name.
std::map<std::string, std::string> citations();

}  // namespace fincheck::kernel
