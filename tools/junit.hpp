#pragma once
// JUnit XML (the dialect Jenkins, GitLab and GitHub read: testsuites >
// testsuite > testcase with failure, error or skipped), so that a CI server
// shows each invariant, divergence class or mutant as a test -- and, on a
// failure, the line that reproduces it.
#include <string>
#include <vector>

namespace fincheck::cli {

struct JunitCase {
  std::string name;
  enum class Outcome { Passed, Failed, Error, Skipped } outcome = Outcome::Passed;
  std::string message;  // one line: what a CI server lists
  std::string text;     // the rest: the seed, the saved scenario, the replay command
};

struct JunitSuite {
  std::string name;                                             // "fincheck check"
  std::vector<std::pair<std::string, std::string>> properties;  // seed, cases, ...
  std::vector<JunitCase> cases;
  double seconds = 0;
};

std::string junit_xml(const JunitSuite& suite);

// Writes the suite to `path`; false, with `error` set, when it cannot.
bool write_junit(const JunitSuite& suite, const std::string& path, std::string& error);

}  // namespace fincheck::cli
