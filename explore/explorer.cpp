#include "explore/explorer.hpp"

#include <algorithm>
#include <chrono>
#include <memory>
#include <thread>

#include "explore/history.hpp"
#include "explore/visited_set.hpp"
#include "explore/world.hpp"
#include "impl/scenario_io.hpp"

namespace fincheck::explore {

namespace {

// One successor of a state: a state to visit, or a path that ended.
struct Outcome {
  std::uint64_t fingerprint = 0;
  std::unique_ptr<World> world;
  bool ended = false;             // ran to its end (or was cut off)
  std::vector<Verdict> verdicts;  // the catalog's, if it ended
  std::vector<std::int32_t> rows;  // rows fired on the way
};

struct Search {
  const Scenario& scenario;
  const ExploreOptions& options;

  std::uint64_t fingerprint(const World& w) const {
    Fingerprint f;
    w.fingerprint(f);
    // eventually-closed's bound and the simulator's horizon count from the
    // start: the instant is part of the state (docs/explore.md).
    f.add(w.now_us());
    history_fingerprint(scenario, w.trace(), f);
    return f.value();
  }

  // Runs `w` to the next choice or its end; the rows fired count from the
  // step `steps_before` of its trace (where its parent state stood).
  Outcome settle(std::unique_ptr<World> w, std::size_t steps_before) const {
    Outcome o;
    const World::Stop stop = w->run();
    for (std::size_t i = steps_before; i < w->trace().steps.size(); ++i)
      o.rows.push_back(w->trace().steps[i].row);
    o.fingerprint = fingerprint(*w);
    if (stop != World::Stop::Choose) {
      o.ended = true;
      const Run run{scenario, w->trace()};
      if (options.property)
        o.verdicts.push_back(check_one(*options.property, run));
      else
        o.verdicts = check_all(run);
    }
    o.world = std::move(w);
    return o;
  }

  // Every fate for the segments the last event sent, or every event that
  // may come next.
  void expand(const World& w, std::vector<Outcome>& out) const {
    const std::size_t steps = w.trace().steps.size();
    if (w.fate_due()) {
      for (SendFate f : w.fates()) {
        auto next = std::make_unique<World>(w);
        next->fate(f);
        if (next->fate_due())
          expand(*next, out);
        else
          out.push_back(settle(std::move(next), steps));
      }
      return;
    }
    for (const Next& n : w.next_events()) {
      auto next = std::make_unique<World>(w);
      next->take(n);
      if (!next->over_budget()) out.push_back(settle(std::move(next), steps));
    }
  }
};

// A rough size of a state held in the frontier: its parts, and what the
// allocator takes for each of its twenty-odd allocations.
std::uint64_t approx_bytes(const World& w) {
  const Trace& t = w.trace();
  constexpr std::uint64_t allocations = 24, overhead = 32;
  return allocations * overhead + sizeof(World) + 2 * sizeof(ReferenceEndpoint) +
         t.segments.capacity() * sizeof(SegmentRecord) +
         t.arrivals.capacity() * sizeof(ArrivalRecord) + t.steps.capacity() * sizeof(StepRecord) +
         t.app.capacity() * sizeof(AppRecord) + t.log.capacity() * sizeof(LogEntry);
}

}  // namespace

const std::vector<std::pair<std::string, Scenario>>& textbook_closes() {
  static const std::vector<std::pair<std::string, Scenario>> closes = [] {
    // RFC 9293 §3.6's cases: one side closes and the other answers at once
    // (its FIN may ride on its ACK), or after its application has read the
    // end of file; both close at once; one shuts down and still reads the
    // data the other sends before it closes, or while it keeps its end open
    // ("the user who closes may continue to RECEIVE").
    const std::pair<const char*, const char*> texts[] = {
        {"active", "profile rfc9293\na close at 0ms\nb close after eof 0ms\n"},
        {"passive-after-eof", "profile rfc9293\na close at 0ms\nb close after eof 300ms\n"},
        {"simultaneous", "profile rfc9293\na close at 0ms\nb close at 0ms\n"},
        {"half-close-data",
         "profile rfc9293\na shutdown at 0ms\nb send 2 at 20ms\nb close after eof 300ms\n"},
        {"half-close-open", "profile rfc9293\na shutdown at 0ms\nb send 2 at 20ms\n"},
    };
    std::vector<std::pair<std::string, Scenario>> out;
    for (const auto& [name, text] : texts)
      out.emplace_back(name, parse_scenario(text, std::string("textbook close '") + name + "'"));
    return out;
  }();
  return closes;
}

std::string unsupported(const Scenario& s) {
  if (!s.injections.empty())
    return "line " + std::to_string(s.injections.front().line) +
           ": the explorer chooses every segment's fate itself and puts nothing else on the "
           "wire; remove the inject line";
  if (s.reopen)
    return "the explorer follows one connection; remove the reopen line (TIME-WAIT's guard "
           "against old duplicates is checked by `fincheck check` and `run`)";
  return {};
}

Scenario path_scenario(const Scenario& base, const Trace& t) {
  Scenario s = base;
  s.faults.clear();
  s.expectation.reset();
  for (const SegmentRecord& r : t.segments) {
    if (r.injected) continue;
    SegmentFault f;
    f.from = r.from;
    f.n = r.n;
    if (r.fate == Fate::Dropped) {
      f.drop = true;
    } else if (r.arrival_count > 0) {
      const std::int64_t delay = r.arrivals_us[0] - r.sent_us;
      if (delay != base.delay_us) f.delay_us = delay;
      for (std::uint8_t c = 1; c < r.arrival_count; ++c)
        f.dup_gaps_us.push_back(r.arrivals_us[c] - r.arrivals_us[0]);
      if (!f.delay_us && f.dup_gaps_us.empty()) continue;
    } else {
      continue;  // never given a fate: the run was cut off before
    }
    s.faults.push_back(f);
  }
  return s;
}

ExploreReport explore(const Scenario& base, const ExploreOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  Scenario scenario = options.mutant ? options.mutant->apply(base) : base;
  scenario.faults.clear();
  const model::TableVariant& table =
      options.mutant ? options.mutant->table() : model::reference_table();
  const Search search{scenario, options};
  ExploreReport report;
  report.row_hits.assign(table.rows().size(), 0);
  for (const Invariant& inv : catalog())
    if (!options.property || &inv == options.property)
      report.tallies.push_back(PropertyTally{inv.id, 0, 0, 0});
  VisitedSet visited(options.visited_bytes);

  std::vector<std::unique_ptr<World>> frontier;
  std::vector<std::vector<Outcome>> level(1);
  const Budget all{options.bounds.drops, options.bounds.dups, options.bounds.delays};
  level[0].push_back(search.settle(std::make_unique<World>(scenario, table, all,
                                                           options.bounds.reorder,
                                                           options.detailed_traces),
                                   0));
  std::uint32_t depth = 0;
  std::uint64_t frontier_bytes = 0;
  for (;;) {
    // Taken in order, whatever thread made them: the same states, counts
    // and counterexample for any number of threads.
    // The level being expanded lives until the next is built.
    const std::uint64_t expanded_bytes = frontier_bytes;
    frontier_bytes = 0;
    frontier.clear();
    for (std::vector<Outcome>& slice : level)
      for (Outcome& o : slice) {
        ++report.transitions;
        for (std::int32_t row : o.rows)
          if (row >= 0) ++report.row_hits[static_cast<std::size_t>(row)];
        if (options.merge && !visited.insert(o.fingerprint)) {
          ++report.merged;
          continue;
        }
        ++report.states;
        if (!o.ended) {
          frontier_bytes += approx_bytes(*o.world);
          frontier.push_back(std::move(o.world));
          continue;
        }
        ++report.ended;
        if (o.world->trace().cut_off) ++report.cut_off;
        if (options.on_end) options.on_end(o.world->trace());
        for (std::size_t i = 0; i < o.verdicts.size(); ++i) {
          PropertyTally& t = report.tallies[i];
          ++t.runs;
          t.applicable += o.verdicts[i].applicable ? 1 : 0;
          if (o.verdicts[i].holds()) continue;
          ++t.failed;
          if (report.counterexample) continue;
          ExploreCounterexample c;
          c.property = std::string(o.verdicts[i].id);
          c.depth = depth;
          c.scenario = path_scenario(base, o.world->trace());
          c.violations = o.verdicts[i].violations;
          report.counterexample = std::move(c);
        }
      }
    report.peak_frontier_bytes =
        std::max(report.peak_frontier_bytes, expanded_bytes + frontier_bytes);
    report.depth = depth;
    if (options.progress) options.progress(report.states, depth);
    if (report.counterexample || frontier.empty()) break;
    if (expanded_bytes + frontier_bytes > options.frontier_bytes) {
      report.frontier_exhausted = true;
      break;
    }
    ++depth;
    const unsigned threads =
        std::max(1u, std::min<unsigned>(options.threads, static_cast<unsigned>(frontier.size())));
    level.clear();
    level.resize(threads);
    const std::size_t per = (frontier.size() + threads - 1) / threads;
    auto work = [&](unsigned k) {
      const std::size_t from = k * per, to = std::min(frontier.size(), from + per);
      for (std::size_t i = from; i < to; ++i) {
        search.expand(*frontier[i], level[k]);
        frontier[i].reset();  // freed here, on this thread, not one by one after
      }
    };
    if (threads == 1) {
      work(0);
    } else {
      std::vector<std::thread> pool;
      for (unsigned k = 0; k < threads; ++k) pool.emplace_back(work, k);
      for (std::thread& t : pool) t.join();
    }
  }
  report.bitstate = visited.bitstate();
  report.omission_probability = options.merge ? visited.omission_probability() : 0.0;
  report.visited_bytes = visited.bytes();
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

}  // namespace fincheck::explore
