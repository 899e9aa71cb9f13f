#pragma once
// Writing a whole file, checked: a failed open, write, flush or close is an
// error naming the file and the reason, never a file claimed as saved that
// was not (a full disk, a folder that is not there, /dev/full).
#include <stdexcept>
#include <string>
#include <string_view>

namespace fincheck {

class OutputError : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Writes `text` to `path`, replacing it. Throws OutputError.
void write_output_file(const std::string& path, std::string_view text);

}  // namespace fincheck
