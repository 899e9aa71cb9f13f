#include <iomanip>
#include <optional>

#include "impl/duration.hpp"
#include "properties/mutants.hpp"
#include "stacks/registry.hpp"
#include "tools/commands.hpp"

namespace fincheck::cli {

nlohmann::json versioned(nlohmann::json document) {
  document["version"] = FINCHECK_VERSION;
  return document;
}

std::string json_text(const nlohmann::json& document, int indent) {
  return document.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string mutant_names() {
  std::string names;
  for (const Mutant& m : fincheck::mutants())
    names += (names.empty() ? "" : ", ") + std::string(m.name);
  return names;
}

std::string property_names() {
  std::string names;
  for (const Invariant& i : catalog()) names += (names.empty() ? "" : ", ") + std::string(i.id);
  return names;
}

int stacks(bool json, std::ostream& out) {
  nlohmann::json list = nlohmann::json::array();
  if (!json)
    out << std::left << std::setw(36) << "stack" << std::setw(9) << "clock" << std::setw(13)
        << "granularity" << std::setw(7) << "state" << std::setw(6) << "both" << std::setw(9)
        << "threads" << std::setw(10) << "profile"
        << "summary\n";
  for (const RegisteredStack& r : registered_stacks()) {
    std::optional<StackUnderTest> made;
    try {
      made = r.make();
    } catch (const StackUnavailable& e) {
      // Listed all the same, with why it cannot run here (the kernel
      // without root).
      if (json)
        list.push_back(
            {{"name", r.name}, {"summary", r.summary}, {"available", false}, {"reason", e.what()}});
      else
        out << std::left << std::setw(36) << r.name << "unavailable here: " << e.what() << '\n';
      continue;
    }
    const StackUnderTest& s = *made;
    const std::string clock = s.caps.clock == StackClock::Virtual ? "virtual" : "real";
    const std::string profile = s.profile ? s.profile->profile : "the run's";
    if (json) {
      list.push_back({{"name", r.name},
                      {"summary", r.summary},
                      {"clock", clock},
                      {"granularity_us", s.caps.granularity_us},
                      {"state_observable", s.caps.state_observable},
                      {"plays_both", s.caps.plays_both},
                      {"concurrent", s.caps.concurrent},
                      {"profile", profile},
                      {"available", true}});
      continue;
    }
    out << std::left << std::setw(36) << r.name << std::setw(9) << clock << std::setw(13)
        << format_duration(s.caps.granularity_us) << std::setw(7)
        << (s.caps.state_observable ? "yes" : "no") << std::setw(6)
        << (s.caps.plays_both ? "yes" : "no") << std::setw(9)
        << (s.caps.concurrent ? "many" : "one") << std::setw(10) << profile << r.summary << '\n';
  }
  if (json) {
    out << json_text(versioned({{"stacks", list}}), 2) << '\n';
    return exit_ok;
  }
  out << "\nand exec:PROGRAM [ARGS]: a stack in another process (docs/stack-protocol.md)\n";
  return exit_ok;
}

}  // namespace fincheck::cli
