// Mutant "passive-closer-time-wait": the passive closer, on the ACK of its FIN in LAST-ACK, enters
// TIME-WAIT instead of CLOSED.
#include "model/msm_machine.hpp"
#include "model/replace_row.hpp"
#include "properties/mutants.hpp"

namespace fincheck {

using namespace model;

namespace {
// clang-format off
using Mutated = ReplaceRowT<TeardownTable,
    Row<LastAck, AckOfFin, Closed,   none,          none>,
    Row<LastAck, AckOfFin, TimeWait, StartTimeWait, none>>;
// clang-format on
}  // namespace

const TableVariant& passive_closer_time_wait_table() {
  static const TableVariant variant = variant_of<Mutated>("passive-closer-time-wait");
  return variant;
}

}  // namespace fincheck
