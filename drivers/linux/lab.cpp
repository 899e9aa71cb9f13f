#include "drivers/linux/lab.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <fstream>
#include <functional>
#include <thread>

namespace fincheck::kernel {

namespace {

std::string why(const std::string& what) { return what + ": " + std::strerror(errno); }

// Closes a descriptor when it goes out of scope.
struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {}
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
};

int own_namespace() { return ::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC); }

// Runs `f` on this thread inside the namespace `ns_fd`, then returns to the
// thread's own. A thread that cannot return must not run on: it would make
// every later socket in the wrong place.
void inside(int ns_fd, const std::function<void()>& f) {
  const Fd home(own_namespace());
  if (home.fd < 0) throw LabUnavailable(why("cannot open /proc/thread-self/ns/net"));
  if (::setns(ns_fd, CLONE_NEWNET) != 0) throw LabUnavailable(why("cannot enter the lab"));
  std::exception_ptr failed;
  try {
    f();
  } catch (...) {
    failed = std::current_exception();
  }
  if (::setns(home.fd, CLONE_NEWNET) != 0) std::terminate();
  if (failed) std::rethrow_exception(failed);
}

// net.ipv4.tcp_rfc1337 is /proc/sys/net/ipv4/tcp_rfc1337, as the thread
// asking sees it: /proc/sys/net shows the namespace of the thread, not of
// the process.
std::string sysctl_path(std::string name) {
  std::replace(name.begin(), name.end(), '.', '/');
  return "/proc/sys/" + name;
}

void write_sysctl(const std::string& name, const std::string& value) {
  std::ofstream f(sysctl_path(name));
  f << value << '\n';
  f.close();
  if (!f) throw LabUnavailable("cannot set " + name + " inside the lab");
}

std::string read_sysctl(const std::string& name) {
  std::ifstream f(sysctl_path(name));
  std::string value;
  if (!std::getline(f, value)) return "(absent)";
  return value;
}

void set_flags_up(int sock, const char* name) {
  ifreq ifr{};
  std::strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
  if (::ioctl(sock, SIOCGIFFLAGS, &ifr) != 0) throw LabUnavailable(why(std::string(name)));
  ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP);
  if (::ioctl(sock, SIOCSIFFLAGS, &ifr) != 0) throw LabUnavailable(why(std::string(name) + " up"));
}

void set_address(int sock, const char* name, unsigned long request, std::uint32_t ip) {
  ifreq ifr{};
  std::strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(ip);
  std::memcpy(&ifr.ifr_addr, &a, sizeof a);
  if (::ioctl(sock, request, &ifr) != 0) throw LabUnavailable(why(std::string(name) + " address"));
}

// 198.18.0.0/15, cut into /30s.
constexpr std::uint32_t lab_base = (198U << 24) | (18U << 16);

// The sysctls the probe's measurements depend on (ip-sysctl.rst).
const std::vector<std::string> reported_sysctls{
    "net.ipv4.tcp_rfc1337",    "net.ipv4.tcp_fin_timeout",   "net.ipv4.tcp_orphan_retries",
    "net.ipv4.tcp_retries2",   "net.ipv4.tcp_early_retrans", "net.ipv4.tcp_rto_min_us",
    "net.ipv4.tcp_rto_max_ms", "net.ipv4.tcp_tw_reuse",      "net.ipv4.tcp_invalid_ratelimit",
};

}  // namespace

std::shared_ptr<Lab> Lab::open(const LabSettings& settings) {
  // One lab per setting for the life of the process: a namespace costs a
  // few milliseconds to make, and the TUN devices in it are reused.
  static std::mutex lock;
  static std::vector<std::shared_ptr<Lab>> labs;
  const std::lock_guard guard(lock);
  for (const auto& lab : labs)
    if (lab->settings_ == settings) return lab;
  labs.push_back(std::shared_ptr<Lab>(new Lab(settings)));
  return labs.back();
}

Lab::Lab(const LabSettings& settings) : settings_(settings) {
  // Each connection in flight holds four descriptors (its TUN device, its
  // socket, the listener during the handshake, inet_diag's): a thousand
  // at once pass the usual soft limit of 1,024, not the hard one.
  rlimit files{};
  if (::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &files);
  }
  {
    // Checked before the namespace is made, for a clearer message.
    const Fd tun(::open("/dev/net/tun", O_RDWR | O_CLOEXEC));
    if (tun.fd < 0) throw LabUnavailable(why("cannot open /dev/net/tun"));
  }
  // A thread of its own makes the namespace, so that no thread of the
  // caller's ever leaves the host's; the namespace outlives it through the
  // descriptor it opens.
  std::exception_ptr failed;
  std::thread maker([&] {
    try {
      if (::unshare(CLONE_NEWNET) != 0)
        throw LabUnavailable(why("cannot make a network namespace (needs root or CAP_SYS_ADMIN)"));
      netns_fd_ = own_namespace();
      if (netns_fd_ < 0) throw LabUnavailable(why("cannot open the new namespace"));
      const Fd sock(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
      set_flags_up(sock.fd, "lo");
      // No IPv6 on the lab's devices: router and listener solicitations
      // would be traffic no connection asked for.
      if (read_sysctl("net.ipv6.conf.default.disable_ipv6") != "(absent)") {
        write_sysctl("net.ipv6.conf.all.disable_ipv6", "1");
        write_sysctl("net.ipv6.conf.default.disable_ipv6", "1");
      }
      write_sysctl("net.ipv4.tcp_rfc1337", settings_.rfc1337 ? "1" : "0");
    } catch (...) {
      failed = std::current_exception();
    }
  });
  maker.join();
  if (failed) {
    if (netns_fd_ >= 0) ::close(netns_fd_);
    std::rethrow_exception(failed);
  }
}

Lab::~Lab() {
  for (const auto& s : slots_) ::close(s->tun_fd);
  ::close(netns_fd_);
}

Slot& Lab::acquire() {
  const std::lock_guard guard(lock_);
  if (!free_.empty()) {
    Slot* s = free_.back();
    free_.pop_back();
    return *s;
  }
  return make_slot();
}

void Lab::release(Slot& slot) {
  const std::lock_guard guard(lock_);
  free_.push_back(&slot);
}

Slot& Lab::make_slot() {
  if (slots_.size() >= max_slots)
    throw LabUnavailable("all " + std::to_string(max_slots) + " TUN devices are in use");
  auto slot = std::make_unique<Slot>();
  slot->index = static_cast<std::uint32_t>(slots_.size());
  slot->kernel_ip = lab_base + 4 * slot->index + 1;
  slot->model_ip = slot->kernel_ip + 1;
  const std::string name = "fc" + std::to_string(slot->index);
  inside(netns_fd_, [&] {
    slot->tun_fd = ::open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK);
    if (slot->tun_fd < 0) throw LabUnavailable(why("cannot open /dev/net/tun"));
    ifreq ifr{};
    std::strncpy(ifr.ifr_name, name.c_str(), IFNAMSIZ - 1);
    ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
    if (::ioctl(slot->tun_fd, TUNSETIFF, &ifr) != 0) {
      ::close(slot->tun_fd);
      throw LabUnavailable(why("cannot make TUN device " + name));
    }
    const Fd sock(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    set_address(sock.fd, name.c_str(), SIOCSIFADDR, slot->kernel_ip);
    set_address(sock.fd, name.c_str(), SIOCSIFNETMASK, 0xFFFFFFFCU);
    set_flags_up(sock.fd, name.c_str());
  });
  slots_.push_back(std::move(slot));
  return *slots_.back();
}

int Lab::socket(int domain, int type, int protocol) const {
  int fd = -1;
  inside(netns_fd_, [&] { fd = ::socket(domain, type | SOCK_CLOEXEC, protocol); });
  return fd;
}

std::map<std::string, std::string> Lab::sysctls() const {
  std::map<std::string, std::string> values;
  inside(netns_fd_, [&] {
    for (const std::string& name : reported_sysctls) values[name] = read_sysctl(name);
  });
  return values;
}

std::string lab_unavailable_reason() {
  try {
    Lab::open();
    return {};
  } catch (const LabUnavailable& e) {
    return e.what();
  }
}

}  // namespace fincheck::kernel
