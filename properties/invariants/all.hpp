#pragma once
// One declaration per invariant of the catalog; each is defined in its own file.
#include "properties/invariant.hpp"

namespace fincheck::invariants {

extern const Invariant time_wait_only_active_closer;
extern const Invariant time_wait_restarts_on_fin;
extern const Invariant no_rst_single_loss;
extern const Invariant no_old_duplicate_accepted;

}  // namespace fincheck::invariants
