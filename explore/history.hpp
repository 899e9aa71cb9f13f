#pragma once
// The monitor the explorer carries in each state: what the catalog's
// invariants may still read of a path's past. The invariants are
// predicates over a whole run (properties/invariant.hpp); two paths that
// reach the same world at the same instant with the same facts get the same
// verdict from every invariant whatever follows, so the explorer visits such
// a state once (docs/explore.md argues it invariant by invariant; the
// explorer's tests check it against a search that merges nothing).
#include "impl/fingerprint.hpp"
#include "impl/scenario.hpp"
#include "impl/trace.hpp"

namespace fincheck::explore {

void history_fingerprint(const Scenario& s, const Trace& t, Fingerprint& f);

}  // namespace fincheck::explore
