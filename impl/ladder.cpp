#include "impl/ladder.hpp"

#include <sstream>

#include "impl/duration.hpp"

namespace fincheck {

namespace {

constexpr std::size_t side_width = 44;
constexpr const char* rightward = "  ------------->  ";
constexpr const char* leftward = "  <-------------  ";
constexpr const char* lost_right = "  -------x        ";
constexpr const char* lost_left = "        x-------  ";
constexpr const char* quiet = "                  ";

std::string pad(std::string s, std::size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

// The lines of a ladder, each as the text ladder prints it.
class Lines {
 public:
  Lines(const Trace& t, const std::vector<model::RowInfo>& rows) : t_(t), rows_(rows) {}

  void row(std::int64_t at_us, Side side, std::string text, LadderLine::Kind kind,
           std::uint32_t record = 0, LadderLine::Arrow arrow = LadderLine::Arrow::None) {
    out_.push_back({at_us, side, std::move(text), kind, record, arrow});
  }

  std::string conn_tag(int conn) const {
    return t_.connections > 1 ? "[conn " + std::to_string(conn) + "] " : "";
  }

  // "a3", or "a*" for a segment the scenario injected in a's name.
  static std::string label(const SegmentRecord& r) {
    return name_of(r.from) + (r.injected ? std::string("*") : std::to_string(r.n));
  }

  void sent(const SegmentRecord& r, std::uint32_t index) {
    const bool right = r.from == Side::A;
    std::string text = label(r) + " " + describe_segment(r.seg);
    if (r.injected) text += "  (injected)";
    auto arrow = right ? LadderLine::Arrow::Right : LadderLine::Arrow::Left;
    if (r.fate == Fate::Dropped) {
      text += "  (dropped)";
      arrow = right ? LadderLine::Arrow::LostRight : LadderLine::Arrow::LostLeft;
    } else if (r.fate == Fate::Duplicated) {
      text += "  (duplicated)";
    }
    row(r.sent_us, r.from, conn_tag(r.conn) + text, LadderLine::Kind::Sent, index, arrow);
  }

  void arrival(const ArrivalRecord& a, std::uint32_t index) {
    const SegmentRecord& r = t_.segments[a.segment];
    std::string text = label(r) + " arrives";
    if (r.conn != a.conn) text += " (from connection " + std::to_string(r.conn) + ")";
    if (a.accepted && r.conn != a.conn) text += " ACCEPTED";
    row(a.at_us, a.to, conn_tag(a.conn) + text, LadderLine::Kind::Arrival, index,
        a.to == Side::B ? LadderLine::Arrow::Right : LadderLine::Arrow::Left);
  }

  void step(const StepRecord& s, std::uint32_t index) {
    std::string text;
    if (s.row < 0) {
      text =
          std::string(model::to_string(s.from)) + ": " + std::string(s.cause) + " matches no row";
    } else {
      const model::RowInfo& r = rows_[static_cast<std::size_t>(s.row)];
      text = s.from == s.to
                 ? std::string(model::to_string(s.from)) + ": " + std::string(s.cause)
                 : std::string(model::to_string(s.from)) + " -> " +
                       std::string(model::to_string(s.to)) + " (" + std::string(s.cause) + ")";
      text += " row " + std::to_string(s.row);
      if (r.action != "none") text += ": " + r.action;
    }
    row(s.at_us, s.endpoint, conn_tag(s.conn) + text, LadderLine::Kind::Step, index);
  }

  void timer(const TimerRecord& r, std::uint32_t index) {
    std::string text =
        "timer " + std::string(to_string(r.timer)) + " " + std::string(to_string(r.op));
    if (r.op == TimerOp::Set || r.op == TimerOp::Restart)
      text += " -> " + format_seconds(r.deadline_us);
    row(r.at_us, r.endpoint, conn_tag(r.conn) + text, LadderLine::Kind::Timer, index);
  }

  void app(const AppRecord& r, std::uint32_t index) {
    std::string text;
    switch (r.op) {
      case AppOp::Close:
        text = "app: close()";
        break;
      case AppOp::Shutdown:
        text = "app: shutdown(SHUT_WR)";
        break;
      case AppOp::Send:
        text = "app: send(" + std::to_string(r.bytes) + " bytes)" +
               (r.note.empty() ? "" : " -- " + r.note);
        break;
      case AppOp::Data:
        text = "app reads " + std::to_string(r.bytes) + " bytes";
        break;
      case AppOp::Eof:
        text = "app reads EOF";
        break;
      case AppOp::Reset:
        text = "app: connection reset by peer";
        break;
      case AppOp::Abort:
        text = "app: close() with SO_LINGER 0 (abort)";
        break;
      case AppOp::TimedOut:
        text = "app: connection timed out (retries spent)";
        break;
      case AppOp::Refused:
        text = "app: refused: " + r.note;
        break;
    }
    row(r.at_us, r.endpoint, conn_tag(r.conn) + text, LadderLine::Kind::App, index);
  }

  std::vector<LadderLine> finish() { return std::move(out_); }

 private:
  const Trace& t_;
  const std::vector<model::RowInfo>& rows_;
  std::vector<LadderLine> out_;
};

const char* arrow_text(LadderLine::Arrow a) {
  switch (a) {
    case LadderLine::Arrow::Right:
      return rightward;
    case LadderLine::Arrow::Left:
      return leftward;
    case LadderLine::Arrow::LostRight:
      return lost_right;
    case LadderLine::Arrow::LostLeft:
      return lost_left;
    case LadderLine::Arrow::None:
      break;
  }
  return quiet;
}

}  // namespace

std::string describe_segment(const Segment& seg) {
  std::string s = tcpdump_flags(seg.flags) + " seq " + std::to_string(seg.seq.raw());
  if (seg.flags.ack) s += " ack " + std::to_string(seg.ack.raw());
  if (seg.len > 0) s += " len " + std::to_string(seg.len);
  return s;
}

std::vector<LadderLine> ladder_lines(const Trace& trace, const std::vector<model::RowInfo>& rows,
                                     const LadderOptions& options) {
  Lines lines(trace, rows);
  for (const LogEntry& e : trace.log) {
    switch (e.kind) {
      case LogEntry::Kind::Sent:
        lines.sent(trace.segments[e.index], e.index);
        break;
      case LogEntry::Kind::Arrival:
        lines.arrival(trace.arrivals[e.index], e.index);
        break;
      case LogEntry::Kind::Step:
        lines.step(trace.steps[e.index], e.index);
        break;
      case LogEntry::Kind::App:
        lines.app(trace.app[e.index], e.index);
        break;
      case LogEntry::Kind::Timer:
        if (options.timers) lines.timer(trace.timers[e.index], e.index);
        break;
      case LogEntry::Kind::Reopen:
        lines.row(
            trace.reopened_at_us, Side::A,
            "== both CLOSED: connection 2 opens on the same 4-tuple ==", LadderLine::Kind::Reopen);
        break;
    }
  }
  return lines.finish();
}

std::string render_ladder(const Trace& trace, const std::vector<model::RowInfo>& rows,
                          const LadderOptions& options) {
  std::ostringstream out;
  out << pad("time (s)", 12) << pad("a", side_width) << quiet << "b\n";
  for (const LadderLine& l : ladder_lines(trace, rows, options)) {
    std::string line = pad(format_seconds(l.at_us), 12);
    if (l.side == Side::A)
      line += pad(l.text, side_width) + arrow_text(l.arrow);
    else
      line += pad("", side_width) + arrow_text(l.arrow) + l.text;
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << '\n';
  }
  return out.str();
}

}  // namespace fincheck
