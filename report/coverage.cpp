#include "report/coverage.hpp"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "impl/text.hpp"

namespace fincheck::report {

namespace {

using nlohmann::json;

// The documents in `text`: one, or one per line.
std::vector<json> documents(const std::string& path, const std::string& text) {
  std::vector<json> docs;
  std::size_t offset = 0;
  while (offset < text.size()) {
    std::size_t end = text.find('\n', offset);
    // A document may span lines (indented output): try the rest first.
    for (const bool whole : {true, false}) {
      const std::size_t stop = whole ? text.size() : (end == std::string::npos ? text.size() : end);
      try {
        json j = json::parse(text.begin() + static_cast<std::ptrdiff_t>(offset),
                             text.begin() + static_cast<std::ptrdiff_t>(stop));
        docs.push_back(std::move(j));
        offset = stop;
        break;
      } catch (const json::parse_error& e) {
        if (whole) continue;
        throw CoverageError(path + ": not JSON at byte " + std::to_string(offset + e.byte) +
                            ": give the --json output of check, validate or run");
      }
    }
    while (offset < text.size() && (text[offset] == '\n' || text[offset] == '\r' ||
                                    text[offset] == ' ' || text[offset] == '\t'))
      ++offset;
  }
  if (docs.empty())
    throw CoverageError(path + ": empty: give the --json output of check, validate or run");
  return docs;
}

void add_documents(Coverage& c, const std::string& path, const std::vector<json>& docs,
                   const std::string& model, std::size_t rows);

}  // namespace

Coverage read_coverage(const std::string& path, const std::string& model, std::size_t rows) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw CoverageError("cannot read " + fincheck::quoted(path));
  std::ostringstream text;
  text << in.rdbuf();
  Coverage c;
  c.source = path;
  c.hits.assign(rows, 0);
  try {
    add_documents(c, path, documents(path, text.str()), model, rows);
  } catch (const json::exception& e) {
    // A value of the wrong type where a count or a name should be.
    throw CoverageError(path + ": " + e.what());
  }
  return c;
}

namespace {

void add_documents(Coverage& c, const std::string& path, const std::vector<json>& docs,
                   const std::string& model, std::size_t rows) {
  for (const json& doc : docs) {
    if (!doc.is_object() || !doc.contains("row_hits"))
      throw CoverageError(path +
                          ": no \"row_hits\": give the --json output of check, validate or run");
    const std::string of = doc.value("model", std::string("reference"));
    if (of != model)
      throw CoverageError(path + ": coverage of the " + fincheck::quoted(of) + " table, not of " +
                          fincheck::quoted(model) +
                          (of == "reference" ? "" : " (draw it with --mutant " + of + ")"));
    const json& hits = doc["row_hits"];
    if (!hits.is_array() || hits.size() != rows)
      throw CoverageError(path + ": \"row_hits\" has " +
                          std::to_string(hits.is_array() ? hits.size() : 0) +
                          " entries; the table has " + std::to_string(rows) + " rows");
    for (std::size_t i = 0; i < rows; ++i) {
      if (!hits[i].is_number_unsigned())
        throw CoverageError(path + ": \"row_hits\"[" + std::to_string(i) +
                            "] is not a count: " + hits[i].dump());
      c.hits[i] += hits[i].get<std::uint64_t>();
    }
    if (!doc.contains("divergences")) continue;
    for (const json& d : doc["divergences"]) {
      PlacedDivergence p;
      if (!d.is_object() || !d.contains("kind") || !d["kind"].is_string())
        throw CoverageError(path + ": a divergence without a \"kind\": " + d.dump());
      p.kind = d["kind"].get<std::string>();
      p.count = d.value("count", std::uint64_t{1});
      if (d.contains("row") && d["row"].is_number_integer()) {
        const auto row = d["row"].get<std::int64_t>();
        if (row < 0 || static_cast<std::size_t>(row) >= rows)
          throw CoverageError(path + ": divergence " + fincheck::quoted(p.kind) + " on row " +
                              std::to_string(row) + "; the table has " + std::to_string(rows) +
                              " rows");
        p.row = static_cast<int>(row);
      }
      if (const auto state = model::parse_state(d.value("state", std::string("ESTABLISHED"))))
        p.state = *state;
      else
        throw CoverageError(path + ": divergence " + fincheck::quoted(p.kind) +
                            " in no state the model has: " + d["state"].dump());
      c.divergences.push_back(std::move(p));
    }
  }
}

}  // namespace

}  // namespace fincheck::report
