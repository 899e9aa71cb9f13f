#include "research/plot.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

#include "impl/duration.hpp"
#include "research/results_csv.hpp"
#include "research/stats.hpp"
#include "research/sweep_axes.hpp"

namespace fincheck::research {

namespace {

// The axis the x coordinate comes from, and the value of a point on it.
struct XAxis {
  const SweepAxis* axis = nullptr;  // null: the point's number
  std::string label = "point";
  double value(const SweepPoint& p, std::size_t index) const {
    return axis ? axis->x(p) : static_cast<double>(index);
  }
};

// The first axis, in the CSV's order, that varies and can be drawn as x.
XAxis choose_axis(const SweepSpec& spec) {
  for (const SweepAxis& a : sweep_axes())
    if (a.x && a.count(spec) > 1) return {&a, std::string(a.x_label)};
  return {};
}

std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\\\"") : c == '\n' ? "\\n" : std::string(1, c);
  return out + "\"";
}

struct Sample {
  double x;
  Interval w;
};

struct Series {
  std::string name;
  std::vector<Sample> samples;
};

// A range that spans at least this factor is drawn on a log scale: 1e-4
// beside 1e-2 is otherwise a flat line at zero.
constexpr double log_span = 50;

bool spans_orders(const std::vector<double>& positive) {
  if (positive.empty()) return false;
  const auto [lo, hi] = std::minmax_element(positive.begin(), positive.end());
  return *hi / *lo >= log_span;
}

// The corner of the frame the legend covers least data in: a legend inside
// the frame must not hide a curve.
std::string key_corner(const std::vector<Series>& series, bool log_x, bool log_y, double y_low,
                       double y_high) {
  const auto scale = [](double v, bool log) { return log ? std::log10(std::max(v, 1e-300)) : v; };
  double x_low = 0, x_high = 0;
  bool first = true;
  for (const Series& s : series)
    for (const Sample& p : s.samples) {
      x_low = first ? p.x : std::min(x_low, p.x);
      x_high = first ? p.x : std::max(x_high, p.x);
      first = false;
    }
  const auto norm = [&](double v, double lo, double hi, bool log) {
    const double a = scale(lo, log), b = scale(hi, log);
    return b > a ? (scale(v, log) - a) / (b - a) : 0.5;
  };
  const char* corners[] = {"top right", "top left", "bottom left", "bottom right"};
  std::array<int, 4> crowded{};
  for (const Series& s : series)
    for (const Sample& p : s.samples) {
      const double x = norm(p.x, x_low, x_high, log_x);
      const double y =
          norm(std::max(p.w.estimate > 0 ? p.w.estimate : p.w.high, y_low), y_low, y_high, log_y);
      // The legend takes about the outer 60 % across and 35 % down.
      const bool right = x >= 0.4, left = x <= 0.6, high = y >= 0.65, low = y <= 0.35;
      crowded[0] += right && high;
      crowded[1] += left && high;
      crowded[2] += left && low;
      crowded[3] += right && low;
    }
  return corners[std::min_element(crowded.begin(), crowded.end()) - crowded.begin()];
}

void print_number(std::ostringstream& out, double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  out << buf;
}

}  // namespace

std::string gnuplot_script(const std::vector<PlotGroup>& groups, const std::vector<Chart>& charts,
                           const std::string& stem) {
  const XAxis x = choose_axis(*groups.front().spec);
  // Which of the other axes vary: they name the series; the rest go under
  // the title, once.
  const auto& axes = sweep_axes();
  const auto other = [&](std::size_t a) { return &axes[a] != x.axis; };
  std::vector<std::map<std::string, int>> values(axes.size());
  for (const PlotGroup& g : groups)
    for (const PointResult& r : *g.results)
      for (std::size_t a = 0; a < axes.size(); ++a) ++values[a][axes[a].legend(r.point)];
  // The title names the profile and every fixed axis not at its default:
  // seventeen axes would not fit on a line.
  const SweepPoint defaults;
  std::string fixed;
  for (std::size_t a = 0; a < axes.size(); ++a)
    if (other(a) && values[a].size() == 1 &&
        (a == 0 || values[a].begin()->first != axes[a].legend(defaults)))
      fixed += (fixed.empty() ? "" : ", ") + values[a].begin()->first;

  std::ostringstream out;
  out << "# Drawn by fincheck from " << groups.size() << " sweep(s), "
      << groups.front().spec->samples << " samples per point, seed " << groups.front().spec->seed
      << ".\n# Run: gnuplot " << stem << ".gp\n"
      << "set grid\nset xlabel " << quote(x.label) << "\nset bars 3\nset pointsize 1.3\n"
      << "set key inside opaque box spacing 1.2\n";
  for (const Chart& chart : charts) {
    std::uint64_t Tally::*count = nullptr;
    for (const OutcomeColumn& c : outcome_columns())
      if (chart.outcome == c.name) count = c.count;
    if (!count) continue;
    std::vector<Series> series;
    for (const PlotGroup& g : groups)
      for (std::size_t i = 0; i < g.results->size(); ++i) {
        const PointResult& r = (*g.results)[i];
        std::string name = g.label;
        for (std::size_t a = 0; a < axes.size(); ++a)
          if (other(a) && values[a].size() > 1)
            name += (name.empty() ? "" : ", ") + axes[a].legend(r.point);
        if (name.empty()) name = "measured";
        auto it = std::find_if(series.begin(), series.end(),
                               [&](const Series& s) { return s.name == name; });
        if (it == series.end()) it = series.insert(series.end(), Series{name, {}});
        it->samples.push_back({x.value(r.point, i), wilson(r.tally.*count, r.tally.n)});
      }
    // What the chart shows: the estimates, the upper ends of those never
    // seen, and the constant reference lines.
    std::vector<double> estimates, xs;
    for (const Series& s : series)
      for (const Sample& p : s.samples) {
        if (p.w.estimate > 0 || p.w.high > 0)
          estimates.push_back(p.w.estimate > 0 ? p.w.estimate : p.w.high);
        xs.push_back(p.x);
      }
    for (const Reference& r : chart.references) {
      std::size_t used = 0;
      try {
        const double v = std::stod(r.expression, &used);
        if (used == r.expression.size() && v > 0) estimates.push_back(v);
      } catch (const std::exception&) {
        // An expression in x, not a constant.
      }
    }
    const bool log_y = spans_orders(estimates);
    const bool log_x = x.axis &&
                       std::all_of(xs.begin(), xs.end(), [](double v) { return v > 0; }) &&
                       spans_orders(xs);
    // On a log scale zero has no place: a proportion never seen is drawn
    // at the upper end of its interval (a down triangle), and an interval
    // reaching zero stops at the frame's floor.
    const double floor = log_y ? *std::min_element(estimates.begin(), estimates.end()) / 10 : 0.0;
    const double top =
        estimates.empty() ? 1.0 : *std::max_element(estimates.begin(), estimates.end());
    const std::string corner = key_corner(series, log_x, log_y, floor / 2, top * (log_y ? 3 : 1.1));
    for (std::size_t s = 0; s < series.size(); ++s) {
      out << "$" << chart.outcome << s << " << EOD\n";
      for (const Sample& p : series[s].samples) {
        if (log_y && p.w.estimate == 0) continue;
        print_number(out, p.x);
        for (double v : {p.w.estimate, std::max(p.w.low, floor), p.w.high}) {
          out << ' ';
          print_number(out, v);
        }
        out << '\n';
      }
      out << "EOD\n$" << chart.outcome << s << "none << EOD\n";
      if (log_y)
        for (const Sample& p : series[s].samples)
          if (p.w.estimate == 0) {
            print_number(out, p.x);
            out << ' ';
            print_number(out, p.w.high);
            out << '\n';
          }
      out << "EOD\n";
    }
    out << (log_y ? "set logscale y\nset format y \"%.0e\"\n" : "unset logscale y\nset format y\n")
        << (log_x ? "set logscale x\n" : "unset logscale x\n") << "set key " << corner << "\n"
        << "set ylabel "
        << quote(std::string("proportion (Wilson 95 % interval)") + (log_y ? ", log scale" : ""))
        << "\nset title " << quote(chart.title + (fixed.empty() ? "" : "\n" + fixed)) << "\n";
    // Room above the highest point, so that nothing sits on the frame.
    out << "set yrange [";
    print_number(out, log_y ? floor / 2 : 0.0);
    out << ':';
    print_number(out, top * (log_y ? 3 : 1.1));
    out << "]\n";
    for (const char* term :
         {"svg size 900,600 font \"DejaVu Sans,12\" noenhanced", "png size 900,600 noenhanced"}) {
      const std::string ext = std::string(term).substr(0, 3);
      out << "set terminal " << term << "\nset output "
          << quote(stem + "-" + chart.outcome + "." + ext) << "\nplot ";
      bool first = true;
      const auto next = [&]() -> std::ostringstream& {
        out << (first ? "" : ", \\\n     ");
        first = false;
        return out;
      };
      bool none_titled = false;
      for (std::size_t s = 0; s < series.size(); ++s) {
        const auto& samples = series[s].samples;
        const bool seen = std::any_of(samples.begin(), samples.end(),
                                      [&](const Sample& p) { return !log_y || p.w.estimate > 0; });
        const bool unseen = log_y && std::any_of(samples.begin(), samples.end(),
                                                 [](const Sample& p) { return p.w.estimate == 0; });
        if (seen)
          next() << "$" << chart.outcome << s << " using 1:2:3:4 with yerrorlines lw 2 lc " << s + 1
                 << " pt " << 5 + 2 * (s % 4) << " title " << quote(series[s].name);
        if (!unseen) continue;
        std::string title = "notitle";
        if (!seen)
          title = "title " + quote(series[s].name + ": none seen (the interval's upper end)");
        else if (!none_titled)
          title = "title " + quote("none seen: the interval's upper end");
        none_titled |= seen;
        next() << "$" << chart.outcome << s << "none using 1:2 with points lc " << s + 1
               << " pt 11 ps 1.6 " << title;
      }
      for (const Reference& r : chart.references)
        next() << r.expression << " with lines lw 2 dt 2 title " << quote(r.title);
      out << "\n";
    }
  }
  return out.str();
}

std::string gnuplot_script(const SweepSpec& spec, const std::vector<PointResult>& results,
                           const std::vector<Chart>& charts, const std::string& stem) {
  return gnuplot_script({{"", &spec, &results}}, charts, stem);
}

}  // namespace fincheck::research
