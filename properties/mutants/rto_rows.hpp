#pragma once
// The RTO row with budget left, as the reference table writes it, and the
// same row with its retransmission taken away.
#include "model/teardown_table.hpp"

namespace fincheck::model {

template <class S>
using RetransmitsOnRto = Row<S, RtoExpired, none, Retransmit, BudgetLeft>;
template <class S>
using IgnoresRto = Row<S, RtoExpired, none, none, BudgetLeft>;

}  // namespace fincheck::model
