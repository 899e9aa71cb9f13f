// Coverage files: the JSON of check, validate and run is read and summed;
// anything else is refused with the file and what is wrong.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "report/coverage.hpp"

namespace fincheck::report {
namespace {

std::string file_with(const std::string& text) {
  const auto path =
      std::filesystem::temp_directory_path() /
      ("fincheck-coverage-" +
       std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + ".json");
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

std::string error_of(const std::string& text, const std::string& model = "reference",
                     std::size_t rows = 3) {
  try {
    read_coverage(file_with(text), model, rows);
  } catch (const CoverageError& e) {
    return e.what();
  }
  return "no error";
}

TEST(Coverage, ReadsRowHitsAndDivergences) {
  const Coverage c = read_coverage(file_with(R"({"model": "reference", "row_hits": [1, 0, 5],
                   "divergences": [{"kind": "state", "count": 4, "row": 2, "state": "TIME_WAIT"},
                                   {"kind": "stack-error", "count": 1, "row": null,
                                    "state": "ESTABLISHED"}]})"),
                                   "reference", 3);
  EXPECT_EQ(c.hits, (std::vector<std::uint64_t>{1, 0, 5}));
  ASSERT_EQ(c.divergences.size(), 2U);
  EXPECT_EQ(c.divergences[0].row, 2);
  EXPECT_EQ(c.divergences[0].count, 4U);
  EXPECT_EQ(c.divergences[0].state, model::State::TimeWait);
  EXPECT_FALSE(c.divergences[1].row.has_value());
}

TEST(Coverage, SumsOneDocumentPerLine) {
  // `run --json a.scn b.scn` prints one object per line.
  const Coverage c = read_coverage(
      file_with("{\"row_hits\": [1, 2, 3]}\n{\"row_hits\": [10, 0, 1]}\n"), "reference", 3);
  EXPECT_EQ(c.hits, (std::vector<std::uint64_t>{11, 2, 4}));
}

TEST(Coverage, RefusesWhatIsNotCoverage) {
  EXPECT_NE(error_of("{\"row_hits\": [1, 2,").find("not JSON at byte"), std::string::npos);
  EXPECT_NE(error_of("").find("empty"), std::string::npos);
  EXPECT_NE(error_of("{\"verdict\": \"pass\"}").find("no \"row_hits\""), std::string::npos);
  EXPECT_NE(error_of("{\"row_hits\": [1, 2]}").find("has 2 entries; the table has 3 rows"),
            std::string::npos);
  EXPECT_NE(error_of("{\"row_hits\": [1, -2, 3]}").find("[1] is not a count"), std::string::npos);
  EXPECT_NE(error_of("{\"model\": \"no-time-wait\", \"row_hits\": [1, 2, 3]}")
                .find("draw it with --mutant no-time-wait"),
            std::string::npos);
  EXPECT_NE(
      error_of("{\"row_hits\": [1, 2, 3], \"divergences\": [{\"kind\": \"state\", \"row\": 9}]}")
          .find("on row 9; the table has 3 rows"),
      std::string::npos);
  EXPECT_NE(error_of("{\"row_hits\": [1, 2, 3], \"divergences\": [{\"kind\": \"state\", "
                     "\"state\": \"LISTEN\"}]}")
                .find("in no state the model has"),
            std::string::npos);
  EXPECT_NE(error_of("{\"row_hits\": [1, 2, 3], \"divergences\": [{\"kind\": \"x\", \"count\": "
                     "\"many\"}]}")
                .find("type must be number"),
            std::string::npos);
  EXPECT_NE(error_of("{\"row_hits\": [1, 2, 3], \"divergences\": [{\"count\": 1}]}")
                .find("without a \"kind\""),
            std::string::npos);
}

TEST(Coverage, AMissingFileIsNamed) {
  try {
    read_coverage("/nonexistent/x.json", "reference", 3);
    FAIL() << "no error";
  } catch (const CoverageError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/x.json"), std::string::npos);
  }
}

}  // namespace
}  // namespace fincheck::report
