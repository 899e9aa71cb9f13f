#include "research/monte_carlo.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "impl/simulation.hpp"
#include "research/gilbert_elliott.hpp"
#include "research/results_csv.hpp"

namespace fincheck::research {

namespace {

// Fates at random: each segment lost with its direction's loss ratio (or
// its Gilbert-Elliott channel's), otherwise delayed past MSL with the
// point's late ratio, or else by a draw from its delay distribution; the
// template's own faults (a forced loss, say) come first. A feature at its
// default draws nothing, so adding it to the grid leaves the other points'
// numbers as they were.
class RandomFaults final : public FaultSource {
 public:
  RandomFaults(const Scenario& s, const SweepPoint& p, Draw& d, std::vector<SegmentFault>* fates)
      : s_(s), p_(p), d_(d), fates_(fates), channels_{channel(Side::A), channel(Side::B)} {}

  bool fate(Side from, std::uint32_t n, SegmentFault& fault) override {
    draw(from, n, fault);
    if (fates_) {
      SegmentFault drawn = fault;
      drawn.from = from;
      drawn.n = n;
      fates_->push_back(drawn);
    }
    return true;
  }

 private:
  void draw(Side from, std::uint32_t n, SegmentFault& fault) {
    if (const SegmentFault* planned = s_.fault_for(from, n)) {
      fault = *planned;
      return;
    }
    // The simulator hands in a blank fault; only what is drawn is set.
    const std::uint32_t loss = loss_of(from);
    if (p_.ge_p_ppm > 0 ? channels_[idx(from)].lost(d_) : loss > 0 && d_.chance_ppm(loss)) {
      fault.drop = true;
      return;
    }
    const std::int64_t msl = s_.params.msl_us;
    if (p_.late_ppm > 0 && d_.chance_ppm(p_.late_ppm)) {
      fault.delay_us = d_.range(msl + 1, s_.max_delay_us);
      return;
    }
    fault.delay_us = p_.delay.sample(d_, msl);
  }

  std::uint32_t loss_of(Side from) const {
    return from == Side::B && p_.loss_from_b_ppm ? *p_.loss_from_b_ppm : p_.loss_ppm;
  }
  GilbertElliott channel(Side from) const {
    return {p_.ge_p_ppm, p_.ge_r_ppm, loss_of(from), p_.ge_bad_loss_ppm};
  }
  static std::size_t idx(Side s) { return s == Side::A ? 0 : 1; }

  const Scenario& s_;
  const SweepPoint& p_;
  Draw& d_;
  std::vector<SegmentFault>* fates_;
  std::array<GilbertElliott, 2> channels_;
};

}  // namespace

void Examples::add(const TeardownOutcome& o, std::uint64_t index) {
  if (wanted == 0) return;
  const auto& columns = outcome_columns();
  indices.resize(columns.size());
  for (std::size_t k = 0; k < columns.size(); ++k)
    if (o.*(columns[k].flag) && indices[k].size() < wanted) indices[k].push_back(index);
}

void Examples::merge(const Examples& other) {
  wanted = std::max(wanted, other.wanted);
  indices.resize(std::max(indices.size(), other.indices.size()));
  for (std::size_t k = 0; k < other.indices.size(); ++k) {
    auto& mine = indices[k];
    mine.insert(mine.end(), other.indices[k].begin(), other.indices[k].end());
    std::sort(mine.begin(), mine.end());
    if (mine.size() > wanted) mine.resize(wanted);
  }
}

std::optional<Shard> parse_shard(const std::string& text) {
  // Digits, '/', digits, and nothing else ("0/2x" is no shard).
  std::uint32_t k = 0, n = 0;
  const char* end = text.data() + text.size();
  const auto [slash, e1] = std::from_chars(text.data(), end, k);
  if (e1 != std::errc{} || slash == end || *slash != '/') return std::nullopt;
  const auto [rest, e2] = std::from_chars(slash + 1, end, n);
  if (e2 != std::errc{} || rest != end || slash + 1 == rest) return std::nullopt;
  if (n == 0 || k >= n || n > 1'000'000) return std::nullopt;
  return Shard{k, n};
}

TeardownOutcome run_teardown(const Scenario& s, const SweepPoint& point, std::uint64_t seed,
                             std::uint64_t point_index, std::uint64_t index,
                             std::vector<SegmentFault>* fates, const SweepStack* stack) {
  Draw d(seed, point_index, index);
  RandomFaults faults(s, point, d, fates);
  return play_teardown(s, &faults, stack);
}

TeardownOutcome play_teardown(const Scenario& s, FaultSource* faults, const SweepStack* stack) {
  thread_local Trace buffer;
  // The stack's endpoints report into it until they are destroyed, with
  // the simulation.
  const std::unique_ptr<StackAttachment> attachment = stack ? stack->make() : nullptr;
  TeardownOutcome o;
  {
    Simulation sim(s, buffer);
    if (faults) sim.set_fault_source(faults);
    sim.set_detailed_trace(false);
    if (attachment) attachment->attach(sim);
    o = outcome_of(sim.run());
  }
  if (attachment) o.diverged = attachment->diverged();
  return o;
}

Tally run_samples(const Scenario& s, const SweepPoint& point, std::uint64_t seed,
                  std::uint64_t point_index, std::uint64_t from, std::uint64_t to,
                  Examples* examples, const SweepStack* stack) {
  Tally t;
  for (std::uint64_t i = from; i < to; ++i) {
    const TeardownOutcome o = run_teardown(s, point, seed, point_index, i, nullptr, stack);
    t.add(o);
    if (examples) examples->add(o, i);
  }
  return t;
}

std::vector<PointResult> run_sweep(const SweepSpec& spec, unsigned threads, Shard shard,
                                   const SweepProgress& progress, std::uint32_t examples) {
  const auto points = spec.points();
  std::vector<PointResult> results;
  std::vector<Scenario> scenarios;
  for (const SweepPoint& p : points) {
    results.push_back({p, {}, {examples, {}}});
    scenarios.push_back(p.scenario(spec.base, spec.stack.get()));
  }
  // This shard's samples of each point: a contiguous block.
  const std::uint64_t first = spec.samples * shard.k / shard.n;
  const std::uint64_t last = spec.samples * (shard.k + 1) / shard.n;
  constexpr std::uint64_t chunk = 4'096;
  const std::uint64_t chunks_per_point = (last - first + chunk - 1) / chunk;
  const std::uint64_t total_chunks = chunks_per_point * points.size();
  std::atomic<std::uint64_t> next{0};
  std::atomic<std::uint64_t> done{0};
  std::atomic<bool> stopped{false};
  std::exception_ptr failure;  // the first, rethrown once every thread is back
  std::mutex merge;
  auto worker = [&] {
    try {
      for (std::uint64_t c = next++; c < total_chunks && !stopped; c = next++) {
        const std::uint64_t p = c / chunks_per_point;
        const std::uint64_t from = first + (c % chunks_per_point) * chunk;
        const std::uint64_t to = std::min(last, from + chunk);
        Examples seen{examples, {}};
        const Tally t = run_samples(scenarios[p], points[p], spec.seed, p, from, to,
                                    examples ? &seen : nullptr, spec.stack.get());
        {
          const std::lock_guard lock(merge);
          try {
            results[p].examples.merge(seen);
            results[p].tally.merge(t);
          } catch (const std::overflow_error& e) {
            throw std::overflow_error("point " + std::to_string(p) + " (" + points[p].key() +
                                      "): " + e.what());
          }
        }
        done += to - from;
      }
    } catch (...) {
      const std::lock_guard lock(merge);
      if (!failure) failure = std::current_exception();
      stopped = true;
    }
  };
  std::vector<std::thread> pool;
  // A stack that exists once per process runs one teardown at a time.
  if (spec.stack && !spec.stack->concurrent) threads = 1;
  for (unsigned i = 1; i < std::max(1U, threads); ++i) pool.emplace_back(worker);
  std::thread reporter;
  if (progress) {
    reporter = std::thread([&] {
      const std::uint64_t total = (last - first) * points.size();
      while (done < total && !stopped) {
        progress(done, total);
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      if (!stopped) progress(total, total);
    });
  }
  worker();
  for (auto& t : pool) t.join();
  if (reporter.joinable()) reporter.join();
  if (failure) std::rethrow_exception(failure);
  return results;
}

}  // namespace fincheck::research
