// Reading a capture: frames read and decoded per second, teardowns grouped
// per second, and teardowns judged by the model-driven observer per second,
// on a generated capture of a million teardowns (a thousand 4-tuples
// closing at once, one FIN in a hundred retransmitted, a frame a
// millisecond).
#include <benchmark/benchmark.h>

#include <pcap/pcap.h>

#include <filesystem>

#include "capture/connections.hpp"
#include "capture/frame.hpp"
#include "capture/reader.hpp"
#include "impl/wire.hpp"
#include "properties/capture_observer.hpp"

namespace fincheck::capture {
namespace {

constexpr int teardowns = 1'000'000;
constexpr int at_once = 1'000;

struct Generated {
  std::string path;
  std::uint64_t frames = 0;
};

// Written once per process: raw IP, the four segments of a close (FIN,
// its ACK, the peer's FIN, the last ACK), batches of `at_once`
// connections interleaved.
const Generated& capture() {
  static const Generated g = [] {
    Generated out;
    out.path = (std::filesystem::temp_directory_path() / "fincheck-capture-bench.pcap").string();
    pcap_t* dead = pcap_open_dead(DLT_RAW, 65535);
    pcap_dumper_t* d = pcap_dump_open(dead, out.path.c_str());
    std::int64_t us = 0;
    auto put = [&](WireSegment s) {
      const auto bytes = encode(s);
      pcap_pkthdr h{};
      us += 1'000;  // a frame a millisecond: a million teardowns in 67 minutes
      h.ts.tv_sec = us / 1'000'000;
      h.ts.tv_usec = static_cast<suseconds_t>(us % 1'000'000);
      h.caplen = h.len = static_cast<bpf_u_int32>(bytes.size());
      pcap_dump(reinterpret_cast<u_char*>(d), &h, bytes.data());
      ++out.frames;
    };
    // The close: a's FIN, b's ACK of it, b's FIN, a's last ACK.
    struct Step {
      bool from_a;
      std::uint8_t flags;
      std::uint32_t seq, ack;
    };
    static constexpr Step close[] = {{true, tcp_flag::fin | tcp_flag::ack, 1000, 5000},
                                     {false, tcp_flag::ack, 5000, 1001},
                                     {false, tcp_flag::fin | tcp_flag::ack, 5000, 1001},
                                     {true, tcp_flag::ack, 1001, 5001}};
    for (int batch = 0; batch < teardowns / at_once; ++batch)
      for (const Step& step : close)
        for (int i = 0; i < at_once; ++i) {
          const int n = batch * at_once + i;
          // One FIN in a hundred retransmitted, a second after the first
          // (Linux's floor is 200 ms), before the peer's ACK of it.
          const bool resend = &step == &close[1] && n % 100 == 0;
          // 198.18.0.0/15 only (RFC 2544): clients in 198.18.x.y, the server 198.19.0.2.
          const std::uint32_t client =
              (198U << 24) | (18U << 16) | static_cast<std::uint32_t>(n / 60'000);
          const std::uint32_t server = (198U << 24) | (19U << 16) | 2U;
          const auto port = static_cast<std::uint16_t>(1024 + n % 60'000);
          WireSegment s;
          s.src_ip = step.from_a ? client : server;
          s.dst_ip = step.from_a ? server : client;
          s.src_port = step.from_a ? port : 80;
          s.dst_port = step.from_a ? 80 : port;
          if (resend) {
            WireSegment fin = s;
            std::swap(fin.src_ip, fin.dst_ip);
            std::swap(fin.src_port, fin.dst_port);
            fin.seq = close[0].seq;
            fin.ack = close[0].ack;
            fin.flags = close[0].flags;
            put(fin);
          }
          s.seq = step.seq;
          s.ack = step.ack;
          s.flags = step.flags;
          put(s);
        }
    pcap_dump_close(d);
    pcap_close(dead);
    return out;
  }();
  return g;
}

void BM_ReadAndDecode(benchmark::State& state) {
  const Generated& g = capture();
  for (auto _ : state) {
    CaptureReader r(g.path);
    std::uint64_t tcp = 0;
    while (const auto f = r.next())
      tcp += std::holds_alternative<TcpHeader>(decode_frame(r.link_type(), f->bytes));
    if (tcp != g.frames) state.SkipWithError("a generated frame did not decode");
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * g.frames));
  state.SetLabel("segments");
}
BENCHMARK(BM_ReadAndDecode)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_GroupTeardowns(benchmark::State& state) {
  const Generated& g = capture();
  std::size_t most_open = 0;
  for (auto _ : state) {
    std::uint64_t done = 0;
    // Ended connections kept for Linux's 60 s TIME-WAIT.
    ConnectionTable table(60'000'000, [&](const Connection&) { ++done; });
    CaptureReader r(g.path);
    while (const auto f = r.next())
      table.add(f->at_us, f->number, std::get<TcpHeader>(decode_frame(r.link_type(), f->bytes)));
    table.finish();
    most_open = table.most_open();
    if (done != teardowns) state.SkipWithError("not every teardown was grouped");
  }
  state.SetItemsProcessed(state.iterations() * teardowns);
  state.SetLabel("teardowns");
  state.counters["most_open"] = static_cast<double>(most_open);
}
BENCHMARK(BM_GroupTeardowns)->Unit(benchmark::kMillisecond)->Iterations(3);

// Every teardown judged with the linux profile: the vantage inferred (no
// handshake in this capture: the path, the most ambiguous), or given as a
// host's (argument 1: a's).
void BM_JudgeTeardowns(benchmark::State& state) {
  const Generated& g = capture();
  const model::Parameters linux = *model::profile_named("linux");
  const std::optional<Vantage> vantage =
      state.range(0) ? std::optional(Vantage::A) : std::nullopt;
  std::size_t most_open = 0, most_configurations = 0;
  std::string first_divergence;
  for (auto _ : state) {
    std::uint64_t allowed = 0;
    ConnectionTable table(
        linux.time_wait(),
        [&](const Connection& c) {
          ConnectionObserver& o = observer_of(c);
          o.finish();
          const auto verdicts = o.verdicts();
          allowed += !o.divergence() && std::all_of(verdicts.begin(), verdicts.end(),
                                                    [](const Verdict& v) { return v.holds(); });
          most_configurations = std::max(most_configurations, o.most_configurations());
          if (o.divergence() && first_divergence.empty()) first_divergence = o.divergence()->message;
        },
        observer_sinks(linux, vantage));
    CaptureReader r(g.path);
    while (const auto f = r.next())
      table.add(f->at_us, f->number, std::get<TcpHeader>(decode_frame(r.link_type(), f->bytes)));
    table.finish();
    most_open = table.most_open();
    if (allowed != teardowns)
      state.SkipWithError(("a generated teardown was not allowed: " + first_divergence).c_str());
  }
  state.SetItemsProcessed(state.iterations() * teardowns);
  state.SetLabel(vantage ? "teardowns, vantage a" : "teardowns, vantage inferred (path)");
  state.counters["most_open"] = static_cast<double>(most_open);
  state.counters["configurations"] = static_cast<double>(most_configurations);
}
BENCHMARK(BM_JudgeTeardowns)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
}  // namespace fincheck::capture

BENCHMARK_MAIN();
