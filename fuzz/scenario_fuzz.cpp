// The scenario parser: any bytes are a scenario or a ScenarioError. What
// parses is written back, read again to the same text (the writer's promise,
// impl/scenario_io.hpp), and simulated: the run ends, at its horizon or its
// event cap, whatever the file said.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "impl/scenario_io.hpp"
#include "impl/simulation.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace fincheck;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Scenario s;
  try {
    s = parse_scenario(text, "fuzz.scn");
  } catch (const ScenarioError&) {
    return 0;
  }
  const std::string written = write_scenario(s);
  const std::string again = write_scenario(parse_scenario(written, "written.scn"));
  if (again != written) std::abort();  // the writer's output does not read back
  Simulation sim(s);
  sim.run();
  return 0;
}
