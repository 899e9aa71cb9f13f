// The CSV reader and merge: any bytes are rows or a ScenarioError. Rows that
// read are merged with themselves (a sum that would overflow is an
// overflow_error, never a wrapped count), and what merge writes reads back.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <stdexcept>
#include <string>

#include "impl/scenario_io.hpp"
#include "research/results_csv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace fincheck;
  using namespace fincheck::research;
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  std::vector<CsvRow> rows;
  try {
    rows = read_csv(in, "fuzz.csv");
  } catch (const ScenarioError&) {
    return 0;
  }
  std::ostringstream out;
  try {
    write_rows(merge_rows({rows, rows}), out);
  } catch (const std::overflow_error&) {
    return 0;
  }
  std::istringstream back(out.str());
  const std::vector<CsvRow> merged = read_csv(back, "merged.csv");  // throws: a bug
  if (merged.size() != rows.size()) std::abort();
  return 0;
}
