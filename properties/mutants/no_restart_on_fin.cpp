// Mutant "no-restart-on-fin": TIME-WAIT ACKs a retransmitted FIN but keeps its old deadline.
#include "model/msm_machine.hpp"
#include "model/replace_row.hpp"
#include "properties/mutants.hpp"

namespace fincheck {

using namespace model;

namespace {
// clang-format off
using Mutated = ReplaceRowT<TeardownTable,
    Row<TimeWait, FinAgain, none, Do<SendAck, StartTimeWait>, none>,
    Row<TimeWait, FinAgain, none, SendAck,                    none>>;
// clang-format on
}  // namespace

const TableVariant& no_restart_on_fin_table() {
  static const TableVariant variant = variant_of<Mutated>("no-restart-on-fin");
  return variant;
}

}  // namespace fincheck
