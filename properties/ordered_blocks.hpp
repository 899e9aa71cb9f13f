#pragma once
// Work split into blocks of consecutive indices, run on several threads and
// handed back in index order -- so that a parallel run counts, stops and
// reports exactly as one thread would. A block may end the run (a
// counterexample found): blocks after it are dropped, and no thread starts
// one.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace fincheck {

// run(from, to) does indices [from, to) and says whether its result ends the
// run; `progress(done)` is called from one thread at a time.
template <class Result>
std::vector<Result> run_ordered_blocks(
    std::uint64_t n, std::uint64_t block, unsigned threads,
    const std::function<std::pair<Result, bool>(std::uint64_t from, std::uint64_t to)>& run,
    const std::function<void(std::uint64_t done)>& progress = {}) {
  const std::uint64_t blocks = (n + block - 1) / block;
  std::vector<std::optional<Result>> results(blocks);
  std::atomic<std::uint64_t> next{0}, done{0}, first_stop{blocks};
  std::mutex lock;
  auto worker = [&] {
    for (std::uint64_t b = next++; b < blocks && b < first_stop; b = next++) {
      const std::uint64_t from = b * block, to = std::min(n, from + block);
      auto [result, stops] = run(from, to);
      {
        const std::lock_guard guard(lock);
        results[b] = std::move(result);
      }
      if (stops) {
        std::uint64_t seen = first_stop;
        while (b < seen && !first_stop.compare_exchange_weak(seen, b)) {
        }
      }
      done += to - from;
    }
  };
  std::vector<std::thread> pool;
  for (unsigned i = 1; i < std::max(1U, threads); ++i) pool.emplace_back(worker);
  std::atomic<bool> finished{false};
  std::thread reporter;
  if (progress && threads > 1)
    reporter = std::thread([&] {
      while (!finished) {
        progress(done);
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    });
  if (progress && threads <= 1) {
    // One thread: report after every block, from this thread.
    for (std::uint64_t b = next++; b < blocks && b < first_stop; b = next++) {
      const std::uint64_t from = b * block, to = std::min(n, from + block);
      auto [result, stops] = run(from, to);
      results[b] = std::move(result);
      if (stops) first_stop = b;
      done += to - from;
      progress(done);
    }
  } else {
    worker();
  }
  for (auto& t : pool) t.join();
  finished = true;
  if (reporter.joinable()) reporter.join();
  std::vector<Result> ordered;
  for (std::uint64_t b = 0; b < blocks && b <= first_stop; ++b)
    if (results[b]) ordered.push_back(std::move(*results[b]));
  return ordered;
}

}  // namespace fincheck
