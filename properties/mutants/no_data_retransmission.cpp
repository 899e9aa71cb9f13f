// Mutant "no-data-retransmission": the RTO expires in ESTABLISHED and CLOSE-WAIT without resending
// data.
#include "model/msm_machine.hpp"
#include "model/replace_row.hpp"
#include "properties/mutants.hpp"
#include "properties/mutants/rto_rows.hpp"

namespace fincheck {

using namespace model;

namespace {
// clang-format off
using Mutated = ReplaceRowT<ReplaceRowT<TeardownTable,
    RetransmitsOnRto<Established>, IgnoresRto<Established>>,
    RetransmitsOnRto<CloseWait>, IgnoresRto<CloseWait>>;
// clang-format on
}  // namespace

const TableVariant& no_data_retransmission_table() {
  static const TableVariant variant = variant_of<Mutated>("no-data-retransmission");
  return variant;
}

}  // namespace fincheck
