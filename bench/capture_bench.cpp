// Reading a capture: frames read and decoded per second, and teardowns
// grouped per second, on a generated capture of a million teardowns
// (a thousand 4-tuples closing at once, one FIN in a hundred
// retransmitted, a frame a millisecond).
#include <benchmark/benchmark.h>

#include <pcap/pcap.h>

#include <filesystem>

#include "capture/connections.hpp"
#include "capture/frame.hpp"
#include "capture/reader.hpp"
#include "impl/wire.hpp"

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
          s.seq = step.seq;
          s.ack = step.ack;
          s.flags = step.flags;
          put(s);
          if (&step == &close[0] && n % 100 == 0) put(s);  // a retransmitted FIN
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

}  // namespace
}  // namespace fincheck::capture

BENCHMARK_MAIN();
