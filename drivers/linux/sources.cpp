#include "drivers/linux/linux_driver.hpp"

namespace fincheck::kernel {

// Linux 6.1 (Debian linux-source-6.1); the running kernel is what `probe`
// measures, and where the two differ the measurement is the profile's.
std::map<std::string, std::string> citations() {
  return {
      {"TIME_WAIT length", "include/net/tcp.h TCP_TIMEWAIT_LEN (60*HZ)"},
  };
}

}  // namespace fincheck::kernel
