#pragma once
// The subcommands of `fincheck`, callable without spawning the binary. Each
// returns the process exit code: 0 all held, 1 something violated, 2 bad
// input or misuse (DESIGN.md).
#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace fincheck {
struct StackUnderTest;
}

namespace fincheck::cli {

inline constexpr int exit_ok = 0;
inline constexpr int exit_violation = 1;
inline constexpr int exit_bad_input = 2;

struct RunOptions {
  std::vector<std::string> files;
  bool json = false;     // one JSON object per file
  bool timers = false;   // the ladder (and JSON) show every timer operation
  bool brief = false;    // one verdict line per file
  bool expect = false;   // hold each file to its `# expect:` line
  std::string mutant;    // run under this mutant instead of the reference model
  std::string pcap;      // write the run as a capture (one file only)
  std::string svg;       // write the ladder as SVG (one file only)
  std::string html;      // write an HTML report into this folder
  std::string impl;      // a stack (stacks/registry.hpp) plays `as`; empty: the model
  std::string as = "a";  // "a", "b" or "both"
  std::uint32_t stack_timeout_ms = 5'000;
};

int run(const RunOptions& options, std::ostream& out, std::ostream& err);

struct TraceCliOptions {
  std::string file;  // pcap or pcapng
  bool json = false;
  // The model's parameters: a built-in profile or a profile file. Its
  // TIME-WAIT also decides how long an ended connection is kept for its
  // late segments.
  std::string profile = "rfc9293";
  std::string vantage;  // a, b, path, both; empty: inferred per connection
  std::size_t bound = 16;  // configurations the observer keeps per connection
  std::string save;     // folder for a scenario of each divergent connection
  bool progress = true;  // a progress line on long captures
};

// Reads a capture and judges the teardown of each TCP connection in it
// against the model (exit 1 for a divergence or a broken invariant, 2 for a
// damaged file or a bad option).
int trace(const TraceCliOptions& options, std::ostream& out, std::ostream& err);

struct TableCliOptions {
  bool json = false;
  bool dot = false;  // the state diagram as Graphviz text
  bool svg = false;  // ... drawn by Graphviz
  std::string mutant;
  std::string coverage;  // the --json output of check, validate or run
  std::string out;       // default: standard output
};

int table(const TableCliOptions& options, std::ostream& out, std::ostream& err);

struct ValidateCliOptions {
  unsigned threads = 0;       // 0: one per core (a stack that cannot run twice at once: one)
  std::string impl = "lwip";  // a registered stack, mutant:NAME, or exec:PROGRAM
  std::string as = "all";     // "a", "b", "both", or "all" of them
  std::string profile_file;   // the model takes these parameters for the stack
  std::uint32_t stack_timeout_ms = 5'000;
  std::string junit;               // write JUnit XML here too
  std::string html;                // write an HTML report into this folder
  std::vector<std::string> files;  // scenario files; none: generated cases
  std::uint32_t cases = 1'000;
  std::uint64_t seed = 1;
  std::string out_dir = ".";
  bool json = false;
  bool progress = true;
};

int validate(const ValidateCliOptions& options, std::ostream& out, std::ostream& err);

struct ProbeCliOptions {
  std::string impl = "lwip";
  bool json = false;
};

// Lists the registered stacks with what each declares.
int stacks(bool json, std::ostream& out);

// "a, b, c": the names a misspelt --mutant or --property could have meant.
std::string mutant_names();
std::string property_names();

// Every JSON document says which fincheck wrote it.
nlohmann::json versioned(nlohmann::json document);
// The document as text; a string that is not UTF-8 (a file name is any
// bytes) has its bad bytes replaced by U+FFFD instead of ending the command.
std::string json_text(const nlohmann::json& document, int indent = 2);

// Measures a stack's teardown parameters beside its profile's cited values.
int probe(const ProbeCliOptions& options, std::ostream& out, std::ostream& err);

// TIME-WAIT as `stack` keeps it in a fault-free close it starts (the
// probe's first measurement); nullopt if the run shows no entry and exit.
std::optional<std::int64_t> measured_time_wait(const StackUnderTest& stack);

// The default budget of `fincheck check`: at it, every row of the table is
// hit (tests/properties/coverage_test.cpp).
inline constexpr std::uint32_t default_check_cases = 100'000;

// `--threads N`: N, or one per core for 0.
unsigned threads_or_cores(unsigned threads);

struct CheckCliOptions {
  unsigned threads = 0;  // 0: one per core
  std::uint64_t seed = 0;
  bool seed_given = false;
  std::uint32_t cases = default_check_cases;
  std::string profile;           // empty: any
  std::string profile_file;      // a profile of one's own, in place of `profile`
  std::string property;          // empty: the whole catalog
  std::string mutant;            // empty: the reference model
  std::uint32_t max_faults = 4;  // faults per generated case, at most
  std::string out_dir = ".";
  std::string junit;  // write JUnit XML here too
  std::string html;   // write an HTML report into this folder
  bool json = false;
  bool progress = true;
};

int check(const CheckCliOptions& options, std::ostream& out, std::ostream& err);

struct MutantsCliOptions {
  std::string junit;  // write JUnit XML here too
  std::string html;   // write an HTML report into this folder
  std::uint64_t seed = 1;
  std::uint32_t cases = 20'000;
  std::string out_dir;  // where to save each counterexample; empty: nowhere
  bool json = false;
  bool progress = true;
  bool explore = true;  // column E: the explorer's smallest killing bounds
};

int mutants(const MutantsCliOptions& options, std::ostream& out, std::ostream& err);

struct SweepCliOptions {
  std::string file;  // a sweep file; flags override its axes
  // Each axis's values from its flag, by axis name; empty: the file's.
  std::map<std::string, std::vector<std::string>, std::less<>> axes;
  // A stack in virtual time on some sides of every teardown (fincheck
  // stacks); empty: the model plays both.
  std::string impl;
  std::string as = "a";
  unsigned stack_timeout_ms = 5'000;
  std::uint64_t samples = 0;  // 0: the file's, or 10,000
  std::uint64_t seed = 1;
  bool seed_given = false;
  unsigned threads = 0;  // 0: one per core
  std::string shard = "0/1";
  std::string out;   // CSV file; empty: standard output
  std::string plot;  // write PLOT.gp drawing the sweep
  // "P:I": write teardown I of point P as a scenario file instead of
  // sweeping (to --out, default sweep-pP-iI.scn), and with --pcap a capture.
  std::string replay;
  std::string pcap;
  // Save the first N teardowns of each outcome of each point as scenario
  // files in `examples_dir`.
  std::uint32_t examples = 0;
  std::string examples_dir = "sweep-examples";
  // Write each point's histograms of time to close and in TIME_WAIT here.
  std::string histograms;
  bool progress = true;
};

int sweep(const SweepCliOptions& options, std::ostream& out, std::ostream& err);

// Adds up shard CSVs of one experiment point by point into the single-run
// CSV; `partial`: shards may be missing, and the result says which.
int merge(const std::vector<std::string>& files, const std::string& out_file, bool partial,
          std::ostream& out, std::ostream& err);

struct ClaimsCliOptions {
  bool quick = false;
  unsigned threads = 0;
  std::uint64_t seed = 1;
  std::string out_dir = "claims-report";
  std::string html;  // write an HTML report, with the plots, into this folder
  bool progress = true;
};

int claims(const ClaimsCliOptions& options, std::ostream& out, std::ostream& err);

struct ExploreCliOptions {
  std::vector<std::string> files;  // scenario files; none: the textbook closes
  std::string close;               // one textbook close by name; empty: all
  std::uint32_t drops = 2;
  std::uint32_t dups = 2;
  std::uint32_t delays = 0;
  bool reorder = false;
  std::string mutant;
  std::string property;
  // 0: one per core. One by default: on this project's VM two are no faster
  // (README, "Speed").
  unsigned threads = 1;
  std::uint64_t memory_mb = 4096;  // an eighth for the visited set, the rest the frontier
  bool no_merge = false;  // every path a state of its own (to check the merging)
  std::string out_dir = ".";
  bool json = false;
  bool progress = true;
};

// Explores every fault plan and ordering within the bounds, state by state
// (exit 1 for a violation, 2 for bad input or a search that did not finish).
int explore(const ExploreCliOptions& options, std::ostream& out, std::ostream& err);

}  // namespace fincheck::cli
