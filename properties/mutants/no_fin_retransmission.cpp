// Mutant "no-fin-retransmission": the RTO expires in FIN-WAIT-1, CLOSING and LAST-ACK without
// resending the FIN.
#include "model/msm_machine.hpp"
#include "model/replace_row.hpp"
#include "properties/mutants.hpp"
#include "properties/mutants/rto_rows.hpp"

namespace fincheck {

using namespace model;

namespace {
// clang-format off
using Mutated = ReplaceRowT<ReplaceRowT<ReplaceRowT<TeardownTable,
    RetransmitsOnRto<FinWait1>, IgnoresRto<FinWait1>>,
    RetransmitsOnRto<Closing>, IgnoresRto<Closing>>,
    RetransmitsOnRto<LastAck>, IgnoresRto<LastAck>>;
// clang-format on
}  // namespace

const TableVariant& no_fin_retransmission_table() {
  static const TableVariant variant = variant_of<Mutated>("no-fin-retransmission");
  return variant;
}

}  // namespace fincheck
