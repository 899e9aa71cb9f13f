#include "tools/junit.hpp"

#include <sstream>

#include "impl/output_file.hpp"
#include "impl/text.hpp"

namespace fincheck::cli {

namespace {

std::size_t count(const JunitSuite& s, JunitCase::Outcome o) {
  std::size_t n = 0;
  for (const JunitCase& c : s.cases) n += c.outcome == o;
  return n;
}

}  // namespace

std::string junit_xml(const JunitSuite& suite) {
  using O = JunitCase::Outcome;
  std::ostringstream x;
  x.setf(std::ios::fixed);
  x.precision(3);  // xs:decimal: no exponent
  const std::string totals = "tests=\"" + std::to_string(suite.cases.size()) + "\" failures=\"" +
                             std::to_string(count(suite, O::Failed)) + "\" errors=\"" +
                             std::to_string(count(suite, O::Error)) + "\"";
  x << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    << "<testsuites name=\"" << xml_text(suite.name) << "\" " << totals << " time=\""
    << suite.seconds << "\">\n"
    << "  <testsuite name=\"" << xml_text(suite.name) << "\" " << totals << " skipped=\""
    << count(suite, O::Skipped) << "\" time=\"" << suite.seconds << "\">\n";
  if (!suite.properties.empty()) {
    x << "    <properties>\n";
    for (const auto& [name, value] : suite.properties)
      x << "      <property name=\"" << xml_text(name) << "\" value=\"" << xml_text(value)
        << "\"/>\n";
    x << "    </properties>\n";
  }
  const std::string classname = xml_text(suite.name);
  for (const JunitCase& c : suite.cases) {
    x << "    <testcase classname=\"" << classname << "\" name=\"" << xml_text(c.name)
      << "\" time=\"0\"";
    if (c.outcome == O::Passed && c.text.empty()) {
      x << "/>\n";
      continue;
    }
    x << ">\n";
    const char* tag = c.outcome == O::Failed    ? "failure"
                      : c.outcome == O::Error   ? "error"
                      : c.outcome == O::Skipped ? "skipped"
                                                : nullptr;
    if (tag)
      x << "      <" << tag << " message=\"" << xml_text(c.message) << "\""
        << (c.outcome == O::Skipped ? "" : " type=\"" + std::string(tag) + "\"") << ">"
        << xml_text(c.text) << "</" << tag << ">\n";
    else
      x << "      <system-out>" << xml_text(c.text) << "</system-out>\n";
    x << "    </testcase>\n";
  }
  x << "  </testsuite>\n</testsuites>\n";
  return x.str();
}

bool write_junit(const JunitSuite& suite, const std::string& path, std::string& error) {
  try {
    write_output_file(path, junit_xml(suite));
    return true;
  } catch (const OutputError& e) {
    error = e.what();
    return false;
  }
}

}  // namespace fincheck::cli
