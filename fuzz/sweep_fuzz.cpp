// The sweep-file parser: any bytes are a sweep or a ScenarioError, and the
// grid of a sweep that parses has no more points than the stated limit.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "impl/scenario_io.hpp"
#include "research/sweep_spec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace fincheck;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const research::SweepSpec spec = research::parse_sweep(text, "fuzz.sweep");
    if (spec.point_count() > research::max_sweep_points) std::abort();
    const auto points = spec.points();
    for (std::size_t i = 0; i < points.size() && i < 64; ++i) points[i].scenario(spec.base);
  } catch (const ScenarioError&) {
  }
  return 0;
}
