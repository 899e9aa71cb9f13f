#pragma once
// A running instance of a teardown table, seen through one interface so that
// the reference table and its mutants are chosen at run time.
#include <memory>
#include <string_view>
#include <vector>

#include "model/classifier.hpp"
#include "model/effects.hpp"
#include "model/events.hpp"
#include "model/row_info.hpp"
#include "model/state.hpp"

namespace fincheck::model {

// What one event did: the state before and after, and which row fired
// (-1: none did; the table has no row for this event in this state).
struct Step {
  State from{};
  State to{};
  int row = -1;
};

class Machine {
 public:
  virtual ~Machine() = default;
  virtual State state() const = 0;
  virtual Step process(const AnyEvent& event) = 0;
  // Another machine in the same state, whose actions call `effects`.
  virtual std::unique_ptr<Machine> clone(Effects& effects) const = 0;
};

// A variant of the model: the reference table or a mutant of it, read by
// the one classifier or by a mutant of that.
struct TableVariant {
  std::string_view name;
  // Builds a machine in ESTABLISHED whose actions call `effects`.
  std::unique_ptr<Machine> (*make)(Effects& effects, bool rfc1337);
  const std::vector<RowInfo>& (*rows)();
  // The classifier's rules; nullptr: reference_rules().
  const ClassifierRules* rules = nullptr;

  const ClassifierRules& classifier() const { return rules ? *rules : reference_rules(); }
};

// RFC 9293 as written in model/teardown_table.hpp.
const TableVariant& reference_table();

}  // namespace fincheck::model
