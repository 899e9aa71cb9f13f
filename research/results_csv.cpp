#include "research/results_csv.hpp"

#include <charconv>
#include <cstdio>
#include <map>
#include <sstream>

#include "impl/scenario_io.hpp"
#include "research/stats.hpp"

namespace fincheck::research {

namespace {

constexpr const char* axis_header = "profile,loss,delay,time_wait_msl,rto,retries,reopen";
constexpr int axis_columns = 7;

struct RawColumn {
  const char* name;
  std::int64_t (*get)(const Tally&);
  void (*put)(Tally&, std::int64_t);
};

#define RAW(field)                                                           \
  RawColumn {                                                                \
#field, [](const Tally& t) { return static_cast<std::int64_t>(t.field); }, \
        [](Tally& t, std::int64_t v) { t.field = static_cast<decltype(t.field)>(v); } \
  }

const std::vector<RawColumn>& raw_columns() {
  static const std::vector<RawColumn> cols{RAW(n),
                                           RAW(clean),
                                           RAW(reset_passive),
                                           RAW(abort),
                                           RAW(old_duplicate),
                                           RAW(stuck_fin_wait_2),
                                           RAW(passive_time_wait),
                                           RAW(active_time_wait),
                                           RAW(closed),
                                           RAW(closed_sum_us),
                                           RAW(closed_max_us),
                                           RAW(time_wait_count),
                                           RAW(time_wait_sum_us),
                                           RAW(time_wait_max_us),
                                           RAW(segments)};
  return cols;
}

#undef RAW

std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string derived(const Tally& t) {
  std::string out;
  for (const OutcomeColumn& c : outcome_columns()) {
    const Interval i = wilson(t.*(c.count), t.n);
    out += "," + fixed(i.estimate, 8) + "," + fixed(i.low, 8) + "," + fixed(i.high, 8);
  }
  const double closed_mean = t.closed ? static_cast<double>(t.closed_sum_us) / t.closed / 1e6 : 0;
  const double tw_mean =
      t.time_wait_count ? static_cast<double>(t.time_wait_sum_us) / t.time_wait_count / 1e6 : 0;
  out += "," + fixed(closed_mean, 6) + "," + fixed(tw_mean, 6) + "," +
         fixed(t.n ? static_cast<double>(t.segments) / t.n : 0, 4);
  return out;
}

void header(std::ostream& out) {
  out << axis_header;
  for (const RawColumn& c : raw_columns()) out << ',' << c.name;
  for (const OutcomeColumn& c : outcome_columns())
    out << ",p_" << c.name << ",p_" << c.name << "_lo,p_" << c.name << "_hi";
  out << ",mean_time_to_closed_s,mean_time_in_time_wait_s,mean_segments\n";
}

void row(const std::string& key, const Tally& t, std::ostream& out) {
  out << key;
  for (const RawColumn& c : raw_columns()) out << ',' << c.get(t);
  out << derived(t) << '\n';
}

}  // namespace

const std::vector<OutcomeColumn>& outcome_columns() {
  static const std::vector<OutcomeColumn> cols{
      {"clean", &Tally::clean},
      {"reset_passive", &Tally::reset_passive},
      {"abort", &Tally::abort},
      {"old_duplicate", &Tally::old_duplicate},
      {"stuck_fin_wait_2", &Tally::stuck_fin_wait_2},
      {"passive_time_wait", &Tally::passive_time_wait},
  };
  return cols;
}

void write_csv(const std::vector<PointResult>& results, std::ostream& out) {
  header(out);
  for (const PointResult& r : results) row(r.point.key(), r.tally, out);
}

std::vector<CsvRow> read_csv(std::istream& in, const std::string& source) {
  std::vector<CsvRow> rows;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (number == 1) {
      if (line.rfind(axis_header, 0) != 0)
        throw ScenarioError(source, 1, "not a fincheck sweep CSV (unexpected header)");
      continue;
    }
    if (line.empty()) continue;
    std::vector<std::string_view> cells;
    std::string_view rest = line;
    while (true) {
      const auto comma = rest.find(',');
      cells.push_back(rest.substr(0, comma));
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
    const std::size_t need = axis_columns + raw_columns().size();
    if (cells.size() < need)
      throw ScenarioError(source, number,
                          "expected at least " + std::to_string(need) + " columns, found " +
                              std::to_string(cells.size()));
    CsvRow r;
    for (int i = 0; i < axis_columns; ++i) r.key += (i ? "," : "") + std::string(cells[i]);
    for (std::size_t c = 0; c < raw_columns().size(); ++c) {
      const std::string_view cell = cells[axis_columns + c];
      std::int64_t v = 0;
      const auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
      if (ec != std::errc{} || end != cell.data() + cell.size() || v < 0)
        throw ScenarioError(source, number,
                            std::string("column ") + raw_columns()[c].name + ": '" +
                                std::string(cell) + "' is not a count");
      raw_columns()[c].put(r.tally, v);
    }
    rows.push_back(std::move(r));
  }
  return rows;
}

std::vector<CsvRow> merge_rows(const std::vector<std::vector<CsvRow>>& files) {
  std::vector<CsvRow> merged;
  std::map<std::string, std::size_t> index;
  for (const auto& file : files)
    for (const CsvRow& r : file) {
      const auto [it, fresh] = index.emplace(r.key, merged.size());
      if (fresh)
        merged.push_back(r);
      else
        merged[it->second].tally.merge(r.tally);
    }
  return merged;
}

void write_rows(const std::vector<CsvRow>& rows, std::ostream& out) {
  header(out);
  for (const CsvRow& r : rows) row(r.key, r.tally, out);
}

}  // namespace fincheck::research
