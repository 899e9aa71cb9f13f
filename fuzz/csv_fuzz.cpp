// The CSV reader and merge: any bytes are a file or a ScenarioError. A file
// that reads is refused as its own second shard, merges alone (partially
// when it lacks shards) and what merge writes reads back.
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
  CsvFile file;
  try {
    file = read_csv(in, "fuzz.csv");
  } catch (const ScenarioError&) {
    return 0;
  }
  // A file merged with itself is refused (a shard twice); the complete
  // merge of a file alone must read back as it was.
  try {
    merge_files({{"a.csv", file}, {"b.csv", file}}, false);
    std::abort();  // one shard twice was added up
  } catch (const MergeError&) {
  }
  CsvFile merged;
  try {
    merged = merge_files({{"a.csv", file}}, true);
  } catch (const MergeError&) {
    return 0;  // a partial merge's file, which cannot be merged again
  } catch (const std::overflow_error&) {
    return 0;
  }
  std::ostringstream out;
  write_csv(merged, out);
  std::istringstream back(out.str());
  const CsvFile again = read_csv(back, "merged.csv");  // throws: a bug
  if (again.rows.size() != file.rows.size()) std::abort();
  return 0;
}
