#include "properties/invariants/all.hpp"

namespace fincheck {

const std::vector<Invariant>& catalog() {
  static const std::vector<Invariant> all{
      invariants::time_wait_only_active_closer,
      invariants::time_wait_restarts_on_fin,
      invariants::time_wait_lasts_2msl,
      invariants::no_rst_single_loss,
      invariants::eventually_closed,
      invariants::fault_free_close_is_four_segments,
      invariants::every_fin_acked,
      invariants::half_close_delivers,
      invariants::no_old_duplicate_accepted,
      invariants::transitions_in_table,
  };
  return all;
}

const Invariant* invariant_named(std::string_view id) {
  for (const Invariant& inv : catalog())
    if (inv.id == id) return &inv;
  return nullptr;
}

Verdict check_one(const Invariant& inv, const Run& run) {
  Verdict v;
  v.id = inv.id;
  v.applicable = inv.precondition(run);
  if (v.applicable) inv.check(run, v.violations);
  return v;
}

std::vector<Verdict> check_all(const Run& run) {
  std::vector<Verdict> verdicts;
  verdicts.reserve(catalog().size());
  for (const Invariant& inv : catalog()) verdicts.push_back(check_one(inv, run));
  return verdicts;
}

}  // namespace fincheck
