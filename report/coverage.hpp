#pragma once
// Reads the coverage a command's JSON carries -- `row_hits` (check, validate,
// run) and, from validate, each divergence class with the row it followed --
// for the state diagram. Anything else is refused with the file and the
// reason.
#include <cstddef>
#include <stdexcept>
#include <string>

#include "report/state_diagram.hpp"

namespace fincheck::report {

struct CoverageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// `model` names the table drawn ("reference" or a mutant's name) and `rows`
// its number of rows: the file must be coverage of that table. One JSON
// document, or one per line (`run --json` over several files), summed.
Coverage read_coverage(const std::string& path, const std::string& model, std::size_t rows);

}  // namespace fincheck::report
