#pragma once
// One declaration per invariant of the catalog; each is defined in its own file.
#include "properties/invariant.hpp"

namespace fincheck::invariants {

extern const Invariant time_wait_only_active_closer;
extern const Invariant time_wait_restarts_on_fin;
extern const Invariant time_wait_lasts_2msl;
extern const Invariant no_rst_single_loss;
extern const Invariant eventually_closed;
extern const Invariant fault_free_close_is_four_segments;
extern const Invariant every_fin_acked;
extern const Invariant half_close_delivers;
extern const Invariant no_old_duplicate_accepted;
extern const Invariant transitions_in_table;

// The bound eventually-closed holds both ends to.
std::int64_t close_bound_us(const Scenario& s);

}  // namespace fincheck::invariants
