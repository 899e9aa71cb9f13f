#pragma once
// Sweep results as CSV: one row per point, the axis values, the raw counts
// and sums (what `fincheck merge` adds up) and the derived proportions with
// their Wilson 95 % intervals and mean times.
#include <istream>
#include <ostream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "research/monte_carlo.hpp"

namespace fincheck::research {

// The outcomes reported as proportions, by column prefix.
struct OutcomeColumn {
  const char* name;
  std::uint64_t Tally::*count;
  bool TeardownOutcome::*flag;  // the same outcome, of one teardown
};
const std::vector<OutcomeColumn>& outcome_columns();

// What made a CSV, written above its header as "# key: value" lines that
// spreadsheets show as rows of one cell and `pandas.read_csv(comment="#")`
// or gnuplot skip: fincheck's version, the seed, the samples per point, the
// shard, every line of the teardown, every axis, how delays are bounded,
// and an experiment id -- a hash of all of it but the version and the
// shard, so that two shards of one experiment carry the same id.
struct Provenance {
  std::vector<std::pair<std::string, std::string>> entries;  // in order, the shard not among them
  Shard shard;
  // A merge that lacked shards: it says which, and cannot be merged again.
  std::vector<std::uint32_t> missing;
  std::string experiment() const;
};
Provenance provenance_of(const SweepSpec& spec, Shard shard);

struct CsvRow {
  std::string key;  // the point's axis values
  Tally tally;
};
struct CsvFile {
  Provenance provenance;
  std::vector<CsvRow> rows;
};

void write_csv(const Provenance& provenance, const std::vector<PointResult>& results,
               std::ostream& out);
void write_csv(const CsvFile& file, std::ostream& out);

// Throws ScenarioError naming the file and line on malformed input, a file
// without provenance among it.
CsvFile read_csv(std::istream& in, const std::string& source);

// Adds up the shards of one experiment point by point: the same version,
// experiment and seed, every shard once. A shard given twice, shards of
// different experiments, or a missing shard (unless `partial`, when the
// result lists what is missing) throw MergeError naming the files and what
// differs.
struct MergeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct NamedCsv {
  std::string source;
  CsvFile file;
};
CsvFile merge_files(const std::vector<NamedCsv>& files, bool partial);

}  // namespace fincheck::research
