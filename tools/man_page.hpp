#pragma once
// The manual page, troff, written from the command line's own definition:
// every subcommand and option as `--help` shows it, so the two cannot drift.
#include <string>

namespace CLI {
class App;
}

namespace fincheck::cli {

std::string man_page(CLI::App& app);

}  // namespace fincheck::cli
