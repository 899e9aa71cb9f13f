// Segments grouped into connections: by 4-tuple and incarnation, the
// ended ones handed on after the linger and forgotten.
#include <gtest/gtest.h>

#include <vector>

#include "capture/connections.hpp"

namespace fincheck::capture {
namespace {

constexpr std::uint8_t fin = 0x01, syn = 0x02, rst = 0x04, ack = 0x10;

TcpHeader from(int side, std::uint16_t client_port, std::uint8_t flags, std::uint32_t seq,
               std::uint32_t ack_no = 0) {
  TcpHeader h;
  Address client{}, server{};
  client[15] = 1;
  server[15] = 2;
  h.src = side == 0 ? client : server;
  h.dst = side == 0 ? server : client;
  h.src_port = side == 0 ? client_port : 80;
  h.dst_port = side == 0 ? 80 : client_port;
  h.flags = flags;
  h.seq = seq;
  h.ack = ack_no;
  return h;
}

// A whole connection: handshake, close by the client, the server's FIN
// with its ACK, the final ACK. Sequence numbers straddle 2^32.
void close_one(ConnectionTable& t, std::int64_t at, std::uint16_t port,
               std::uint32_t isn = 0xFFFFFFF0) {
  t.add(at, 0, from(0, port, syn, isn));
  t.add(at + 1, 0, from(1, port, syn | ack, 500, isn + 1));
  t.add(at + 2, 0, from(0, port, ack, isn + 1, 501));
  t.add(at + 3, 0, from(0, port, fin | ack, isn + 1, 501));
  t.add(at + 4, 0, from(1, port, fin | ack, 501, isn + 2));
  t.add(at + 5, 0, from(0, port, ack, isn + 2, 502));
}

TEST(Connections, EndedConnectionsAreHandedOnAfterTheLingerAndForgotten) {
  std::vector<Connection> done;
  ConnectionTable t(1'000, [&](const Connection& c) { done.push_back(c); });
  // A thousand connections one after the other, on a thousand ports.
  for (int i = 0; i < 1'000; ++i) close_one(t, i * 10'000, static_cast<std::uint16_t>(1024 + i));
  EXPECT_LE(t.most_open(), 2U) << "memory follows the connections open at once";
  t.finish();
  ASSERT_EQ(done.size(), 1'000U);
  EXPECT_TRUE(done.front().ended());
  EXPECT_TRUE(done.front().handshake_seen);
  EXPECT_EQ(done.front().segments[0], 4U);
  EXPECT_EQ(done.front().segments[1], 2U);
  EXPECT_EQ(done.front().fins[0], 1U);
}

TEST(Connections, ANewSynAfterTheEndIsTheNextIncarnation) {
  std::vector<Connection> done;
  ConnectionTable t(1'000'000, [&](const Connection& c) { done.push_back(c); });
  close_one(t, 0, 4000);
  // The SYN already seen, retransmitted, is no new connection...
  t.add(10, 0, from(0, 4000, syn, 0xFFFFFFF0));
  // ... a new one reuses the 4-tuple while TIME-WAIT still holds it.
  close_one(t, 100, 4000, 12345);
  t.finish();
  ASSERT_EQ(done.size(), 2U);
  EXPECT_EQ(done[0].incarnation, 1U);
  EXPECT_EQ(done[1].incarnation, 2U);
  EXPECT_EQ(done[0].segments[0], 5U) << "the retransmitted SYN stays in the first";
}

TEST(Connections, ACaptureThatJoinsLateAndARstEnd) {
  std::vector<Connection> done;
  ConnectionTable t(0, [&](const Connection& c) { done.push_back(c); });
  t.add(0, 7, from(1, 5000, ack, 900, 100));  // mid-stream: no handshake seen
  EXPECT_EQ(t.open(), 1U);
  t.add(1, 8, from(0, 5000, rst, 100));
  t.add(2, 9, from(0, 6000, syn, 1));  // the RST-ended one goes
  t.finish();
  ASSERT_EQ(done.size(), 2U);
  EXPECT_FALSE(done[0].handshake_seen);
  EXPECT_EQ(done[0].first_frame, 7U);
  EXPECT_EQ(done[0].a.port, 80) << "a is who spoke first";
  EXPECT_EQ(done[0].rsts[1], 1U);
}

TEST(Connections, WhatTheWireShowsOfTheClose) {
  std::vector<Connection> done;
  ConnectionTable t(1'000, [&](const Connection& c) { done.push_back(c); });
  // Client FIN at 3, the server's FIN|ACK at 4 (three segments), last ACK
  // at 5 -- then the client's FIN again at 9, answered by a RST at 10.
  close_one(t, 0, 4000);
  t.add(9, 0, from(0, 4000, fin | ack, 0xFFFFFFF1, 501));
  t.add(10, 0, from(1, 4000, rst, 502));
  t.finish();
  ASSERT_EQ(done.size(), 1U);
  const Connection& c = done[0];
  EXPECT_EQ(c.active(), 0);
  EXPECT_FALSE(c.simultaneous());
  EXPECT_EQ(c.close_segments, 3U) << "FIN, FIN|ACK, ACK";
  EXPECT_EQ(*c.fin_acked_at_us[0] - *c.fin_at_us[0], 1);
  EXPECT_EQ(*c.fin_acked_at_us[1] - *c.fin_at_us[1], 1);
  ASSERT_EQ(c.fin_copies_us[0].size(), 1U);
  EXPECT_EQ(c.fin_copies_us[0][0], 9);
  EXPECT_EQ(c.rst_after_close, 1);
}

TEST(Connections, ASimultaneousClose) {
  std::vector<Connection> done;
  ConnectionTable t(1'000, [&](const Connection& c) { done.push_back(c); });
  // Both FINs cross before either is acknowledged (RFC 9293 Figure 13).
  t.add(0, 0, from(0, 4000, fin | ack, 100, 500));
  t.add(1, 0, from(1, 4000, fin | ack, 500, 100));
  t.add(2, 0, from(0, 4000, ack, 101, 501));
  t.add(3, 0, from(1, 4000, ack, 501, 101));
  t.finish();
  ASSERT_EQ(done.size(), 1U);
  EXPECT_TRUE(done[0].simultaneous());
  EXPECT_EQ(done[0].close_segments, 4U);
}

TEST(Connections, AReuseWithinTimeWaitAndRfc6191sTimestamps) {
  for (const bool newer : {true, false}) {
    std::vector<Connection> done;
    ConnectionTable t(1'000'000, [&](const Connection& c) { done.push_back(c); });
    TcpHeader last = from(1, 4000, ack, 501, 100);
    last.tsval = 7'000;
    t.add(0, 0, from(0, 4000, fin | ack, 100, 500));
    t.add(1, 0, from(1, 4000, fin | ack, 500, 101));
    t.add(2, 0, from(0, 4000, ack, 101, 501));
    t.add(3, 0, last);  // the server's last timestamp on the old connection
    TcpHeader again = from(0, 4000, syn, 9'000);
    again.tsval = newer ? 7'001 : 6'999;
    t.add(500, 0, again);
    t.finish();
    ASSERT_EQ(done.size(), 2U);
    EXPECT_EQ(done[1].reused_after_us, 497);
    EXPECT_EQ(done[1].reuse_timestamps_newer, newer);
  }
}

}  // namespace
}  // namespace fincheck::capture
