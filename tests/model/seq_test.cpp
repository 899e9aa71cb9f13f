// Sequence arithmetic modulo 2^32 (RFC 9293 §3.4), across the wrap.
#include <gtest/gtest.h>

#include "model/seq.hpp"

namespace fincheck {
namespace {

TEST(Seq, OrdersAcrossTheWrap) {
  const Seq before_wrap(0xFFFFFFF0U);
  const Seq after_wrap(0x00000010U);
  EXPECT_LT(before_wrap, after_wrap);
  EXPECT_GT(after_wrap, before_wrap);
  EXPECT_EQ(after_wrap.since(before_wrap), 0x20);
  EXPECT_EQ(before_wrap.since(after_wrap), -0x20);
}

TEST(Seq, AdditionWraps) {
  EXPECT_EQ((Seq(0xFFFFFFFFU) + 1).raw(), 0U);
  Seq s(0xFFFFFFFEU);
  s += 3;
  EXPECT_EQ(s.raw(), 1U);
}

TEST(Seq, HalfTheSpaceApartIsTheLimitOfOrder) {
  // RFC 1982 §3.2: for a distance of exactly 2^31 the order is undefined;
  // one less is still "after".
  EXPECT_GT(Seq(0x7FFFFFFFU), Seq(0U));
  EXPECT_LT(Seq(0x80000001U), Seq(0U));
}

TEST(Seq, WindowTestWrapsAround) {
  const Seq rcv_nxt(0xFFFFFF00U);
  EXPECT_TRUE(in_window(Seq(0xFFFFFF00U), rcv_nxt, 0x200));
  EXPECT_TRUE(in_window(Seq(0x000000FFU), rcv_nxt, 0x200));
  EXPECT_FALSE(in_window(Seq(0x00000100U), rcv_nxt, 0x200));
  EXPECT_FALSE(in_window(Seq(0xFFFFFEFFU), rcv_nxt, 0x200));
  EXPECT_FALSE(in_window(rcv_nxt, rcv_nxt, 0)) << "an empty window holds nothing";
}

}  // namespace
}  // namespace fincheck
