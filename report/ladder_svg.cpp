#include "report/ladder_svg.hpp"

#include <algorithm>
#include <map>
#include <sstream>

#include "impl/duration.hpp"
#include "impl/text.hpp"

namespace fincheck::report {

namespace {

// Monospace text: its width is known from its length.
constexpr int font_px = 11;
constexpr double char_px = 6.7;
constexpr int row_px = 18;
constexpr int gap_px = 260;  // between the two lifelines
constexpr int time_px = 96;

int text_width(const std::string& s) { return static_cast<int>(s.size() * char_px) + 12; }

const char* colour_of(const Segment& seg) {
  if (seg.flags.rst) return "#c62828";
  if (seg.flags.fin) return "#1565c0";
  return "#555555";
}

const char* class_of(LadderLine::Kind k) {
  switch (k) {
    case LadderLine::Kind::Sent:
      return "sent";
    case LadderLine::Kind::Arrival:
      return "arrival";
    case LadderLine::Kind::Step:
      return "step";
    case LadderLine::Kind::Timer:
      return "timer";
    case LadderLine::Kind::App:
      return "app";
    case LadderLine::Kind::Reopen:
      return "reopen";
  }
  return "";
}

}  // namespace

std::string render_ladder_svg(const Trace& trace, const std::vector<model::RowInfo>& rows,
                              const LadderSvgOptions& o) {
  const std::vector<LadderLine> lines = ladder_lines(trace, rows, LadderOptions{o.timers});
  int width_a = 200, width_b = 200;
  for (const LadderLine& l : lines) {
    if (l.kind == LadderLine::Kind::Reopen) continue;
    (l.side == Side::A ? width_a : width_b) =
        std::max(l.side == Side::A ? width_a : width_b, text_width(l.text));
  }
  const int xa = time_px + width_a, xb = xa + gap_px;
  int width = xb + width_b + 10;
  for (const std::string& h : o.header) width = std::max(width, text_width(h) + 10);
  for (const LadderMark& m : o.marks)
    width = std::max(width, text_width(m.what + ": " + m.message) + 10);
  const int top = 16 + static_cast<int>(o.header.size()) * 16 + 34;
  const int ladder_bottom = top + static_cast<int>(lines.size()) * row_px + 8;
  const int height = ladder_bottom + 16 + static_cast<int>(o.marks.size()) * 16 + 12;
  const auto y_of = [&](std::size_t i) { return top + static_cast<int>(i) * row_px; };
  const auto x_of = [&](Side s) { return s == Side::A ? xa : xb; };
  const std::string& p = o.id_prefix;

  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"ladder\" id=\"" << xml_text(p)
      << "\" width=\"" << width << "\" height=\"" << height << "\" viewBox=\"0 0 " << width << ' '
      << height << "\" font-family=\"DejaVu Sans Mono, monospace\" font-size=\"" << font_px
      << "\">\n<defs><marker id=\"" << xml_text(p)
      << "-head\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" "
         "markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" "
         "fill=\"context-stroke\"/></marker></defs>\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  int y = 18;
  for (const std::string& h : o.header) {
    svg << "<text x=\"8\" y=\"" << y << "\" fill=\"#333\">" << xml_text(h) << "</text>\n";
    y += 16;
  }
  svg << "<text x=\"8\" y=\"" << top - 14 << "\" fill=\"#777\">time (s)</text>\n"
      << "<text x=\"" << xa << "\" y=\"" << top - 14
      << "\" text-anchor=\"middle\" font-weight=\"bold\">a</text>\n"
      << "<text x=\"" << xb << "\" y=\"" << top - 14
      << "\" text-anchor=\"middle\" font-weight=\"bold\">b</text>\n";
  for (const int x : {xa, xb})
    svg << "<line x1=\"" << x << "\" y1=\"" << top - 8 << "\" x2=\"" << x << "\" y2=\""
        << ladder_bottom << "\" stroke=\"#999\" stroke-width=\"2\"/>\n";

  // Where each segment left; its arrows are drawn as its copies arrive.
  std::map<std::uint32_t, int> sent_y;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const LadderLine& l = lines[i];
    const int ly = y_of(i);
    if (l.kind == LadderLine::Kind::Sent) {
      sent_y[l.record] = ly;
      const SegmentRecord& r = trace.segments[l.record];
      if (r.fate == Fate::Dropped || r.arrival_count == 0) {
        // Lost, or still in flight when the run ended: half way, then an X.
        const int x0 = x_of(r.from);
        const int x1 = x0 + (r.from == Side::A ? 1 : -1) * gap_px / 2;
        svg << "<g class=\"segment " << (r.fate == Fate::Dropped ? "drop" : "in-flight")
            << "\"><line x1=\"" << x0 << "\" y1=\"" << ly << "\" x2=\"" << x1 << "\" y2=\""
            << ly + row_px / 2 << "\" stroke=\"" << colour_of(r.seg)
            << "\" stroke-width=\"1.5\" stroke-dasharray=\"5,3\"/>";
        if (r.fate == Fate::Dropped)
          svg << "<text x=\"" << x1 << "\" y=\"" << ly + row_px / 2 + 5
              << "\" text-anchor=\"middle\" fill=\"#c62828\" font-size=\"16\" "
                 "font-weight=\"bold\">\u00d7</text>";
        svg << "</g>\n";
      }
    } else if (l.kind == LadderLine::Kind::Arrival) {
      const ArrivalRecord& a = trace.arrivals[l.record];
      const SegmentRecord& r = trace.segments[a.segment];
      const auto from = sent_y.find(static_cast<std::uint32_t>(a.segment));
      const int y0 = from == sent_y.end() ? ly : from->second;
      svg << "<line class=\"segment\" x1=\"" << x_of(r.from) << "\" y1=\"" << y0 << "\" x2=\""
          << x_of(a.to) << "\" y2=\"" << ly << "\" stroke=\"" << colour_of(r.seg)
          << "\" stroke-width=\"1.5\"" << (r.injected ? " stroke-dasharray=\"2,2\"" : "")
          << " marker-end=\"url(#" << xml_text(p) << "-head)\"/>\n";
    }
    svg << "<text x=\"8\" y=\"" << ly + 4 << "\" fill=\"#777\">" << format_seconds(l.at_us)
        << "</text>\n";
    std::string fill = "#222", weight = "normal";
    if (l.kind == LadderLine::Kind::Step) {
      const StepRecord& s = trace.steps[l.record];
      if (s.row < 0) fill = "#c62828";
      if (s.from != s.to) {
        fill = s.row < 0 ? "#c62828" : "#1a237e";
        weight = "bold";
      }
    } else if (l.kind == LadderLine::Kind::Timer) {
      fill = "#888";
    } else if (l.kind == LadderLine::Kind::App) {
      fill = "#2e7d32";
    } else if (l.kind == LadderLine::Kind::Arrival) {
      fill = "#666";
    }
    if (l.kind == LadderLine::Kind::Reopen) {
      svg << "<text class=\"reopen\" x=\"" << (xa + xb) / 2 << "\" y=\"" << ly + 4
          << "\" text-anchor=\"middle\" font-weight=\"bold\">" << xml_text(l.text) << "</text>\n";
      continue;
    }
    const bool left = l.side == Side::A;
    svg << "<text class=\"" << class_of(l.kind) << "\" x=\"" << (left ? xa - 8 : xb + 8)
        << "\" y=\"" << ly + 4 << "\" text-anchor=\"" << (left ? "end" : "start") << "\" fill=\""
        << fill << "\" font-weight=\"" << weight << "\">" << xml_text(l.text) << "</text>\n";
  }

  // Each violation: a red rule where it happened and its message below.
  y = ladder_bottom + 16;
  for (const LadderMark& m : o.marks) {
    std::size_t at = 0;
    while (at < lines.size() && lines[at].at_us <= m.at_us) ++at;  // below the lines up to it
    const int ry = (at < lines.size() ? y_of(at) : ladder_bottom) - row_px / 2;
    // The rule's label sits between the lifelines, where only arrows run.
    svg << "<g class=\"violation\"><line x1=\"" << time_px << "\" y1=\"" << ry << "\" x2=\""
        << width - 10 << "\" y2=\"" << ry
        << "\" stroke=\"#c62828\" stroke-dasharray=\"6,3\"/><text x=\"" << (xa + xb) / 2
        << "\" y=\"" << ry - 3 << "\" text-anchor=\"middle\" fill=\"#c62828\" font-weight=\"bold\">"
        << xml_text(m.what) << "</text><text x=\"8\" y=\"" << y << "\" fill=\"#c62828\">"
        << xml_text(m.what) << ": " << xml_text(m.message) << "</text></g>\n";
    y += 16;
  }
  svg << "</svg>\n";
  return svg.str();
}

}  // namespace fincheck::report
