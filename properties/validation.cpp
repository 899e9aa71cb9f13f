#include "properties/validation.hpp"

#include <algorithm>

#include "impl/adapters/lwip/lwip_endpoint.hpp"
#include "impl/scenario_io.hpp"
#include "properties/generators.hpp"
#include "properties/shadow.hpp"

namespace fincheck {

namespace {

// The `profile` and `set` lines of a scenario: what shrinking must keep.
std::string write_parameters(const Scenario& s) {
  Scenario only = s;
  only.actions.clear();
  only.faults.clear();
  only.reopen = false;
  only.isn_a = Scenario{}.isn_a;
  only.isn_b = Scenario{}.isn_b;
  only.delay_us = default_delay_us;
  return write_scenario(only);
}

bool has(const CaseResult& r, const std::string& kind) {
  return std::any_of(r.divergences.begin(), r.divergences.end(),
                     [&](const Divergence& d) { return d.kind == kind; });
}

}  // namespace

StackUnderTest lwip_stack() {
  StackUnderTest stack{"lwip", lwip::factory(), {}};
  stack.gen.profile = "lwip";
  stack.gen.profile_parameters_only = true;
  stack.prepare = [](Scenario& s) { s.params = model::lwip_profile(); };
  return stack;
}

std::optional<std::string> prepare_file(const StackUnderTest& stack, Scenario& s) {
  if (!stack.prepare) return std::nullopt;
  // A file that says the stack's own profile, and sets nothing, loses nothing.
  const bool own_profile =
      stack.gen.profile && model::profile_named(*stack.gen.profile) == s.params;
  stack.prepare(s);
  if (own_profile) return std::nullopt;
  return s.source + ": the model takes " + stack.name +
         "'s own parameters; the file's profile and set lines cannot configure it";
}

Scenario shrink_divergence(Scenario s, Playing who, const StackUnderTest& stack,
                           const std::string& kind) {
  bool progress = true;
  while (progress) {
    progress = false;
    for (const Scenario& smaller : shrink_scenario(s))
      // The stack's parameters are its own: only the story may shrink.
      if (write_parameters(smaller) == write_parameters(s) &&
          has(validate_case(smaller, who, stack), kind)) {
        s = smaller;
        progress = true;
        break;
      }
  }
  return s;
}

bool is_shadow_divergence(const Divergence& d) {
  return d.kind == "state" || d.kind == "segment" || d.kind == "timer";
}

ScenarioSource generated_cases(const StackUnderTest& stack, std::uint64_t seed,
                               std::uint32_t cases) {
  return [gen = stack.gen, seed, cases](std::uint32_t i) -> std::optional<Scenario> {
    if (i >= cases) return std::nullopt;
    return generate_case(seed, i, gen).value();
  };
}

StackUnderTest mutant_stack(const Mutant& m) {
  EndpointFactory table = reference_factory(m.table());
  return {"mutant:" + std::string(m.name),
          [table, &m](const EndpointSetup& setup) {
            if (!m.adjust) return table(setup);
            // A parameter mutant changes its own side's parameters only.
            Scenario own;
            own.params = setup.params;
            m.adjust(own);
            EndpointSetup changed = setup;
            changed.params = own.params;
            return table(changed);
          },
          {}};
}

CaseResult validate_case(const Scenario& s, Playing who, const StackUnderTest& stack) {
  CaseResult out;
  std::vector<Divergence> shadowed;
  Simulation sim(s);
  sim.set_factory(who, [&](const EndpointSetup& setup) {
    return std::make_unique<ShadowedEndpoint>(setup, stack.factory, stack.name, shadowed);
  });
  const Trace& t = sim.run();
  out.verdicts = check_all(Run{s, t});
  for (const Verdict& v : out.verdicts)
    for (const Violation& x : v.violations)
      out.divergences.push_back({std::string(v.id), x.message});
  out.divergences.insert(out.divergences.end(), shadowed.begin(), shadowed.end());
  return out;
}

ValidationReport validate(const ScenarioSource& source, std::uint32_t total,
                          const StackUnderTest& stack, const Progress& progress) {
  ValidationReport report;
  for (const Invariant& inv : catalog()) report.tallies.push_back({inv.id});
  for (std::uint32_t i = 0;; ++i) {
    auto s = source(i);
    if (!s) break;
    if (stack.prepare) stack.prepare(*s);
    for (Playing who : {Playing::A, Playing::B, Playing::Both}) {
      ++report.runs;
      const CaseResult r = validate_case(*s, who, stack);
      for (std::size_t k = 0; k < r.verdicts.size(); ++k) {
        ++report.tallies[k].runs;
        report.tallies[k].applicable += r.verdicts[k].applicable;
        report.tallies[k].failed += !r.verdicts[k].holds();
      }
      for (const Divergence& d : r.divergences) {
        auto it = std::find_if(report.divergences.begin(), report.divergences.end(),
                               [&](const DivergenceClass& c) { return c.kind == d.kind; });
        if (it == report.divergences.end()) {
          const Scenario example = shrink_divergence(*s, who, stack, d.kind);
          std::string message = d.message;
          for (const Divergence& e : validate_case(example, who, stack).divergences)
            if (e.kind == d.kind) message = e.message;
          report.divergences.push_back({d.kind, 0, who, example, message});
          it = report.divergences.end() - 1;
        }
        ++it->count;
      }
    }
    if (progress) progress(i + 1, total);
  }
  return report;
}

}  // namespace fincheck
