// HTML pages: escaped text, the summary first whenever it is given, inline
// SVG without its XML prologue, and a folder that cannot be written is an
// error, never a report claimed as written.
#include <gtest/gtest.h>

#include "impl/output_file.hpp"
#include "report/html.hpp"

namespace fincheck::report {
namespace {

TEST(Html, TextIsEscaped) {
  Page page("a <title> & \"quotes\"");
  page.paragraph("<script>alert(1)</script>");
  page.table({"<th>"}, {{Cell("x & y", "pass", "a \"title\"")}});
  const std::string html = page.html();
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("<title>a &lt;title&gt; &amp; &quot;quotes&quot;</title>"),
            std::string::npos);
  EXPECT_NE(html.find("<td class=\"pass\" title=\"a &quot;title&quot;\">x &amp; y</td>"),
            std::string::npos);
}

TEST(Html, TheSummaryComesFirstWheneverItIsGiven) {
  Page page("p");
  page.heading("Section");
  page.summary("FAIL", false, {{"seed", "5"}});
  const std::string html = page.html();
  EXPECT_LT(html.find("id=\"verdict\""), html.find("<h2>Section</h2>"));
  EXPECT_NE(html.find("class=\"summary bad\""), std::string::npos);
}

TEST(Html, InlineSvgLosesItsPrologue) {
  Page page("p");
  page.figure("<?xml version=\"1.0\"?>\n<!DOCTYPE svg>\n<svg><g/></svg>", "caption");
  const std::string html = page.html();
  EXPECT_EQ(html.find("<?xml"), std::string::npos);
  EXPECT_EQ(html.find("<!DOCTYPE svg"), std::string::npos);
  EXPECT_NE(html.find("<div class=\"drawing\"><svg><g/></svg></div>"), std::string::npos);
}

TEST(Html, AFolderThatCannotBeWrittenIsAnError) {
  EXPECT_THROW(write_page("/proc/fincheck-report", Page("p")), OutputError);
}

}  // namespace
}  // namespace fincheck::report
