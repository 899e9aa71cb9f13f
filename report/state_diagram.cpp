#include "report/state_diagram.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "impl/text.hpp"

namespace fincheck::report {

namespace {

// A string as a Graphviz quoted string.
std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '\n') {
      out += "\\n";  // a line break, centred
      continue;
    }
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string node(model::State s) { return std::string(model::to_string(s)); }

// Text for a Graphviz HTML-like label, on one line.
std::string html(std::string s) {
  std::replace(s.begin(), s.end(), '\n', ' ');
  return xml_text(s);
}

// "12 AckOfFin [Orphaned]" over "/ StopRto," and "StartFinWait2Timer": a
// label in narrow lines keeps the drawing from growing sideways.
std::string row_text(const model::RowInfo& r) {
  std::string t = std::to_string(r.index) + " " + std::string(r.event);
  if (r.guard != "none") t += " [" + r.guard + "]";
  if (r.action != "none") {
    std::string actions = r.action;
    for (std::size_t at = actions.find(", "); at != std::string::npos; at = actions.find(", ", at))
      actions.replace(at, 2, ",\n");
    t += "\n/ " + actions;
  }
  return t;
}

// RFC 9293 Figure 5, as far as ranks and columns go: the passive closer's
// states beside the active closer's, CLOSING between FIN-WAIT-2 and
// LAST-ACK, TIME-WAIT under FIN-WAIT-2, CLOSED last.
void layout(std::ostringstream& out) {
  using model::State;
  out << "  " << node(State::Established) << " [group=middle];\n"
      << "  { rank=same; " << node(State::FinWait1) << " [group=active]; " << node(State::CloseWait)
      << " [group=passive]; " << node(State::FinWait1) << " -> " << node(State::CloseWait)
      << " [style=invis]; }\n"
      << "  { rank=same; " << node(State::FinWait2) << " [group=active]; " << node(State::Closing)
      << " [group=middle]; " << node(State::LastAck) << " [group=passive]; "
      << node(State::FinWait2) << " -> " << node(State::Closing) << " -> " << node(State::LastAck)
      << " [style=invis]; }\n"
      << "  " << node(State::TimeWait) << " [group=active];\n"
      << "  { rank=max; " << node(State::Closed) << " [group=middle]; }\n";
}

std::string times(std::uint64_t n) { return "\u00d7" + std::to_string(n); }

// What an edge or a line of a state shows for row `r`: its text, tooltip and
// Graphviz attributes, after the coverage.
struct Drawn {
  std::string text;
  std::string tooltip;
  std::string color;  // empty: the default
  bool never = false;
  double width = 1.0;
};

Drawn draw_row(const model::RowInfo& r, const Coverage* coverage) {
  Drawn d;
  d.text = row_text(r);
  d.tooltip = "row " + std::to_string(r.index) + ": " + std::string(r.event);
  if (r.guard != "none") d.tooltip += " [" + r.guard + "]";
  if (r.action != "none") d.tooltip += " / " + r.action;
  if (!coverage) return d;
  if (!coverage->hits.empty()) {
    const std::uint64_t n =
        static_cast<std::size_t>(r.index) < coverage->hits.size() ? coverage->hits[r.index] : 0;
    d.text.insert(std::min(d.text.find('\n'), d.text.size()), "  " + times(n));
    d.tooltip += ": fired " + std::to_string(n) + " time(s)";
    d.never = n == 0;
    if (d.never) d.color = "#c62828";
    d.width = n == 0 ? 1.5 : 1.0 + 0.6 * std::log10(static_cast<double>(n));
  }
  for (const PlacedDivergence& p : coverage->divergences)
    if (p.row == r.index) {
      d.text += "\n! " + p.kind + " " + times(p.count);
      d.tooltip += "; divergence " + p.kind + " " + std::to_string(p.count) + " time(s) after it";
      d.color = "#e65100";
      d.width = 3;
    }
  return d;
}

// A state with its internal rows and self-transitions listed inside it:
// forty loops around eight boxes are more than Graphviz can lay out legibly
// (docs/decisions.md, "The state diagram"). Graphviz keeps a cell's ID and
// TOOLTIP only when the cell links somewhere: each links to its state.
std::string state_label(model::State s, const std::vector<model::RowInfo>& rows,
                        const Coverage* coverage) {
  std::string label =
      "<<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"1\">"
      "<TR><TD><FONT POINT-SIZE=\"15\"><B>" +
      node(s) + "</B></FONT></TD></TR>";
  if (coverage)
    for (const PlacedDivergence& d : coverage->divergences)
      if (!d.row && d.state == s)
        label += "<TR><TD><FONT COLOR=\"#e65100\" POINT-SIZE=\"10\">! " + html(d.kind) + " " +
                 times(d.count) + " (before any row)</FONT></TD></TR>";
  for (const model::RowInfo& r : rows) {
    if (r.from != s || r.to != s) continue;
    const Drawn d = draw_row(r, coverage);
    label += "<TR><TD ALIGN=\"LEFT\" ID=\"row_" + std::to_string(r.index) + "\" TOOLTIP=\"" +
             html(d.tooltip) + "\" HREF=\"#state_" + node(s) + "\"><FONT POINT-SIZE=\"9\"" +
             (d.color.empty() ? "" : " COLOR=\"" + d.color + "\"") + ">\u21bb " + html(d.text) +
             "</FONT></TD></TR>";
  }
  return label + "</TABLE>>";
}

}  // namespace

std::string state_diagram_dot(const std::vector<model::RowInfo>& rows, const std::string& title,
                              const Coverage* coverage) {
  const bool counted = coverage && !coverage->hits.empty();
  std::ostringstream out;
  std::string label = title;
  if (coverage) {
    label += "\n" + coverage->source + ": width grows with a row's firings";
    if (counted) {
      std::size_t never = 0;
      for (std::uint64_t h : coverage->hits) never += h == 0;
      label += "; " + std::to_string(never) + " of " + std::to_string(rows.size()) +
               " rows never fired (red)";
    }
    if (!coverage->divergences.empty()) label += "; divergences in orange";
  }
  label += "\n\u21bb: a row that stays in its state";
  out << "digraph teardown {\n"
      << "  graph [rankdir=TB, newrank=true, nodesep=0.4, ranksep=0.9, fontname=\"DejaVu Sans\", "
         "fontsize=16, labelloc=t, forcelabels=true, label="
      << quoted(label) << "];\n"
      << "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#e8eef7\", color=\"#3b5b8c\", "
         "fontname=\"DejaVu Sans\", margin=\"0.1,0.05\"];\n"
      << "  edge [fontname=\"DejaVu Sans\", fontsize=9, color=\"#4a4a4a\", arrowsize=0.7];\n";
  for (model::State s : model::all_states)
    out << "  " << node(s) << " [id=" << quoted("state_" + node(s))
        << ", label=" << state_label(s, rows, coverage) << "];\n";
  layout(out);
  for (const model::RowInfo& r : rows) {
    if (r.from == r.to) continue;  // inside the state
    const Drawn d = draw_row(r, coverage);
    char width[32];
    std::snprintf(width, sizeof width, "%.2f", d.width);
    out << "  " << node(r.from) << " -> " << node(r.to) << " [id="
        << quoted("row_" + std::to_string(r.index))
        // Thirty-one rows end in CLOSED: as ordinary labels they would take
        // room in the layout and spread the drawing four times as wide.
        << (r.to == model::State::Closed ? ", xlabel=" : ", label=") << quoted(d.text)
        << ", tooltip=" << quoted(d.tooltip) << ", penwidth=" << width;
    if (!d.color.empty()) out << ", color=\"" << d.color << "\", fontcolor=\"" << d.color << "\"";
    if (d.never) out << ", style=dashed";
    out << "];\n";
  }
  out << "}\n";
  return out.str();
}

}  // namespace fincheck::report
