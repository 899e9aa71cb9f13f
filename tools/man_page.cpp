#include "tools/man_page.hpp"

#include <sstream>

#include <CLI/CLI.hpp>

namespace fincheck::cli {

namespace {

// troff: a backslash doubled, every '-' a minus sign, no line may start
// with '.' or '\''.
std::string roff(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '\\')
      out += "\\e";
    else if (c == '-')
      out += "\\-";
    else
      out += c;
  }
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out.insert(0, "\\&");
  return out;
}

void options(std::ostream& m, CLI::App& app) {
  for (const CLI::Option* o : app.get_options({})) {
    const std::string names = o->get_name(false, true);
    if (names == "-h,--help" || names == "--help-all") continue;
    std::string typed = o->get_type_name();
    m << ".TP\n.B " << roff(names) << (typed.empty() ? "" : " \\fI" + roff(typed) + "\\fR") << '\n'
      << roff(o->get_description()) << '\n';
  }
}

}  // namespace

std::string man_page(CLI::App& app) {
  std::ostringstream m;
  m << ".TH FINCHECK 1 \"\" \"fincheck " FINCHECK_VERSION "\" \"User Commands\"\n"
    << ".SH NAME\nfincheck \\- " << roff(app.get_description().substr(10)) << '\n'
    << ".SH SYNOPSIS\n.B fincheck\n\\fICOMMAND\\fR [\\fIOPTIONS\\fR] [\\fIFILES\\fR]\n"
    << ".SH OPTIONS\n";
  options(m, app);
  m << ".SH COMMANDS\n";
  for (CLI::App* sub : app.get_subcommands({})) {
    m << ".SS " << roff(sub->get_name()) << '\n' << roff(sub->get_description()) << '\n';
    options(m, *sub);
  }
  m << ".SH EXIT STATUS\n"
    << "0 when everything checked holds; 1 when something is violated (an invariant, a "
       "divergence of a stack under test, a mutant that survives); 2 on bad input or misuse, "
       "including a stack under test that fails.\n"
    << ".SH FILES\n"
    << ".TP\n.I /usr/share/fincheck/scenarios\nscenario files, one behaviour each: "
       "\\fBfincheck run \\-\\-expect /usr/share/fincheck/scenarios/*.scn\\fR\n"
    << ".TP\n.I /usr/share/fincheck/experiments\nsweep files for \\fBfincheck sweep\\fR\n";
  return m.str();
}

}  // namespace fincheck::cli
