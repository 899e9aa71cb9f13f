#pragma once
// The axes of a sweep, one entry each: how a sweep file and a flag name
// it, how its values are read, which value a point takes, and how that
// value is written in the CSV, the point's key and a chart's legend. The
// grid, the CSV header, the provenance lines, the flags and the legends
// all derive from this one list.
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace fincheck::research {

struct SweepSpec;
struct SweepPoint;

using AxisFail = std::function<void(const std::string&)>;

struct SweepAxis {
  std::string_view name;    // sweep-file key; the flag is --name with '-' for '_'
  std::string_view column;  // CSV column
  std::string_view help;    // for --help: what a value looks like
  std::size_t (*count)(const SweepSpec&);
  void (*pick)(const SweepSpec&, std::size_t index, SweepPoint&);
  // The point's value as its CSV cell.
  std::string (*text)(const SweepPoint&);
  // The point's value as a chart's legend says it ("TIME_WAIT 2 MSL").
  std::string (*legend)(const SweepPoint&);
  // Replaces the axis's values; `fail` gets the reason a value is not one
  // and throws.
  void (*set)(SweepSpec&, const std::vector<std::string_view>&, const AxisFail&);
  // The x coordinate of a chart over this axis, and its label; null: the
  // axis is not drawn as x.
  double (*x)(const SweepPoint&) = nullptr;
  std::string_view x_label = {};
};

// In the order of the CSV's columns and of the grid's nesting (the last
// varies fastest).
const std::vector<SweepAxis>& sweep_axes();
const SweepAxis* sweep_axis_named(std::string_view name);

}  // namespace fincheck::research
