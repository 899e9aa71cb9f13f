#include "impl/output_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace fincheck {

void write_output_file(const std::string& path, std::string_view text) {
  // stdio, not a stream: each step reports its own errno.
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) throw OutputError("cannot write " + path + ": " + std::strerror(errno));
  const bool written = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  int saved = errno;
  const bool flushed = written && std::fflush(f) == 0;
  if (written && !flushed) saved = errno;
  const bool closed = std::fclose(f) == 0;
  if (written && flushed && !closed) saved = errno;
  if (!written || !flushed || !closed)
    throw OutputError("cannot write " + path + ": " + std::strerror(saved));
}

}  // namespace fincheck
