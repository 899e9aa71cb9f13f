#pragma once
// The network namespace fincheck makes for the running kernel, and owns: no
// interface, route or sysctl outside it is touched, and nothing it sends
// can leave it (DESIGN.md, "Validating a third-party stack"; the rules of
// docs/linux.md). Inside: loopback, and one TUN device per connection that
// runs at once, each with its own /30 in 198.18.0.0/15 (RFC 2544's
// benchmarking range): the kernel's socket at .1, the model's end at .2.
// The namespace lives as long as the Lab: every descriptor into it is the
// Lab's, and it goes with the last.
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace fincheck::kernel {

// No namespace can be made here: not root, no CAP_SYS_ADMIN, no TUN.
class LabUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The lab's sysctls, set inside it only (they are per namespace).
struct LabSettings {
  // net.ipv4.tcp_rfc1337: 0, the kernel's default, lets a RST end TIME-WAIT.
  bool rfc1337 = false;
  friend bool operator==(const LabSettings&, const LabSettings&) = default;
};

// One TUN device: the wire between the kernel and the model for one
// connection at a time.
struct Slot {
  int tun_fd = -1;
  std::uint32_t index = 0;
  std::uint32_t kernel_ip = 0;  // host byte order
  std::uint32_t model_ip = 0;
  std::uint32_t uses = 0;  // connections it has carried: picks fresh ports
};

class Lab {
 public:
  // The lab for `settings`, made on first use and shared after; throws
  // LabUnavailable with the reason.
  static std::shared_ptr<Lab> open(const LabSettings& settings = {});
  ~Lab();
  Lab(const Lab&) = delete;
  Lab& operator=(const Lab&) = delete;

  // A slot no other connection is using; back with release().
  Slot& acquire();
  void release(Slot& slot);
  // A socket made inside the lab (it stays there whatever thread uses it).
  int socket(int domain, int type, int protocol) const;
  // The TCP sysctls that decide what the probe measures, read inside.
  std::map<std::string, std::string> sysctls() const;
  const LabSettings& settings() const { return settings_; }

  // At most this many slots: the /30s of 198.18.0.0/15.
  static constexpr std::uint32_t max_slots = 1U << 15;

 private:
  explicit Lab(const LabSettings& settings);
  Slot& make_slot();

  LabSettings settings_;
  int netns_fd_ = -1;
  std::mutex lock_;
  std::vector<std::unique_ptr<Slot>> slots_;
  std::vector<Slot*> free_;
};

// Whether the lab can be made here, and if not why (for SKIPPED).
std::string lab_unavailable_reason();

}  // namespace fincheck::kernel
