#include <filesystem>
#include <fstream>
#include <iomanip>

#include <nlohmann/json.hpp>

#include "explore/kill_column.hpp"
#include "impl/output_file.hpp"
#include "impl/scenario_io.hpp"
#include "impl/simulation.hpp"
#include "properties/kill_matrix.hpp"
#include "properties/validation.hpp"
#include "tools/commands.hpp"
#include "tools/html_reports.hpp"
#include "tools/junit.hpp"
#include "tools/pictures.hpp"
#include "tools/progress.hpp"

namespace fincheck::cli {

namespace {

std::string saved_path(const MutantsCliOptions& o, const Mutant& m, const Counterexample& c) {
  return (std::filesystem::path(o.out_dir) /
          ("counterexample-" + std::string(m.name) + "-" + c.property + ".scn"))
      .string();
}

using ExploreColumn = std::vector<explore::ExploreColumnCell>;

std::string seconds_text(double s) {
  char text[32];
  if (s < 1)
    std::snprintf(text, sizeof text, "%.1f ms", s * 1e3);
  else
    std::snprintf(text, sizeof text, "%.2f s", s);
  return text;
}

void print_explore_column(const KillMatrix& km, const ExploreColumn& ex, std::ostream& out) {
  out << "\nColumn E: the smallest bounds (drops, dups, delays) at which `fincheck explore`\n"
         "kills the mutant in a textbook close, and the time its searches took up to it;\n"
         "beside it, the time the random cases above took to their first failing case.\n\n";
  out << std::left << std::setw(34) << "mutant" << std::setw(10) << "E" << std::setw(20)
      << "close" << std::right << std::setw(10) << "explore" << std::setw(10) << "check" << '\n';
  for (std::size_t m = 0; m < km.mutants.size(); ++m) {
    const auto& cell = ex[m];
    out << std::left << std::setw(34) << km.mutants[m]->name << std::setw(10)
        << (cell.kill ? explore::bounds_name(cell.kill->bounds) : std::string("."))
        << std::setw(20) << (cell.kill ? cell.kill->close : std::string("survives"))
        << std::right << std::setw(10) << seconds_text(cell.seconds) << std::setw(10)
        << (km.first_kill_seconds[m] ? seconds_text(*km.first_kill_seconds[m]) : "never")
        << '\n';
  }
}

void print_text(const KillMatrix& km, std::ostream& out) {
  out << "fincheck mutants: " << km.mutants.size() << " mutants x " << km.invariants.size()
      << " invariants, " << km.cases << " cases each, seed " << km.seed << "\n\n";
  out << "A cell gives the size (directives) of the shrunk counterexample by which the\n"
         "invariant of that column kills the mutant of that row; '.' means it does not.\n"
         "Column S: the same for the shadow oracle, the mutant run as a stack under test.\n\n";
  out << std::left << std::setw(34) << "mutant";
  for (std::size_t i = 0; i < km.invariants.size(); ++i) out << std::right << std::setw(4) << i + 1;
  out << std::right << std::setw(5) << "S" << '\n';
  for (std::size_t m = 0; m < km.mutants.size(); ++m) {
    out << std::left << std::setw(34) << km.mutants[m]->name;
    for (std::size_t i = 0; i < km.invariants.size(); ++i) {
      const auto& cell = km.cells[m][i];
      out << std::right << std::setw(4) << (cell ? std::to_string(cell->size()) : ".");
    }
    const auto& shadow = km.shadow[m];
    out << std::right << std::setw(5) << (shadow ? std::to_string(shadow->size()) : ".");
    out << (km.killed(m) ? "" : "   SURVIVES") << '\n';
  }
  out << '\n';
  for (std::size_t i = 0; i < km.invariants.size(); ++i)
    out << std::right << std::setw(4) << i + 1 << "  " << km.invariants[i]->id
        << (km.kills(i) ? "" : "   (kills no mutant)") << '\n';
  out << "\nevery mutant killed: " << (km.every_mutant_killed() ? "yes" : "NO")
      << "\nevery invariant kills a mutant: " << (km.every_invariant_kills() ? "yes" : "NO")
      << '\n';
}

nlohmann::json explore_json(const explore::ExploreColumnCell& cell) {
  nlohmann::json j{{"killed", cell.kill.has_value()},
                   {"seconds", cell.seconds},
                   {"states", cell.states}};
  if (const auto& k = cell.kill) {
    j["bounds"] = {{"drops", k->bounds.drops},
                   {"dups", k->bounds.dups},
                   {"delays", k->bounds.delays},
                   {"reorder", k->bounds.reorder}};
    j["close"] = k->close;
    j["property"] = k->property;
    j["depth"] = k->depth;
    j["scenario"] = write_scenario(k->scenario);
  }
  return j;
}

nlohmann::json matrix_json(const KillMatrix& km, const ExploreColumn& ex,
                           const MutantsCliOptions& o) {
  nlohmann::json ms = nlohmann::json::array();
  for (std::size_t m = 0; m < km.mutants.size(); ++m) {
    nlohmann::json kills = nlohmann::json::array();
    for (std::size_t i = 0; i < km.invariants.size(); ++i) {
      const auto& cell = km.cells[m][i];
      if (!cell) continue;
      nlohmann::json k{{"property", cell->property},
                       {"size", cell->size()},
                       {"case", cell->case_index},
                       {"shrink_steps", cell->shrink_steps},
                       {"scenario", write_scenario(cell->scenario)}};
      if (!o.out_dir.empty()) k["file"] = saved_path(o, *km.mutants[m], *cell);
      kills.push_back(std::move(k));
    }
    nlohmann::json shadow = nullptr;
    if (const auto& k = km.shadow[m])
      shadow = {{"class", k->divergence.kind}, {"message", k->divergence.message},
                {"side", name_of(k->who)},     {"size", k->size()},
                {"case", k->case_index},       {"scenario", write_scenario(k->example)}};
    ms.push_back({{"name", km.mutants[m]->name},
                  {"breaks", km.mutants[m]->breaks},
                  {"killed", km.killed(m)},
                  {"killed_by", kills},
                  {"shadow", shadow},
                  {"explore", ex.empty() ? nlohmann::json(nullptr) : explore_json(ex[m])},
                  {"check_first_kill_seconds", km.first_kill_seconds[m]
                                                   ? nlohmann::json(*km.first_kill_seconds[m])
                                                   : nlohmann::json(nullptr)}});
  }
  nlohmann::json idle = nlohmann::json::array();
  for (std::size_t i = 0; i < km.invariants.size(); ++i)
    if (!km.kills(i)) idle.push_back(km.invariants[i]->id);
  const bool ok = km.every_mutant_killed() && km.every_invariant_kills();
  return {{"verdict", ok ? "pass" : "fail"},
          {"seed", km.seed},
          {"cases", km.cases},
          {"mutants", ms},
          {"invariants_killing_nothing", idle}};
}

// One test case per mutant (failed: it survived) and per invariant (failed:
// it kills none, so it has not been shown to test anything).
JunitSuite junit_suite(const KillMatrix& km, const MutantsCliOptions& o, double seconds) {
  JunitSuite suite{"fincheck mutants",
                   {{"seed", std::to_string(km.seed)},
                    {"cases", std::to_string(km.cases)},
                    {"version", FINCHECK_VERSION}},
                   {},
                   seconds};
  for (std::size_t m = 0; m < km.mutants.size(); ++m) {
    const Mutant& mutant = *km.mutants[m];
    JunitCase c;
    c.name = "mutant:" + std::string(mutant.name);
    std::string killers;
    for (std::size_t i = 0; i < km.invariants.size(); ++i)
      if (const auto& cell = km.cells[m][i]) {
        killers += (killers.empty() ? "" : ", ") + std::string(km.invariants[i]->id);
        if (!o.out_dir.empty()) c.text += "counterexample: " + saved_path(o, mutant, *cell) + "\n";
      }
    if (km.shadow[m]) killers += std::string(killers.empty() ? "" : ", ") + "the shadow";
    if (km.killed(m)) {
      c.text = "killed by " + killers + "\n" + c.text;
    } else {
      c.outcome = JunitCase::Outcome::Failed;
      c.message = "survives " + std::to_string(km.cases) + " cases: " + std::string(mutant.breaks);
      c.text = "reproduce: fincheck mutants --seed " + std::to_string(km.seed) + " --cases " +
               std::to_string(km.cases) + "\n";
    }
    suite.cases.push_back(std::move(c));
  }
  for (std::size_t i = 0; i < km.invariants.size(); ++i) {
    JunitCase c;
    c.name = "invariant:" + std::string(km.invariants[i]->id);
    if (!km.kills(i)) {
      c.outcome = JunitCase::Outcome::Failed;
      c.message = "kills no mutant: it has not been shown to test anything";
    }
    suite.cases.push_back(std::move(c));
  }
  return suite;
}

// The HTML report: the kill matrix as a coloured grid, then each
// counterexample's ladder, folded.
std::string write_html(const KillMatrix& km, const MutantsCliOptions& o) {
  report::Page page("fincheck mutants: the kill matrix");
  const bool ok = km.every_mutant_killed() && km.every_invariant_kills();
  page.summary(ok ? "every mutant killed, every invariant kills" : "FAIL", ok,
               {{"seed", std::to_string(km.seed)},
                {"cases per mutant", std::to_string(km.cases)},
                {"mutants", std::to_string(km.mutants.size())},
                {"reproduce", "fincheck mutants --seed " + std::to_string(km.seed) + " --cases " +
                                  std::to_string(km.cases)}});
  page.heading("Kill matrix", "matrix");
  page.paragraph(
      "A cell gives the size, in directives, of the shrunk counterexample by which the invariant "
      "of its column kills the mutant of its row; the last column is the shadow oracle, the "
      "mutant run as a stack under test.");
  std::vector<std::string> header{"mutant"};
  for (const Invariant* inv : km.invariants) header.emplace_back(inv->id);
  header.emplace_back("shadow");
  std::vector<std::vector<report::Cell>> rows;
  for (std::size_t m = 0; m < km.mutants.size(); ++m) {
    std::vector<report::Cell> row{
        {std::string(km.mutants[m]->name), km.killed(m) ? "" : "fail", "survives"}};
    for (std::size_t i = 0; i < km.invariants.size(); ++i) {
      const auto& cell = km.cells[m][i];
      row.push_back(cell ? report::Cell{std::to_string(cell->size()), "pass",
                                        "killed in case " + std::to_string(cell->case_index)}
                         : report::Cell{"", "skip"});
    }
    const auto& shadow = km.shadow[m];
    row.push_back(shadow ? report::Cell{std::to_string(shadow->size()), "pass",
                                        shadow->divergence.kind + ": " + shadow->divergence.message}
                         : report::Cell{"", "skip"});
    rows.push_back(std::move(row));
  }
  page.table(header, rows, "matrix");
  page.heading("Counterexamples", "counterexamples");
  for (std::size_t m = 0; m < km.mutants.size(); ++m)
    for (std::size_t i = 0; i < km.invariants.size(); ++i) {
      const auto& cell = km.cells[m][i];
      if (!cell) continue;
      const Mutant* mutant = km.mutants[m];
      page.begin_details(std::string(mutant->name) + " killed by " + cell->property + " (" +
                         std::to_string(cell->size()) + " directives)");
      Simulation sim(cell->scenario, mutant->table());
      const Trace& t = sim.run();
      const std::string player = "mutant " + std::string(mutant->name);
      const RunReport run{cell->scenario,     t,
                          table_rows(mutant), check_all(Run{cell->scenario, t}),
                          {player, player},   {}};
      add_run(page, run, false, "ladder-" + std::to_string(m) + "-" + std::to_string(i));
      page.end_details();
    }
  // The shadow's catches: the mutant played as a stack beside the model.
  for (std::size_t m = 0; m < km.mutants.size(); ++m) {
    const auto& shadow = km.shadow[m];
    if (!shadow) continue;
    const StackUnderTest stack = mutant_stack(*km.mutants[m]);
    const CaseResult again = validate_case(shadow->example, shadow->who, stack);
    if (!again.trace) continue;
    page.begin_details(std::string(km.mutants[m]->name) + " caught by the shadow: " +
                       shadow->divergence.kind + " (" + std::to_string(shadow->size()) +
                       " directives, the mutant as " + name_of(shadow->who) + ")");
    RunReport run{shadow->example,
                  *again.trace,
                  model::reference_table().rows(),
                  check_all(Run{shadow->example, *again.trace}),
                  {"model", "model"},
                  {}};
    for (Side side : {Side::A, Side::B})
      if (plays(shadow->who, side)) run.players[static_cast<std::size_t>(side)] = stack.name;
    for (const Divergence& d : again.divergences)
      if (is_shadow_divergence(d)) run.divergences.push_back(d);
    add_run(page, run, false, "shadow-" + std::to_string(m));
    page.end_details();
  }
  return report::write_page(o.html, page);
}

}  // namespace

int mutants(const MutantsCliOptions& o, std::ostream& out, std::ostream& err) {
  KillMatrix km;
  double seconds = 0;
  {
    ProgressLine progress(err, "mutant cases", o.progress, stderr_is_terminal());
    km = kill_matrix(o.seed, o.cases, GenOptions{}, std::ref(progress));
    seconds = progress.seconds();
  }
  if (!o.out_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(o.out_dir, ec);
    try {
      for (std::size_t m = 0; m < km.mutants.size(); ++m)
        for (const auto& cell : km.cells[m])
          if (cell) {
            const std::string path = saved_path(o, *km.mutants[m], *cell);
            write_output_file(path, counterexample_file(*cell, km.mutants[m], path));
            save_counterexample_ladder(*cell, km.mutants[m], path);
          }
    } catch (const OutputError& e) {
      err << "fincheck mutants: error: " << e.what() << '\n';
      return exit_bad_input;
    }
  }
  if (!o.junit.empty()) {
    std::string error;
    if (!write_junit(junit_suite(km, o, seconds), o.junit, error)) {
      err << "fincheck mutants: error: " << error << '\n';
      return exit_bad_input;
    }
  }
  if (!o.html.empty()) {
    try {
      const std::string written = write_html(km, o);
      err << "wrote " << written << '\n';
    } catch (const OutputError& e) {
      err << "fincheck mutants: error: the HTML report: " << e.what() << '\n';
      return exit_bad_input;
    }
  }
  ExploreColumn ex;
  if (o.explore)
    for (const Mutant* m : km.mutants) ex.push_back(explore::explore_kill(*m, 1));
  if (o.json)
    out << json_text(versioned(matrix_json(km, ex, o)), 2) << '\n';
  else {
    print_text(km, out);
    if (!ex.empty()) print_explore_column(km, ex, out);
  }
  return km.every_mutant_killed() && km.every_invariant_kills() ? exit_ok : exit_violation;
}

}  // namespace fincheck::cli
