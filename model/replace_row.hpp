#pragma once
// A table variant is the reference table with rows swapped: derived from the
// one table, never a second copy of it.
#include "model/mpl_limits.hpp"

#include <boost/mpl/contains.hpp>
#include <boost/mpl/replace.hpp>

namespace fincheck::model {

template <class Table, class Old, class New>
struct ReplaceRow {
  static_assert(boost::mpl::contains<Table, Old>::value,
                "the variant replaces a row that is not in the table");
  using type = typename boost::mpl::replace<Table, Old, New>::type;
};

template <class Table, class Old, class New>
using ReplaceRowT = typename ReplaceRow<Table, Old, New>::type;

}  // namespace fincheck::model
