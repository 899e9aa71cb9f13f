#pragma once
// The rows of a transition table, read off its type at run time: what
// `fincheck table` prints, what diagrams are drawn from and what row coverage
// counts. Never a second hand-written list.
#include "model/mpl_limits.hpp"

#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <boost/mpl/for_each.hpp>
#include <boost/mpl/vector.hpp>
#include <boost/msm/front/euml/operator.hpp>
#include <boost/msm/front/functor_row.hpp>

#include "model/events.hpp"
#include "model/row_info.hpp"
#include "model/states.hpp"

namespace fincheck::model {

namespace detail {

template <class T>
struct Describe {
  static std::string text() { return std::string(T::name); }
};
template <>
struct Describe<boost::msm::front::none> {
  static std::string text() { return "none"; }
};
template <class G>
struct Describe<boost::msm::front::euml::Not_<G>> {
  static std::string text() { return "!" + Describe<G>::text(); }
};
template <class Seq>
struct Describe<boost::msm::front::ActionSequence_<Seq>> {
  static std::string text() {
    std::string out;
    boost::mpl::for_each<Seq, std::add_pointer<boost::mpl::_1>>([&](auto* p) {
      if (!out.empty()) out += ", ";
      out += Describe<std::remove_pointer_t<decltype(p)>>::text();
    });
    return out;
  }
};

}  // namespace detail

template <class Table>
std::vector<RowInfo> rows_of() {
  std::vector<RowInfo> rows;
  boost::mpl::for_each<Table, std::add_pointer<boost::mpl::_1>>([&](auto* p) {
    using R = std::remove_pointer_t<decltype(p)>;
    RowInfo info;
    info.index = static_cast<int>(rows.size());
    info.from = R::Source::id;
    info.event = R::Evt::name;
    info.event_index = event_index<typename R::Evt>();
    info.stimulus = R::Evt::stimulus;
    info.internal = std::is_same_v<typename R::Target, boost::msm::front::none>;
    if constexpr (std::is_same_v<typename R::Target, boost::msm::front::none>)
      info.to = R::Source::id;
    else
      info.to = R::Target::id;
    info.action = detail::Describe<typename R::Action>::text();
    info.guard = detail::Describe<typename R::Guard>::text();
    rows.push_back(std::move(info));
  });
  return rows;
}

}  // namespace fincheck::model
