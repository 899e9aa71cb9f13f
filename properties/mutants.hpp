#pragma once
// Mutants: versions of the model that each break RFC 9293 in one way. The
// invariant catalog must kill every one; an invariant that kills none has not
// been shown to test anything.
#include <string_view>
#include <vector>

#include "impl/scenario.hpp"
#include "model/machine.hpp"

namespace fincheck {

struct Mutant {
  std::string_view name;
  std::string_view breaks;  // the rule it breaks, in the RFC's words
  // The table it runs: a variant of the reference table, or the table itself.
  const model::TableVariant& (*table)();
  // A change to the parameters, or nullptr.
  void (*adjust)(Scenario&);

  // The scenario as this mutant runs it.
  Scenario apply(Scenario s) const;
};

const std::vector<Mutant>& mutants();
const Mutant* mutant_named(std::string_view name);

// Table variants, one per file in properties/mutants/.
const model::TableVariant& passive_closer_time_wait_table();
const model::TableVariant& no_restart_on_fin_table();
const model::TableVariant& no_ack_in_time_wait_table();
const model::TableVariant& no_fin_retransmission_table();
const model::TableVariant& no_data_retransmission_table();
const model::TableVariant& simultaneous_close_skips_closing_table();
// Classifier variants, properties/mutants/classifier_mutants.cpp.
const model::TableVariant& rst_anywhere_in_window_classifier();
const model::TableVariant& ack_of_fin_inclusive_classifier();
const model::TableVariant& fin_out_of_order_classifier();
const model::TableVariant& fin_again_dropped_classifier();
const model::TableVariant& ack_range_off_by_one_classifier();

}  // namespace fincheck
