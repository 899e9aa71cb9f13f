#pragma once
// Sweep results as CSV: one row per point, the axis values, the raw counts
// and sums (what `fincheck merge` adds up) and the derived proportions with
// their Wilson 95 % intervals and mean times.
#include <istream>
#include <ostream>
#include <string>
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

void write_csv(const std::vector<PointResult>& results, std::ostream& out);

// Rows read back: the point key (axis columns) and its tally.
struct CsvRow {
  std::string key;
  Tally tally;
};
// Throws ScenarioError naming the file and line on malformed input.
std::vector<CsvRow> read_csv(std::istream& in, const std::string& source);

// Adds the rows of several shard files point by point.
std::vector<CsvRow> merge_rows(const std::vector<std::vector<CsvRow>>& files);
void write_rows(const std::vector<CsvRow>& rows, std::ostream& out);

}  // namespace fincheck::research
