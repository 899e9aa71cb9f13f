#include "impl/trace.hpp"

namespace fincheck {

std::string_view to_string(Fate f) {
  switch (f) {
    case Fate::Delivered:
      return "delivered";
    case Fate::Dropped:
      return "dropped";
    case Fate::Duplicated:
      return "duplicated";
  }
  return "?";
}

std::string_view to_string(TimerKind k) {
  switch (k) {
    case TimerKind::Rto:
      return "rto";
    case TimerKind::DelayedAck:
      return "delayed_ack";
    case TimerKind::TimeWait:
      return "time_wait";
    case TimerKind::FinWait2:
      return "fin_wait_2";
    case TimerKind::Probe:
      return "probe";
    case TimerKind::LastAck:
      return "last_ack";
  }
  return "?";
}

std::string_view to_string(TimerOp o) {
  switch (o) {
    case TimerOp::Set:
      return "set";
    case TimerOp::Restart:
      return "restart";
    case TimerOp::Fire:
      return "fire";
    case TimerOp::Cancel:
      return "cancel";
  }
  return "?";
}

std::string_view to_string(AppOp o) {
  switch (o) {
    case AppOp::Close:
      return "close";
    case AppOp::Shutdown:
      return "shutdown";
    case AppOp::Send:
      return "send";
    case AppOp::Data:
      return "data";
    case AppOp::Eof:
      return "eof";
    case AppOp::Reset:
      return "reset";
    case AppOp::Abort:
      return "abort";
    case AppOp::TimedOut:
      return "timed_out";
    case AppOp::Refused:
      return "refused";
  }
  return "?";
}

void Trace::clear() {
  log.clear();
  segments.clear();
  arrivals.clear();
  steps.clear();
  timers.clear();
  app.clear();
  stack_errors.clear();
  final_states = {model::State::Established, model::State::Established};
  connections = 1;
  reopened_at_us = -1;
  end_us = 0;
  cut_off = false;
  event_cap = 0;
  detailed = true;
}

}  // namespace fincheck
