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

}  // namespace
}  // namespace fincheck::capture
