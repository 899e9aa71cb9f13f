// fincheck: parse the command line, call the library, print.
#include <iostream>

#include <CLI/CLI.hpp>

#include "tools/commands.hpp"

int main(int argc, char** argv) {
  using namespace fincheck::cli;
  CLI::App app{"fincheck: checks the TCP connection teardown against a formal model"};
  app.require_subcommand(1);

  RunOptions run_options;
  auto* run_cmd = app.add_subcommand("run", "run scenario files and judge them by the invariants");
  run_cmd->add_option("files", run_options.files, "scenario files")->required()->check(CLI::ExistingFile);
  run_cmd->add_flag("--json", run_options.json, "print a JSON object per file");
  run_cmd->add_flag("--trace", run_options.timers, "also show every timer set, restarted, fired");
  run_cmd->add_flag("--brief", run_options.brief, "one verdict line per file");
  run_cmd->add_flag("--expect", run_options.expect,
                    "hold each file to its '# expect:' line; exit 1 on any mismatch");

  bool table_json = false;
  auto* table_cmd = app.add_subcommand("table", "print the rows of the teardown table");
  table_cmd->add_flag("--json", table_json, "as JSON");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return exit_bad_input;
  }
  if (*run_cmd) return run(run_options, std::cout, std::cerr);
  if (*table_cmd) return table(table_json, std::cout);
  return exit_bad_input;
}
