#pragma once
// The teardown table has more rows than Boost.MPL's preprocessed headers
// allow (20), and more than its numbered vectors go (50; model/mpl adds 60 to
// 90). These limits must be set before the first Boost header anywhere in a
// translation unit, so every file of the model includes this header first.
#ifdef BOOST_MPL_LIMIT_VECTOR_SIZE
#error "model/mpl_limits.hpp must be included before any Boost header"
#endif
#define BOOST_MPL_CFG_NO_PREPROCESSED_HEADERS
#define BOOST_MPL_LIMIT_VECTOR_SIZE 90
#define BOOST_MPL_LIMIT_MAP_SIZE 50
