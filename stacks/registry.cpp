#include "stacks/registry.hpp"

#include "drivers/exec/exec_driver.hpp"
#include "drivers/linux/linux_driver.hpp"
#include "drivers/lwip/lwip_driver.hpp"
#include "drivers/reference_driver.hpp"
#include "properties/mutants.hpp"

namespace fincheck {

namespace {

// The reference table run as a stack: the seam's self-test (it must never
// diverge from its own shadow).
StackUnderTest reference_stack() {
  StackUnderTest s;
  s.name = "reference";
  s.factory = reference_driver(model::reference_table());
  return s;
}

// lwIP 2.1.3 (drivers/lwip): the lwip profile's parameters, whatever a
// scenario file says (they are compiled into lwIP). Its clock is the
// caller's: tcp_tmr() every TCP_TMR_INTERVAL (250 ms, lwip/opt.h).
StackUnderTest lwip_stack() {
  StackUnderTest s;
  s.name = "lwip";
  s.factory = lwip::factory();
  s.caps.clock = StackClock::Virtual;
  s.caps.granularity_us = 250'000;
  s.caps.plays_both = true;
  // One lwIP per process: its state is global (drivers/lwip/lwip_stack.hpp).
  s.caps.concurrent = false;
  s.profile = model::lwip_profile();
  s.gen.profile = "lwip";
  s.gen.profile_parameters_only = true;
  // lwIP 2.1.3's sources (src/core, src/include/lwip), for `fincheck probe`.
  s.citations = {
      {"TIME_WAIT length",
       "tcp_priv.h TCP_MSL 60000; tcp_slowtmr(): 2 * TCP_MSL / TCP_SLOW_INTERVAL ticks"},
      {"timer granularity", "tcp_priv.h TCP_SLOW_INTERVAL (2*TCP_TMR_INTERVAL)"},
      {"TIME_WAIT after a retransmitted FIN",
       "tcp_in.c tcp_timewait_input(): \"pcb->tmr = tcp_ticks\" on FIN"},
      {"initial RTO (FIN)",
       "tcp.c tcp_alloc(): rto = 3000 / TCP_SLOW_INTERVAL; counted in slow ticks"},
      {"RTO gaps (s)", "tcp.c tcp_backoff[] = {1,2,3,4,5,6,7,7,...} shifts"},
      {"retransmissions before abort", "opt.h TCP_MAXRTX 12"},
      {"wait after the last retransmission",
       "tcp.c tcp_slowtmr(): nrtx >= TCP_MAXRTX removes the pcb at the next slow tick"},
      {"delay of the ACK of a FIN", "tcp_in.c tcp_process(), ESTABLISHED: tcp_ack_now() on FIN"},
      {"RST in TIME_WAIT", "tcp_in.c tcp_timewait_input(): \"if (flags & TCP_RST) { return; }\""},
      {"ACK of a segment outside the window",
       "tcp_in.c tcp_receive(): \"if (flags & TCP_ACK)\" before the window test"},
      {"FIN_WAIT_2 timeout",
       "tcp.c tcp_slowtmr(): TCP_FIN_WAIT_TIMEOUT only if TF_RXCLOSED (tcp_close)"},
      {"LAST_ACK timeout",
       "tcp.c tcp_slowtmr(): \"Check if this PCB has stayed too long in LAST-ACK\": "
       "tcp_ticks - pcb->tmr > 2 * TCP_MSL / TCP_SLOW_INTERVAL"},
  };
  return s;
}

// The running kernel (drivers/linux), in a namespace of fincheck's own with
// net.ipv4.tcp_rfc1337 as given. Its profile is the `linux` one, which
// `probe --impl linux` measured; the citations are Linux 6.1's sources
// (Debian's linux-source-6.1) and Documentation/networking/ip-sysctl.rst.
StackUnderTest kernel_stack(bool rfc1337) {
  std::shared_ptr<kernel::Lab> lab;
  try {
    lab = kernel::Lab::open({rfc1337});
  } catch (const kernel::LabUnavailable& e) {
    throw StackUnavailable(std::string("linux: ") + e.what());
  }
  StackUnderTest s;
  s.name = rfc1337 ? "linux:rfc1337" : "linux";
  s.factory = kernel::factory(lab);
  s.caps = kernel::capabilities();
  model::Parameters p = model::linux_profile();
  p.rfc1337 = rfc1337;
  s.profile = p;
  s.gen.profile = "linux";
  s.gen.params = p;
  s.gen.profile_parameters_only = true;
  s.citations = kernel::citations();
  return s;
}

std::vector<RegisteredStack>& registry() {
  static std::vector<RegisteredStack> all = [] {
    std::vector<RegisteredStack> r{
        {"reference", "the model's own reference endpoint, through the seam (its self-test)",
         reference_stack},
        {"lwip", "lwIP 2.1.3 (Debian liblwip), in-process, virtual clock", lwip_stack},
        {"linux",
         "the running Linux kernel, through a TUN device in a namespace of fincheck's own; real "
         "clock; needs root",
         [] { return kernel_stack(false); }},
        {"linux:rfc1337", "the same with net.ipv4.tcp_rfc1337=1 in the namespace",
         [] { return kernel_stack(true); }},
    };
    for (const Mutant& m : mutants())
      r.push_back({"mutant:" + std::string(m.name), std::string(m.breaks),
                   [&m] { return mutant_stack(m); }});
    return r;
  }();
  return all;
}

}  // namespace

const std::vector<RegisteredStack>& registered_stacks() { return registry(); }

void register_stack(RegisteredStack stack) { registry().push_back(std::move(stack)); }

StackUnderTest stack_named(const std::string& spec, const StackOptions& options) {
  if (spec.starts_with("exec:")) {
    exec::ExecOptions o;
    o.argv = exec::split_command(spec.substr(5));
    o.timeout = options.timeout;
    if (o.argv.empty()) throw StackUnavailable("exec: names no program (exec:PROGRAM [ARGS])");
    try {
      exec::ExecStack started = exec::start(o);
      StackUnderTest s;
      s.name = spec;
      s.factory = std::move(started.factory);
      s.caps = started.declared.caps;
      s.profile = started.declared.profile;
      s.gen.params = started.declared.profile;
      s.gen.profile_parameters_only = true;
      return s;
    } catch (const std::runtime_error& e) {
      throw StackUnavailable(spec + ": " + e.what());
    }
  }
  for (const RegisteredStack& r : registry())
    if (r.name == spec) return r.make();
  std::string known;
  for (const RegisteredStack& r : registry())
    if (!r.name.starts_with("mutant:")) known += r.name + ", ";
  throw StackUnavailable("unknown stack '" + spec + "' (" + known +
                         "mutant:NAME, or exec:PROGRAM; `fincheck stacks` lists them)");
}

}  // namespace fincheck
