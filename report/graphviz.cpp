#include "report/graphviz.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

namespace fincheck::report {

namespace {

std::string read_all(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A private folder for dot's input and output, removed when done.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "fincheck-dot-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw GraphvizError("cannot make a scratch folder for dot");
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace

bool dot_available() { return std::system("command -v dot >/dev/null 2>&1") == 0; }

std::string render_svg(const std::string& graph) {
  if (!dot_available())
    throw GraphvizError(
        "Graphviz's dot is not installed: it draws the SVG (apt-get install graphviz), or ask "
        "for --dot and draw it elsewhere");
  ScratchDir dir;
  const auto in = dir.path() / "graph.dot", out = dir.path() / "graph.svg",
             log = dir.path() / "dot.log";
  std::ofstream(in, std::ios::binary) << graph;
  const std::string cmd =
      "dot -Tsvg -o '" + out.string() + "' '" + in.string() + "' 2>'" + log.string() + "'";
  if (std::system(cmd.c_str()) != 0) throw GraphvizError("dot failed: " + read_all(log));
  return read_all(out);
}

}  // namespace fincheck::report
