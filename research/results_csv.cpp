#include "research/results_csv.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <map>
#include <sstream>
#include <stdexcept>

#include "impl/duration.hpp"
#include "impl/scenario_io.hpp"
#include "impl/text.hpp"
#include "model/parameters.hpp"
#include "research/stats.hpp"
#include "research/sweep_axes.hpp"
#include "research/sweep_spec.hpp"

namespace fincheck::research {

namespace {

std::size_t axis_columns() { return sweep_axes().size(); }

const std::string& axis_header() {
  static const std::string header = [] {
    std::string h;
    for (const SweepAxis& a : sweep_axes()) h += (h.empty() ? "" : ",") + std::string(a.column);
    return h;
  }();
  return header;
}

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
                                           RAW(time_wait_assassinated),
                                           RAW(both_time_wait),
                                           RAW(diverged),
                                           RAW(closed),
                                           RAW(closed_sum_us),
                                           RAW(closed_min_us),
                                           RAW(closed_max_us),
                                           RAW(time_wait_count),
                                           RAW(time_wait_sum_us),
                                           RAW(time_wait_min_us),
                                           RAW(time_wait_max_us),
                                           RAW(segments)};
  return cols;
}

#undef RAW

// The distributions, one cell each (research/histogram.hpp's text).
struct HistogramColumn {
  const char* name;
  Histogram Tally::*histogram;
};
constexpr HistogramColumn histogram_columns[] = {
    {"closed_histogram", &Tally::closed_histogram},
    {"time_wait_histogram", &Tally::time_wait_histogram}};

// The quantiles read off a histogram, beside its exact minimum and maximum.
struct Spread {
  const char* name;
  Histogram Tally::*histogram;
  std::int64_t Tally::*min_us;
  std::int64_t Tally::*max_us;
};
constexpr Spread spreads[] = {
    {"time_to_closed", &Tally::closed_histogram, &Tally::closed_min_us, &Tally::closed_max_us},
    {"time_in_time_wait", &Tally::time_wait_histogram, &Tally::time_wait_min_us,
     &Tally::time_wait_max_us}};
constexpr std::pair<const char*, double> quantiles[] = {{"p50", 0.5}, {"p90", 0.9}, {"p99", 0.99}};

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
  for (const Spread& sp : spreads) {
    out += "," + fixed(t.*(sp.min_us) / 1e6, 6);
    // A bin's lower end may lie below the least value in it: the exact
    // minimum and maximum bound what the bins say.
    for (const auto& [name, q] : quantiles)
      out += "," + fixed(std::clamp((t.*(sp.histogram)).quantile(q).value_or(0), t.*(sp.min_us),
                                    t.*(sp.max_us)) /
                             1e6,
                         6);
    out += "," + fixed(t.*(sp.max_us) / 1e6, 6);
  }
  return out;
}

void header(std::ostream& out) {
  out << axis_header();
  for (const RawColumn& c : raw_columns()) out << ',' << c.name;
  for (const HistogramColumn& h : histogram_columns) out << ',' << h.name;
  for (const OutcomeColumn& c : outcome_columns())
    out << ",p_" << c.name << ",p_" << c.name << "_lo,p_" << c.name << "_hi";
  out << ",mean_time_to_closed_s,mean_time_in_time_wait_s,mean_segments";
  for (const Spread& sp : spreads) {
    out << ",min_" << sp.name << "_s";
    for (const auto& [name, q] : quantiles) out << ',' << name << '_' << sp.name << "_s";
    out << ",max_" << sp.name << "_s";
  }
  out << '\n';
}

void row(const std::string& key, const Tally& t, std::ostream& out) {
  out << key;
  for (const RawColumn& c : raw_columns()) out << ',' << c.get(t);
  for (const HistogramColumn& h : histogram_columns) out << ',' << (t.*(h.histogram)).text();
  out << derived(t) << '\n';
}

}  // namespace

const std::vector<OutcomeColumn>& outcome_columns() {
  static const std::vector<OutcomeColumn> cols{
      {"clean", &Tally::clean, &TeardownOutcome::clean},
      {"reset_passive", &Tally::reset_passive, &TeardownOutcome::reset_passive},
      {"abort", &Tally::abort, &TeardownOutcome::abort},
      {"old_duplicate", &Tally::old_duplicate, &TeardownOutcome::old_duplicate},
      {"stuck_fin_wait_2", &Tally::stuck_fin_wait_2, &TeardownOutcome::stuck_fin_wait_2},
      {"passive_time_wait", &Tally::passive_time_wait, &TeardownOutcome::passive_time_wait},
      {"time_wait_assassinated", &Tally::time_wait_assassinated,
       &TeardownOutcome::time_wait_assassinated},
      {"both_time_wait", &Tally::both_time_wait, &TeardownOutcome::both_time_wait},
      {"diverged", &Tally::diverged, &TeardownOutcome::diverged},
  };
  return cols;
}

namespace {

std::string shard_text(const Provenance& p) {
  if (p.missing.empty()) return std::to_string(p.shard.k) + "/" + std::to_string(p.shard.n);
  std::string missing;
  for (std::uint32_t k : p.missing) missing += " " + std::to_string(k);
  return "partial of " + std::to_string(p.shard.n) + ", missing" + missing;
}

void write_provenance(const Provenance& p, std::ostream& out) {
  out << "# fincheck sweep: what made this file (lines starting with #); experiment "
      << p.experiment() << "\n";
  for (const auto& [key, value] : p.entries) out << "# " << key << ": " << value << '\n';
  out << "# shard: " << shard_text(p) << '\n';
}

// FNV-1a, 64 bits: an id to compare by eye, not a defence against forgery.
std::uint64_t fnv1a(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

}  // namespace

std::string Provenance::experiment() const {
  std::string text;
  for (const auto& [key, value] : entries)
    if (key != "fincheck") text += key + ": " + value + "\n";
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(fnv1a(text)));
  return hex;
}

Provenance provenance_of(const SweepSpec& spec, Shard shard) {
  Provenance p;
  p.shard = shard;
  auto& e = p.entries;
  e.emplace_back("fincheck", FINCHECK_VERSION);
  e.emplace_back("seed", std::to_string(spec.seed));
  e.emplace_back("samples", std::to_string(spec.samples) + " per point");
  // Who played each side: the model, or the stack under test (sweep --impl).
  for (const Side side : {Side::A, Side::B})
    e.emplace_back(std::string("player ") + (side == Side::A ? "a" : "b"),
                   spec.stack && plays(spec.stack->sides, side) ? spec.stack->name : "model");
  std::istringstream teardown(write_scenario(spec.base));
  for (std::string line; std::getline(teardown, line);)
    if (!line.empty() && line[0] != '#') e.emplace_back("teardown", line);
  for (const SweepAxis& axis : sweep_axes()) {
    std::string values;
    for (std::size_t i = 0; i < axis.count(spec); ++i) {
      SweepPoint p;
      axis.pick(spec, i, p);
      values += (values.empty() ? "" : " ") + axis.text(p);
    }
    e.emplace_back("axis " + std::string(axis.column), values);
  }
  // The network's promise (RFC 9293 §3.4.1): no segment outlives MSL. A
  // distribution with a longer tail is cut there, and the file says so.
  e.emplace_back("delays",
                 "each drawn delay is at most the point's MSL (longer draws are cut to it)");
  return p;
}

void write_csv(const Provenance& provenance, const std::vector<PointResult>& results,
               std::ostream& out) {
  write_provenance(provenance, out);
  header(out);
  for (const PointResult& r : results) row(r.point.key(), r.tally, out);
}

void write_csv(const CsvFile& file, std::ostream& out) {
  write_provenance(file.provenance, out);
  header(out);
  for (const CsvRow& r : file.rows) row(r.key, r.tally, out);
}

namespace {

// Each axis value as `fincheck sweep` writes it, and nothing else: a value
// that parses but is spelt differently names a point no sweep made.
bool canonical_axis(const SweepAxis& axis, std::string_view v) {
  // A profile file is named, not read: the CSV may travel without it.
  if (axis.name == "profile") return model::profile_named(v).has_value() || is_profile_path(v);
  SweepSpec scratch;
  try {
    axis.set(scratch, {v}, [](const std::string& why) { throw std::invalid_argument(why); });
  } catch (const std::invalid_argument&) {
    return false;
  }
  SweepPoint p;
  axis.pick(scratch, 0, p);
  return axis.text(p) == v;
}

// The counts of one teardown tally agree with each other: no outcome
// counted more often than there were teardowns, no maximum above its sum.
std::string inconsistency(const Tally& t) {
  for (const OutcomeColumn& c : outcome_columns())
    if (t.*(c.count) > t.n) return std::string(c.name) + " is more than n";
  if (t.active_time_wait > t.n) return "active_time_wait is more than n";
  if (t.closed > t.n) return "closed is more than n";
  if (t.time_wait_count > t.n) return "time_wait_count is more than n";
  if (t.closed_max_us > t.closed_sum_us) return "closed_max_us is more than closed_sum_us";
  if (t.time_wait_max_us > t.time_wait_sum_us)
    return "time_wait_max_us is more than time_wait_sum_us";
  if (t.closed == 0 && t.closed_sum_us != 0) return "closed_sum_us is not 0 with closed 0";
  if (t.time_wait_count == 0 && t.time_wait_sum_us != 0)
    return "time_wait_sum_us is not 0 with time_wait_count 0";
  if (t.n == 0) return "n is 0";
  if (t.time_wait_assassinated > t.n) return "time_wait_assassinated is more than n";
  if (t.closed == 0 && t.closed_min_us != 0) return "closed_min_us is not 0 with closed 0";
  if (t.time_wait_count == 0 && t.time_wait_min_us != 0)
    return "time_wait_min_us is not 0 with time_wait_count 0";
  if (t.closed_min_us > t.closed_max_us) return "closed_min_us is more than closed_max_us";
  if (t.time_wait_min_us > t.time_wait_max_us)
    return "time_wait_min_us is more than time_wait_max_us";
  if (t.closed_histogram.count() != t.closed)
    return "closed_histogram counts " + std::to_string(t.closed_histogram.count()) +
           " teardowns, closed " + std::to_string(t.closed);
  if (t.time_wait_histogram.count() != t.time_wait_count)
    return "time_wait_histogram counts " + std::to_string(t.time_wait_histogram.count()) +
           " teardowns, time_wait_count " + std::to_string(t.time_wait_count);
  return {};
}

}  // namespace

CsvFile read_csv(std::istream& in, const std::string& source) {
  std::ostringstream expected_header;
  header(expected_header);
  std::string want = expected_header.str();
  want.pop_back();  // the newline
  CsvFile file;
  std::vector<CsvRow>& rows = file.rows;
  std::map<std::string, int> seen;  // point -> line
  std::string line;
  int number = 0;
  int header_line = 0;
  std::string experiment;
  bool shard_seen = false;
  auto fail = [&](const std::string& m) { throw ScenarioError(source, number, m); };
  while (std::getline(in, line)) {
    ++number;
    // fincheck ends every line it writes; a file cut short is not a tally.
    if (in.eof() && !line.empty())
      fail("the last line has no end: the file was cut short (truncated copy or full disk?)");
    if (line.ends_with('\r')) line.pop_back();  // saved by a spreadsheet: CRLF
    if (header_line == 0 && line.starts_with('#')) {
      if (number == 1) {
        const std::string mark = "# fincheck sweep: what made this file";
        const auto at = line.rfind("; experiment ");
        if (!line.starts_with(mark) || at == std::string::npos)
          fail("not a fincheck sweep CSV (unexpected first line)");
        experiment = line.substr(at + 13);
        continue;
      }
      const auto colon = line.find(": ");
      if (!line.starts_with("# ") || colon == std::string::npos)
        fail("a provenance line is \"# key: value\", not " + quoted(line));
      const std::string key = line.substr(2, colon - 2), value = line.substr(colon + 2);
      if (key == "shard") {
        Provenance& p = file.provenance;
        if (const auto shard = parse_shard(value)) {
          p.shard = *shard;
        } else if (const auto list = value.find(", missing ");
                   value.starts_with("partial of ") && list != std::string::npos) {
          // What a partial merge writes: "partial of N, missing k k".
          const auto n = parse_decimal(value.substr(11, list - 11), 1, 1'000'000);
          std::istringstream rest(value.substr(list + 10));
          for (std::uint32_t k; rest >> k;) p.missing.push_back(k);
          if (!n || *n == 0 || p.missing.empty() || !rest.eof())
            fail("shard " + quoted(value) + " is neither k/N nor a partial merge's");
          p.shard = Shard{0, static_cast<std::uint32_t>(*n)};
        } else {
          fail("shard " + quoted(value) + " is not k/N");
        }
        shard_seen = true;
      } else {
        file.provenance.entries.emplace_back(key, value);
      }
      continue;
    }
    if (header_line == 0) {
      header_line = number;
      if (number == 1)
        fail(line.rfind(axis_header(), 0) == 0
                 ? "no provenance lines above the header (a CSV of fincheck 0.3 or older, or "
                   "edited): run its sweep again"
                 : "not a fincheck sweep CSV (unexpected header)");
      if (!shard_seen) fail("the provenance lines above the header name no shard");
      if (experiment != file.provenance.experiment())
        fail("the provenance lines above were edited: they give experiment " +
             file.provenance.experiment() + ", the first line says " + quoted(experiment));
      if (line.rfind(axis_header(), 0) != 0) fail("not a fincheck sweep CSV (unexpected header)");
      if (line != want) {
        std::size_t at = 0, column = 1;
        while (at < line.size() && at < want.size() && line[at] == want[at])
          column += line[at++] == ',' ? 1 : 0;
        fail("the header differs at column " + std::to_string(column) +
             " from the one fincheck writes (a file of another version, or edited)");
      }
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
    const std::size_t need =
        static_cast<std::size_t>(std::count(want.begin(), want.end(), ',')) + 1;
    if (cells.size() != need)
      fail("expected " + std::to_string(need) + " columns, found " + std::to_string(cells.size()));
    CsvRow r;
    const auto& axes = sweep_axes();
    for (std::size_t i = 0; i < axes.size(); ++i) {
      const std::string_view cell = cells[i];
      if (!canonical_axis(axes[i], cell))
        fail("column " + std::to_string(i + 1) + ": " + quoted(cell) + " is no value of the " +
             std::string(axes[i].column) + " axis as fincheck writes it");
      r.key += (i ? "," : "") + std::string(cell);
    }
    for (std::size_t c = 0; c < raw_columns().size(); ++c) {
      const std::string_view cell = cells[axis_columns() + c];
      std::int64_t v = 0;
      const auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
      if (ec != std::errc{} || end != cell.data() + cell.size() || v < 0)
        fail(std::string("column ") + raw_columns()[c].name + ": " + quoted(cell) +
             " is not a count");
      raw_columns()[c].put(r.tally, v);
    }
    for (std::size_t h = 0; h < std::size(histogram_columns); ++h) {
      const std::string_view cell = cells[axis_columns() + raw_columns().size() + h];
      const auto histogram = Histogram::parse(cell);
      if (!histogram)
        fail(std::string("column ") + histogram_columns[h].name + ": " + quoted(cell) +
             " is not a histogram (bin:count;... with each bin's lower end, ascending)");
      r.tally.*(histogram_columns[h].histogram) = *histogram;
    }
    if (const std::string why = inconsistency(r.tally); !why.empty())
      fail("the counts disagree: " + why);
    // The derived columns are a function of the counts: a cell that is not
    // what they give was edited or cut.
    const std::string from_counts = derived(r.tally);
    std::string_view expect = from_counts;
    for (std::size_t c = axis_columns() + raw_columns().size() + std::size(histogram_columns);
         c < cells.size(); ++c) {
      expect.remove_prefix(1);  // the comma
      const std::string_view cell = expect.substr(0, expect.find(','));
      expect.remove_prefix(cell.size());
      if (cells[c] != cell)
        fail("column " + std::to_string(c + 1) + ": " + quoted(cells[c]) + " is not what the " +
             "row's counts give (" + std::string(cell) + "): the row was edited or cut");
    }
    if (const auto [it, fresh] = seen.emplace(r.key, number); !fresh)
      fail("point " + r.key + " appears twice (also on line " + std::to_string(it->second) + ")");
    rows.push_back(std::move(r));
  }
  if (number == 0) fail("the file is empty");
  if (header_line == 0) fail("provenance lines and no header: the file was cut short");
  return file;
}

namespace {

// "seed is 1 in a.csv and 2 in b.csv": the first entry two provenances
// disagree on.
std::string difference(const NamedCsv& a, const NamedCsv& b) {
  const auto values = [](const Provenance& p, const std::string& key) {
    std::string v;
    for (const auto& [k, value] : p.entries)
      if (k == key) v += (v.empty() ? "" : " | ") + value;
    return v.empty() ? std::string("absent") : v;
  };
  std::vector<std::string> keys;
  for (const NamedCsv* f : {&a, &b})
    for (const auto& [key, value] : f->file.provenance.entries)
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
  for (const std::string& key : keys) {
    const std::string va = values(a.file.provenance, key), vb = values(b.file.provenance, key);
    if (va != vb)
      return key + " is " + quoted(va) + " in " + a.source + " and " + quoted(vb) + " in " +
             b.source;
  }
  return "their provenance differs in order";
}

}  // namespace

CsvFile merge_files(const std::vector<NamedCsv>& files, bool partial) {
  if (files.empty()) throw MergeError("no files to merge");
  const NamedCsv& first = files.front();
  std::map<std::uint32_t, const NamedCsv*> shards;
  for (const NamedCsv& f : files) {
    const Provenance& p = f.file.provenance;
    if (!p.missing.empty())
      throw MergeError(f.source + " is a partial merge (shards missing): merge the shards " +
                       "themselves, all of them in one merge");
    if (p.entries != first.file.provenance.entries)
      throw MergeError(f.source + " and " + first.source +
                       " are not shards of one experiment: " + difference(first, f));
    if (p.shard.n != first.file.provenance.shard.n)
      throw MergeError(f.source + " is shard " + std::to_string(p.shard.k) + "/" +
                       std::to_string(p.shard.n) + " and " + first.source + " one of " +
                       std::to_string(first.file.provenance.shard.n) + ": not one split");
    if (const auto [it, fresh] = shards.emplace(p.shard.k, &f); !fresh)
      throw MergeError("shard " + std::to_string(p.shard.k) + "/" + std::to_string(p.shard.n) +
                       " is given twice: " + it->second->source + " and " + f.source);
  }
  CsvFile merged;
  merged.provenance = first.file.provenance;
  const std::uint32_t n = first.file.provenance.shard.n;
  for (std::uint32_t k = 0; k < n; ++k)
    if (!shards.contains(k)) merged.provenance.missing.push_back(k);
  if (!merged.provenance.missing.empty() && !partial) {
    std::string missing;
    for (std::uint32_t k : merged.provenance.missing)
      missing += (missing.empty() ? "" : ", ") + std::to_string(k) + "/" + std::to_string(n);
    throw MergeError("shard(s) " + missing + " missing: merge them too, or give --partial to " +
                     "merge what is here (the result then says what it lacks)");
  }
  // Complete: the same file one run of the whole sweep writes.
  merged.provenance.shard = merged.provenance.missing.empty() ? Shard{} : Shard{0, n};
  std::map<std::string, std::size_t> index;
  for (const NamedCsv& f : files)
    for (const CsvRow& r : f.file.rows) {
      const auto [it, fresh] = index.emplace(r.key, merged.rows.size());
      if (fresh)
        merged.rows.push_back(r);
      else
        merged.rows[it->second].tally.merge(r.tally);
    }
  return merged;
}

}  // namespace fincheck::research
