#pragma once
// Everything a run did, in virtual time: the segments with their fates, every
// arrival and what the receiver made of it, every row of the table that
// fired, every timer operation and what the applications saw. Invariants are
// predicates over this record; reports print it.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "impl/segment.hpp"
#include "model/state.hpp"

namespace fincheck {

enum class Fate : std::uint8_t { Delivered, Dropped, Duplicated };
std::string_view to_string(Fate f);

// Copies of one segment that can arrive: the original and its duplicates.
inline constexpr std::size_t max_copies = 4;

struct SegmentRecord {
  int conn = 1;
  Side from = Side::A;
  std::uint32_t n = 0;  // per direction, in send order, from 1
  std::int64_t sent_us = 0;
  Segment seg;
  Fate fate = Fate::Delivered;
  std::array<std::int64_t, max_copies> arrivals_us{};
  std::uint8_t arrival_count = 0;
  // Trace::arrivals.size() when it was sent: it was sent in reply to arrival
  // k exactly when arrivals_before == k + 1 and the times match.
  std::uint32_t arrivals_before = 0;
  // Put on the wire by the scenario's `inject`, not by the endpoint:
  // numbered 0, never subject to drop, delay or dup.
  bool injected = false;
};

struct ArrivalRecord {
  std::int64_t at_us = 0;
  Side to = Side::A;
  int conn = 1;             // the receiving connection
  std::size_t segment = 0;  // index into Trace::segments
  model::State state_before{};
  // The segment changed the receiver: data or FIN taken, ACK advanced SND.UNA,
  // or a RST closed it.
  bool accepted = false;
};

// The causes of a stack's change of state that no row names (properties/
// shadow.hpp): no chain of the shadow's rows leads there, or the shadow had
// already diverged and stopped judging.
inline constexpr std::string_view unexplained_cause = "unexplained";
inline constexpr std::string_view unjudged_cause = "unjudged";

struct StepRecord {
  std::int64_t at_us = 0;
  Side endpoint = Side::A;
  int conn = 1;
  model::State from{};
  model::State to{};
  std::string_view cause;     // the event's name
  int row = -1;               // -1: no row of the table matched
  std::int64_t arrival = -1;  // index into Trace::arrivals, or -1
};

enum class TimerKind : std::uint8_t { Rto, DelayedAck, TimeWait, FinWait2, Probe, LastAck };
inline constexpr TimerKind all_timer_kinds[] = {TimerKind::Rto,      TimerKind::DelayedAck,
                                                TimerKind::TimeWait, TimerKind::FinWait2,
                                                TimerKind::Probe,    TimerKind::LastAck};
enum class TimerOp : std::uint8_t { Set, Restart, Fire, Cancel };
std::string_view to_string(TimerKind k);
std::string_view to_string(TimerOp o);

struct TimerRecord {
  std::int64_t at_us = 0;
  Side endpoint = Side::A;
  int conn = 1;
  TimerKind timer = TimerKind::Rto;
  TimerOp op = TimerOp::Set;
  std::int64_t deadline_us = 0;
};

// The application's calls (Close, Shutdown, Abort, Send) and what it learns:
// data, end of file, "connection reset" (Reset) or the retry budget spent
// (TimedOut, ETIMEDOUT); Refused: a call the socket refuses.
enum class AppOp : std::uint8_t {
  Close,
  Shutdown,
  Abort,
  Send,
  Data,
  Eof,
  Reset,
  TimedOut,
  Refused
};
std::string_view to_string(AppOp o);

struct AppRecord {
  std::int64_t at_us = 0;
  Side endpoint = Side::A;
  int conn = 1;
  AppOp op = AppOp::Close;
  Seq seq;                    // Data: first byte
  std::uint32_t bytes = 0;    // Data, Send
  std::int64_t arrival = -1;  // Data, Eof: the arrival that delivered it
  std::string note;           // Refused: why
  // Trace::arrivals.size() when it was recorded: the arrivals before it.
  std::uint32_t arrivals_before = 0;
};

// A stack under test did something the wire cannot carry: a packet that
// does not decode, or one to an address not in the run.
struct StackError {
  std::int64_t at_us = 0;
  Side endpoint = Side::A;
  std::string message;
};

// The order in which records were made, across all kinds: what a ladder
// diagram prints top to bottom.
struct LogEntry {
  enum class Kind : std::uint8_t { Sent, Arrival, Step, Timer, App, Reopen } kind;
  std::uint32_t index;
};

struct Trace {
  std::vector<LogEntry> log;
  std::vector<SegmentRecord> segments;
  std::vector<ArrivalRecord> arrivals;
  std::vector<StepRecord> steps;
  std::vector<TimerRecord> timers;
  std::vector<AppRecord> app;
  std::vector<StackError> stack_errors;
  std::array<model::State, 2> final_states{model::State::Established, model::State::Established};
  int connections = 1;
  std::int64_t reopened_at_us = -1;
  std::int64_t end_us = 0;
  // The run was stopped at its horizon instead of falling quiet.
  bool cut_off = false;
  // Non-zero: the run was stopped because it reached the simulator's cap of
  // this many events -- the checker's limit, never a protocol verdict.
  std::uint64_t event_cap = 0;
  // Off: no timer records and no log, for Monte Carlo loops that read only
  // outcomes (segments, arrivals, steps, application events).
  bool detailed = true;

  void clear();
  void add(const SegmentRecord& r) { append(segments, r, LogEntry::Kind::Sent); }
  // A new, blank segment record, logged, for the caller to fill in.
  SegmentRecord& add_segment() {
    if (detailed)
      log.push_back({LogEntry::Kind::Sent, static_cast<std::uint32_t>(segments.size())});
    return segments.emplace_back();
  }
  void add(const ArrivalRecord& r) { append(arrivals, r, LogEntry::Kind::Arrival); }
  void add(const StepRecord& r) { append(steps, r, LogEntry::Kind::Step); }
  // A step is logged before the actions it runs, and filled in after.
  std::size_t begin_step() {
    add(StepRecord{});
    return steps.size() - 1;
  }
  void add(const TimerRecord& r) {
    if (detailed) append(timers, r, LogEntry::Kind::Timer);
  }
  void add(AppRecord r) {
    r.arrivals_before = static_cast<std::uint32_t>(arrivals.size());
    append(app, std::move(r), LogEntry::Kind::App);
  }
  void add_reopen(std::int64_t at_us) {
    reopened_at_us = at_us;
    connections = 2;
    if (detailed) log.push_back({LogEntry::Kind::Reopen, 0});
  }

 private:
  template <class V, class R>
  void append(V& v, R&& r, LogEntry::Kind kind) {
    if (detailed) log.push_back({kind, static_cast<std::uint32_t>(v.size())});
    v.push_back(std::forward<R>(r));
  }
};

}  // namespace fincheck
