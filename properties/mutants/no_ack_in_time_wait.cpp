// Mutant "no-ack-in-time-wait": TIME-WAIT restarts 2*MSL on a retransmitted FIN but never ACKs it.
#include "model/msm_machine.hpp"
#include "model/replace_row.hpp"
#include "properties/mutants.hpp"

namespace fincheck {

using namespace model;

namespace {
// clang-format off
using Mutated = ReplaceRowT<TeardownTable,
    Row<TimeWait, FinAgain, none, Do<SendAck, StartTimeWait>, none>,
    Row<TimeWait, FinAgain, none, StartTimeWait,              none>>;
// clang-format on
}  // namespace

const TableVariant& no_ack_in_time_wait_table() {
  static const TableVariant variant = variant_of<Mutated>("no-ack-in-time-wait");
  return variant;
}

}  // namespace fincheck
