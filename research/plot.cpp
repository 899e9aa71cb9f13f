#include "research/plot.hpp"

#include <cstdio>
#include <map>
#include <sstream>

#include "impl/duration.hpp"
#include "research/results_csv.hpp"
#include "research/stats.hpp"

namespace fincheck::research {

namespace {

// The axis the x coordinate comes from, and the value of a point on it.
struct XAxis {
  std::string label;
  double (*value)(const SweepPoint&, std::size_t index);
  std::string (*rest)(const SweepPoint&);  // the point without this axis
};

std::string without(const SweepPoint& p, int skip) {
  std::string s;
  auto add = [&](int i, const std::string& v) {
    if (i != skip) s += (s.empty() ? "" : ", ") + v;
  };
  add(0, p.profile);
  add(1, "loss " + format_ppm(p.loss_ppm));
  add(2, "delay " + p.delay.text());
  add(3, "TIME_WAIT " + (p.time_wait_permille ? format_permille(*p.time_wait_permille) + " MSL"
                                              : std::string("profile")));
  add(4, "rto " + (p.rto_us ? format_duration(*p.rto_us) : std::string("profile")));
  add(5, "retries " + (p.retries ? std::to_string(*p.retries) : std::string("profile")));
  add(6, std::string("reopen ") + (p.reopen ? "on" : "off"));
  return s;
}

XAxis choose_axis(const SweepSpec& spec) {
  if (spec.loss_ppm.size() > 1)
    return {"loss ratio", [](const SweepPoint& p, std::size_t) { return p.loss_ppm / 1e6; },
            [](const SweepPoint& p) { return without(p, 1); }};
  if (spec.time_wait_permille.size() > 1)
    return {"TIME_WAIT (multiples of MSL)",
            [](const SweepPoint& p, std::size_t) {
              return p.time_wait_permille ? *p.time_wait_permille / 1e3 : -1.0;
            },
            [](const SweepPoint& p) { return without(p, 3); }};
  if (spec.rto_us.size() > 1)
    return {"initial RTO (s)",
            [](const SweepPoint& p, std::size_t) { return p.rto_us ? *p.rto_us / 1e6 : -1.0; },
            [](const SweepPoint& p) { return without(p, 4); }};
  if (spec.retries.size() > 1)
    return {"retries",
            [](const SweepPoint& p, std::size_t) { return p.retries ? *p.retries * 1.0 : -1.0; },
            [](const SweepPoint& p) { return without(p, 5); }};
  return {"point", [](const SweepPoint&, std::size_t i) { return static_cast<double>(i); },
          [](const SweepPoint& p) { return without(p, -1); }};
}

std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\\\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

std::string gnuplot_script(const SweepSpec& spec, const std::vector<PointResult>& results,
                           const std::vector<Chart>& charts, const std::string& stem) {
  const XAxis x = choose_axis(spec);
  std::map<std::string, std::vector<std::size_t>> series;
  std::vector<std::string> order;
  for (std::size_t i = 0; i < results.size(); ++i) {
    const std::string name = x.rest(results[i].point);
    if (!series.contains(name)) order.push_back(name);
    series[name].push_back(i);
  }
  std::ostringstream out;
  out << "# Drawn by fincheck from a sweep of " << spec.samples << " samples per point, seed "
      << spec.seed << ".\n# Run: gnuplot " << stem << ".gp\n";
  out << "set key outside bottom center box\nset grid\nset xlabel " << quote(x.label) << "\n";
  for (const Chart& chart : charts) {
    std::uint64_t Tally::*count = nullptr;
    for (const OutcomeColumn& c : outcome_columns())
      if (chart.outcome == c.name) count = c.count;
    if (!count) continue;
    for (std::size_t s = 0; s < order.size(); ++s) {
      out << "$" << chart.outcome << s << " << EOD\n";
      for (std::size_t i : series[order[s]]) {
        const Interval w = wilson(results[i].tally.*count, results[i].tally.n);
        char line[160];
        std::snprintf(line, sizeof line, "%.9g %.9g %.9g %.9g\n", x.value(results[i].point, i),
                      w.estimate, w.low, w.high);
        out << line;
      }
      out << "EOD\n";
    }
    out << "set ylabel " << quote("proportion (Wilson 95 % interval)") << "\nset title "
        << quote(chart.title) << "\n";
    for (const char* term : {"svg size 900,600 noenhanced", "png size 900,600 noenhanced"}) {
      const std::string ext = std::string(term).substr(0, 3);
      out << "set terminal " << term << "\nset output "
          << quote(stem + "-" + chart.outcome + "." + ext) << "\nplot ";
      for (std::size_t s = 0; s < order.size(); ++s)
        out << (s ? ", \\\n     " : "") << "$" << chart.outcome << s
            << " using 1:2:3:4 with yerrorlines title " << quote(order[s]);
      out << "\n";
    }
  }
  return out.str();
}

}  // namespace fincheck::research
