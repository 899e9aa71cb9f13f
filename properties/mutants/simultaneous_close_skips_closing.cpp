// Mutant "simultaneous-close-skips-closing": FIN-WAIT-1 takes any FIN straight to TIME-WAIT, even
// one that does not ACK our FIN, and stops retransmitting its own.
#include "model/msm_machine.hpp"
#include "model/replace_row.hpp"
#include "properties/mutants.hpp"

namespace fincheck {

using namespace model;

namespace {
// clang-format off
using Mutated = ReplaceRowT<TeardownTable,
    Row<FinWait1, Fin, Closing,  SendAck,                             Not_<AcksOurFin>>,
    Row<FinWait1, Fin, TimeWait, Do<StopRto, SendAck, StartTimeWait>, Not_<AcksOurFin>>>;
// clang-format on
}  // namespace

const TableVariant& simultaneous_close_skips_closing_table() {
  static const TableVariant variant = variant_of<Mutated>("simultaneous-close-skips-closing");
  return variant;
}

}  // namespace fincheck
