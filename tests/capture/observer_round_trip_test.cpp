// Every shipped scenario's run, captured (`run --pcap`) and judged by the
// observer: it gives the verdicts the run gave wherever the capture can
// show them. Two captures of each run: the receivers' (every copy that
// arrived, when it arrived: vantage both) and the sender's (the same with
// the `-dropped.pcap` merged in: every segment sent, lost ones too; the
// vantage is then the path, where any segment may be lost after it is seen).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>

#include "capture/connections.hpp"
#include "capture/reader.hpp"
#include "impl/pcap_export.hpp"
#include "impl/scenario_io.hpp"
#include "impl/simulation.hpp"
#include "properties/capture_observer.hpp"
#include "properties/checker.hpp"
#include "properties/invariant.hpp"
#include "properties/mutants.hpp"

namespace fincheck {
namespace {

struct Judged {
  std::size_t connections = 0;
  std::vector<std::string> divergences;
  std::map<std::string, bool> fails;  // invariant id -> broken in some connection
};

// The frames of `files`, merged in time order, judged.
Judged judge(const std::vector<std::string>& files, const model::Parameters& params,
             Vantage vantage) {
  struct Frame {
    std::int64_t at_us;
    std::size_t file;
    std::uint64_t number;
    capture::TcpHeader h;
  };
  std::vector<Frame> frames;
  for (std::size_t f = 0; f < files.size(); ++f) {
    capture::CaptureReader reader(files[f]);
    while (const auto fr = reader.next()) {
      const auto d = capture::decode_frame(reader.link_type(), fr->bytes);
      if (const auto* h = std::get_if<capture::TcpHeader>(&d))
        frames.push_back({fr->at_us, f, fr->number, *h});
    }
  }
  std::stable_sort(frames.begin(), frames.end(),
                   [](const Frame& x, const Frame& y) { return x.at_us < y.at_us; });
  Judged out;
  capture::ConnectionTable table(
      params.time_wait(),
      [&](const capture::Connection& c) {
        ConnectionObserver& o = observer_of(c);
        o.finish();
        ++out.connections;
        if (o.divergence()) out.divergences.push_back(o.divergence()->message);
        for (const Verdict& v : o.verdicts()) out.fails[std::string(v.id)] |= !v.holds();
      },
      observer_sinks(params, vantage));
  for (const Frame& f : frames) table.add(f.at_us, f.number, f.h);
  table.finish();
  return out;
}

// Where a capture cannot show what the run knew, by scenario and capture:
// "divergence", or the invariant whose verdict differs.
const std::map<std::pair<std::string, bool>, std::set<std::string>>& cannot_show() {
  static const std::map<std::pair<std::string, bool>, std::set<std::string>> m = {
      // `inject` forges a RST in a's name that a never sent: the observer
      // says so (no model of a sends a RST at that number), on either wire.
      {{"rst-challenge", false}, {"divergence"}},
      {{"rst-challenge", true}, {"divergence"}},
      // A reopen's second connection has no handshake in a run's capture:
      // one 4-tuple, one connection to the observer, and the old duplicate
      // that reached connection 2 is, to it, a late segment of connection 1.
      {{"old-duplicate-short-time-wait", false}, {"divergence", "no-old-duplicate-accepted"}},
      {{"old-duplicate-short-time-wait", true}, {"no-old-duplicate-accepted"}},
      // The lost final ACK never reaches the receivers' wire: to them, a
      // never ACKed b's FIN.
      {{"final-ack-lost-no-time-wait", false}, {"every-fin-acked"}},
      // On the path a loss and a long delay look alike: the lost ACK is
      // taken to have arrived late, so no loss preceded a's RST.
      {{"final-ack-lost-no-time-wait", true}, {"no-rst-single-loss"}},
  };
  return m;
}

TEST(ObserverRoundTrip, EveryScenariosCaptureGivesTheRunsVerdicts) {
  const std::filesystem::path dir =
      std::filesystem::path(std::getenv("FINCHECK_SOURCE_DIR")) / "scenarios";
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".scn") continue;
    const std::string name = entry.path().stem().string();
    const Scenario s = load_scenario(entry.path().string());
    Simulation sim(s);
    const Trace& t = sim.run();
    std::map<std::string, bool> run_fails;
    for (const Verdict& v : check_all(fincheck::Run{s, t})) run_fails[std::string(v.id)] = !v.holds();
    const std::string path =
        (std::filesystem::temp_directory_path() / ("fincheck-ort-" + name + ".pcap")).string();
    const PcapFiles files = write_pcap(t, path);
    for (const bool sender : {false, true}) {
      const Judged j = sender ? judge({files.arrivals, files.dropped}, s.params, Vantage::Path)
                              : judge({files.arrivals}, s.params, Vantage::Both);
      std::set<std::string> differ;
      if (!j.divergences.empty()) differ.insert("divergence");
      for (const auto& [id, fails] : run_fails)
        if (j.fails.count(id) && j.fails.at(id) != fails) differ.insert(id);
      const auto known = cannot_show().find({name, sender});
      EXPECT_EQ(differ, known == cannot_show().end() ? std::set<std::string>{} : known->second)
          << name << (sender ? ": the senders' capture" : ": the receivers' capture")
          << (j.divergences.empty() ? "" : ", divergence: " + j.divergences.front());
      EXPECT_GE(j.connections, t.segments.empty() ? 0U : 1U) << name;
    }
  }
}

// Each mutant's counterexample (`check --mutant`, seed 1), run under the
// mutant, captured at the receivers and at the senders, and judged by the
// reference model with the counterexample's parameters: caught -- a
// divergence, or an invariant broken -- unless what the mutant breaks never
// reaches a wire.
TEST(ObserverRoundTrip, TheCapturesOfMutantsCounterexamplesAreCaught) {
  const std::set<std::string> unseen = {
      // An end's state with nothing sent from it: invisible on any wire.
      // The passive closer lingers in TIME-WAIT instead of CLOSED, silent.
      "passive-closer-time-wait",
      // Killed by transitions-in-table, which reads the states the mutant
      // took: skipping CLOSING, or leaving FIN-WAIT-1 on an ACK one short
      // of the FIN, sends nothing different in the counterexample.
      "simultaneous-close-skips-closing",
      "ack-of-fin-inclusive",
      // No invariant kills it (only the shadow does, README "mutants"): its
      // wire shows a RST that only `inject` forges, which the observer
      // already reports as sent by no model.
      "rst-anywhere-in-window (no counterexample)",
  };
  std::set<std::string> missed;
  for (const Mutant& m : mutants()) {
    CheckOptions options;
    options.seed = 1;
    options.cases = 2'000;
    options.mutant = &m;
    const CheckReport report = run_check(options);
    if (!report.counterexample) {
      missed.insert(std::string(m.name) + " (no counterexample)");
      continue;
    }
    const Scenario s = m.apply(report.counterexample->scenario);
    Simulation sim(s, m.table());
    const Trace& t = sim.run();
    const std::string path = (std::filesystem::temp_directory_path() /
                              ("fincheck-orm-" + std::string(m.name) + ".pcap"))
                                 .string();
    const PcapFiles files = write_pcap(t, path);
    const model::Parameters& p = report.counterexample->scenario.params;
    bool caught = false;
    for (const Judged& j : {judge({files.arrivals}, p, Vantage::Both),
                            judge({files.arrivals, files.dropped}, p, Vantage::Path)})
      caught |= !j.divergences.empty() || std::any_of(j.fails.begin(), j.fails.end(),
                                                      [](const auto& f) { return f.second; });
    if (!caught) missed.insert(std::string(m.name));
  }
  EXPECT_EQ(missed, unseen);
}

}  // namespace
}  // namespace fincheck
