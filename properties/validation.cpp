#include "properties/validation.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

#include "drivers/reference_driver.hpp"
#include "impl/scenario_io.hpp"
#include "properties/generators.hpp"
#include "properties/ordered_blocks.hpp"
#include "properties/shadow.hpp"

namespace fincheck {

namespace {

// Between the starts of the first cases of a real-clock stack's threads:
// a thousand spread over five seconds.
constexpr std::chrono::milliseconds first_wave_spacing{5};

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

// The last row the model took at the stack's sides up to the divergence.
void place_on_diagram(const Trace& t, Playing who, Divergence& d) {
  for (const StepRecord& step : t.steps) {
    if (step.at_us > d.at_us) break;
    if (step.row < 0 || !plays(who, step.endpoint)) continue;
    d.row = step.row;
    d.state = step.to;
  }
}

}  // namespace

void prepare(const StackUnderTest& stack, Scenario& s) {
  if (stack.profile) s.params = *stack.profile;
}

std::optional<std::string> prepare_file(const StackUnderTest& stack, Scenario& s) {
  if (!stack.profile || s.params == *stack.profile) return std::nullopt;
  s.params = *stack.profile;
  return s.source + ": the model takes " + stack.name +
         "'s own parameters; the file's profile and set lines cannot configure it";
}

EndpointFactory seam_factory(const StackUnderTest& stack, std::vector<Divergence>& out,
                             SeamObservations& seen) {
  return [&stack, &out, &seen](const EndpointSetup& setup) {
    return std::make_unique<ShadowedEndpoint>(setup, stack.factory, stack.caps, stack.name, out,
                                              seen);
  };
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

bool ValidationReport::stack_failed() const {
  return std::any_of(divergences.begin(), divergences.end(),
                     [](const DivergenceClass& c) { return c.kind == stack_error_kind; });
}

ScenarioSource generated_cases(const StackUnderTest& stack, std::uint64_t seed,
                               std::uint32_t cases) {
  return [gen = stack.gen, seed, cases](std::uint32_t i) -> std::optional<Scenario> {
    if (i >= cases) return std::nullopt;
    return generate_case(seed, i, gen).value();
  };
}

StackUnderTest mutant_stack(const Mutant& m) {
  ParameterChange change;
  if (m.adjust)
    // A parameter mutant changes its own side's parameters only.
    change = [&m](model::Parameters p) {
      Scenario own;
      own.params = std::move(p);
      m.adjust(own);
      return own.params;
    };
  StackUnderTest stack;
  stack.name = "mutant:" + std::string(m.name);
  stack.factory = reference_driver(m.table(), change);
  return stack;
}

CaseResult validate_case(const Scenario& s, Playing who, const StackUnderTest& stack) {
  CaseResult out;
  std::vector<Divergence> shadowed;
  auto trace = std::make_shared<Trace>();
  {
    // The endpoints report their last observations as the simulation ends.
    Simulation sim(s, *trace);
    sim.set_factory(who, seam_factory(stack, shadowed, out.observations));
    out.verdicts = check_all(Run{s, sim.run()});
  }
  // A stack that failed (its driver died, hung, spoke nonsense) left a run
  // that says nothing about the protocol: only the failure is reported.
  const bool failed = std::any_of(shadowed.begin(), shadowed.end(),
                                  [](const Divergence& d) { return d.kind == stack_error_kind; });
  if (!failed)
    for (const Verdict& v : out.verdicts)
      for (const Violation& x : v.violations)
        out.divergences.push_back({std::string(v.id), x.message, x.at_us});
  out.divergences.insert(out.divergences.end(), shadowed.begin(), shadowed.end());
  out.row_hits = out.observations.row_hits;
  out.row_hits.resize(model::reference_table().rows().size(), 0);
  for (Divergence& d : out.divergences) place_on_diagram(*trace, who, d);
  if (!out.divergences.empty()) out.trace = std::move(trace);
  return out;
}

ValidationReport validate(const ScenarioSource& source, std::uint32_t total,
                          const StackUnderTest& stack, const Progress& progress,
                          const std::vector<Playing>& sides, unsigned threads) {
  // A block of scenarios: the tallies of its runs, and each divergence with
  // the run that showed it, in order.
  struct Seen {
    Divergence divergence;
    Playing who;
    std::uint32_t scenario;
    // The run that showed it, and all it showed.
    std::shared_ptr<const Trace> trace;
    std::vector<Divergence> in_run;
  };
  struct Block {
    std::uint32_t runs = 0;
    std::vector<PropertyTally> tallies;
    SeamObservations observations;
    std::vector<Seen> divergences;
    std::vector<std::uint64_t> row_hits;
  };
  const bool real = stack.caps.clock == StackClock::Real;
  const auto run = [&](std::uint64_t from, std::uint64_t to) {
    // The first case of each thread starts a little after the one before:
    // a thousand kernel timers set in the same instant go off in the same
    // instant, and a thousand threads woken at once fall behind real time.
    if (real && from < threads) std::this_thread::sleep_for(first_wave_spacing * from);
    Block b;
    for (const Invariant& inv : catalog()) b.tallies.push_back({inv.id});
    for (auto i = static_cast<std::uint32_t>(from); i < to; ++i) {
      auto s = source(i);
      if (!s) break;
      prepare(stack, *s);
      for (Playing who : sides) {
        if (who == Playing::Both && !stack.caps.plays_both) continue;
        ++b.runs;
        const CaseResult r = validate_case(*s, who, stack);
        b.observations.merge(r.observations);
        for (std::size_t k = 0; k < r.verdicts.size(); ++k) {
          ++b.tallies[k].runs;
          b.tallies[k].applicable += r.verdicts[k].applicable;
          b.tallies[k].failed += !r.verdicts[k].holds();
        }
        for (const Divergence& d : r.divergences) {
          // The first of a kind in this block keeps its run: the block's
          // first may become the example of its class.
          const bool first =
              std::none_of(b.divergences.begin(), b.divergences.end(),
                           [&](const Seen& x) { return x.divergence.kind == d.kind; });
          b.divergences.push_back({d, who, i, first ? r.trace : nullptr,
                                   first ? r.divergences : std::vector<Divergence>{}});
        }
        if (b.row_hits.empty()) b.row_hits.assign(r.row_hits.size(), 0);
        for (std::size_t k = 0; k < r.row_hits.size(); ++k) b.row_hits[k] += r.row_hits[k];
      }
    }
    return std::pair{std::move(b), false};
  };
  // A stack on a real clock spends its time waiting: one case per block,
  // so that every thread keeps a case in flight.
  const std::vector<Block> blocks = run_ordered_blocks<Block>(
      total, real ? 1 : 16, stack.caps.concurrent ? threads : 1, run,
      progress ? std::function<void(std::uint64_t)>(
                     [&](std::uint64_t done) { progress(static_cast<std::uint32_t>(done), total); })
               : std::function<void(std::uint64_t)>{});

  ValidationReport report;
  for (const Invariant& inv : catalog()) report.tallies.push_back({inv.id});
  report.row_hits.assign(model::reference_table().rows().size(), 0);
  for (const Block& b : blocks) {
    report.runs += b.runs;
    for (std::size_t k = 0; k < b.row_hits.size(); ++k) report.row_hits[k] += b.row_hits[k];
    report.observations.merge(b.observations);
    for (std::size_t k = 0; k < b.tallies.size(); ++k) {
      report.tallies[k].runs += b.tallies[k].runs;
      report.tallies[k].applicable += b.tallies[k].applicable;
      report.tallies[k].failed += b.tallies[k].failed;
    }
    for (const Seen& seen : b.divergences) {
      const Divergence& d = seen.divergence;
      auto it = std::find_if(report.divergences.begin(), report.divergences.end(),
                             [&](const DivergenceClass& c) { return c.kind == d.kind; });
      if (it == report.divergences.end()) {
        // The first run to show a class is its example, shrunk. A failing
        // stack is not shrunk: each try could cost a hung process its whole
        // timeout; nor is a stack on a real clock, each try of which takes
        // its timers' real time (a minute of TIME-WAIT) and may time out
        // otherwise. The run that showed it is their example.
        Scenario s = *source(seen.scenario);
        prepare(stack, s);
        const bool as_seen = d.kind == stack_error_kind || real;
        const Scenario example = as_seen ? s : shrink_divergence(s, seen.who, stack, d.kind);
        Divergence shown = d;
        std::shared_ptr<const Trace> trace = seen.trace;
        std::vector<Divergence> in_example = seen.in_run;
        if (!as_seen) {
          const CaseResult again = validate_case(example, seen.who, stack);
          for (const Divergence& e : again.divergences)
            if (e.kind == d.kind) shown = e;
          trace = again.trace;
          in_example = again.divergences;
        }
        report.divergences.push_back({d.kind, 0, seen.who, example, shown.message, shown.row,
                                      shown.state, trace, in_example});
        it = report.divergences.end() - 1;
      }
      ++it->count;
    }
  }
  return report;
}

}  // namespace fincheck
