#pragma once
// Real time, honestly: every tolerance of a check against the running kernel,
// in one place, with its reason. A timing outside them is a divergence (the
// kernel's) or a lab that fell behind (fincheck's); none is widened to fit.
#include <cstdint>

namespace fincheck::kernel::timing {

// One jiffy at the coarsest tick a kernel is built with (CONFIG_HZ=100;
// 4 ms at the common 250): a timer counts in whole jiffies from the tick
// before it was armed, so it goes off up to a jiffy early or late.
inline constexpr std::int64_t jiffy_us = 10'000;

// Not here: the timer wheel's rounding (kernel/time/timer.c, "Level Offset
// Granularity Range": a long timeout is rounded up to its level's
// granularity, at most an eighth of it -- TIME-WAIT's 60 s ends up to
// 2.048 s late at HZ=250). That is the kernel's behaviour, not the lab's
// noise, so the `linux` profile states it: timer_slack 8.

// fincheck's own lateness: from a packet reaching the TUN, or a deadline
// passing, to the model acting on it (a thread waking on this project's
// 2-core VM: up to 22 ms seen with 400 runs at once, most under 1 ms). A
// step taken later than this is a lab that fell behind: the run is
// reported as the lab's failure, never judged.
inline constexpr std::int64_t scheduling_us = 50'000;

// The tolerance every timer of the kernel's is judged with: a jiffy and
// the lab's lateness (plus the profile's slack, above).
inline constexpr std::int64_t granularity_us = jiffy_us + scheduling_us;

// How long a socket is watched after the last thing it did, when no timer
// of its own is pending: a delayed ACK is invisible to inet_diag (its timer
// is not icsk_pending's), and waits at most TCP_DELACK_MAX (HZ/5, 200 ms:
// include/net/tcp.h).
inline constexpr std::int64_t quiet_us = 200'000 + granularity_us;

// How soon a timer inet_diag reports as due (expires 0) is asked about
// again, while the wheel's rounding keeps it waiting.
inline constexpr std::int64_t recheck_us = jiffy_us;

// The handshake before a run, done for real: SYN, SYN-ACK, ACK and
// accept(). Longer is a kernel that does not answer.
inline constexpr std::int64_t handshake_us = 2'000'000;

}  // namespace fincheck::kernel::timing
