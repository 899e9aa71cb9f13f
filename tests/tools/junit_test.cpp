// JUnit XML: what a stack or a scenario puts in a message is escaped, counts
// match the cases, and a skipped case is no failure.
#include <gtest/gtest.h>

#include "tools/junit.hpp"

namespace fincheck::cli {
namespace {

TEST(Junit, EscapesWhatAMessageHolds) {
  JunitSuite s{"fincheck validate", {{"impl", "exec:a \"b\" <c>"}}, {}, 0.5};
  s.cases.push_back({"segment", JunitCase::Outcome::Failed, "sent R & F\x01 <x>", "replay: 'x'\n"});
  const std::string xml = junit_xml(s);
  EXPECT_NE(xml.find(R"(value="exec:a &quot;b&quot; &lt;c&gt;")"), std::string::npos) << xml;
  // A control character is U+FFFD, as in every XML fincheck writes.
  EXPECT_NE(xml.find("message=\"sent R &amp; F\uFFFD &lt;x&gt;\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("replay: &apos;x&apos;"), std::string::npos) << xml;
  EXPECT_EQ(xml.find('\x01'), std::string::npos);
}

TEST(Junit, CountsFailuresErrorsAndSkipsApart) {
  JunitSuite s{"fincheck check", {}, {}, 1e-7};
  s.cases = {{"a", JunitCase::Outcome::Passed, "", ""},
             {"b", JunitCase::Outcome::Failed, "m", "t"},
             {"c", JunitCase::Outcome::Error, "m", "t"},
             {"d", JunitCase::Outcome::Skipped, "m", ""}};
  const std::string xml = junit_xml(s);
  EXPECT_NE(xml.find(R"(tests="4" failures="1" errors="1" skipped="1" time="0.000")"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find(R"(<skipped message="m"></skipped>)"), std::string::npos) << xml;
}

TEST(Junit, AFileThatCannotBeWrittenIsReported) {
  std::string error;
  EXPECT_FALSE(write_junit(JunitSuite{"x", {}, {}, 0}, "/nonexistent/dir/x.xml", error));
  EXPECT_NE(error.find("/nonexistent/dir/x.xml"), std::string::npos) << error;
}

}  // namespace
}  // namespace fincheck::cli
