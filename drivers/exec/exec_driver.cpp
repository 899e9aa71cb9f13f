#include "drivers/exec/exec_driver.hpp"

#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <utility>

#include "drivers/exec/process.hpp"
#include "impl/duration.hpp"
#include "impl/scenario_io.hpp"
#include "impl/text.hpp"

namespace fincheck::exec {

namespace {

// The running process, restarted after a failure for the next run.
struct Shared {
  ExecOptions options;
  std::shared_ptr<Process> process;
  std::uint32_t next_handle = 1;

  std::shared_ptr<Process> current() {
    if (!process || !process->alive()) {
      process = std::make_shared<Process>(options.argv, options.timeout);
      hello(*process);
    }
    return process;
  }

  static std::optional<std::string> hello(Process& p) {
    Frame h{FrameType::Hello, 0, 0, {}};
    put_u32(h.payload, protocol_version);
    const auto frames = p.exchange(h, FrameType::Hello);
    if (!frames) return std::nullopt;
    const Frame& reply = frames->back();
    return std::string(reply.payload.begin(), reply.payload.end());
  }
};

// One process per thread that runs stacks, so that runs on several threads
// never share a pipe (StackCapabilities::concurrent).
struct PerThread {
  ExecOptions options;
  std::mutex lock;
  std::map<std::thread::id, std::shared_ptr<Shared>> shared;

  std::shared_ptr<Shared> mine() {
    const std::lock_guard guard(lock);
    std::shared_ptr<Shared>& s = shared[std::this_thread::get_id()];
    if (!s) {
      s = std::make_shared<Shared>();
      s->options = options;
    }
    return s;
  }
};

class ExecDriver final : public StackDriver {
 public:
  ExecDriver(const DriverSetup& setup, std::shared_ptr<Shared> shared, bool offered_iss)
      : observer_(*setup.observer), iss_(setup.iss) {
    process_ = shared->current();
    handle_ = shared->next_handle++;
    Frame open{FrameType::Open, handle_, setup.start_us, {}};
    open.payload.push_back(setup.side == Side::A ? 'a' : 'b');
    put_u32(open.payload, setup.iss.raw());
    put_u32(open.payload, setup.irs.raw());
    open.payload.push_back(setup.reads ? 1 : 0);
    now_us_ = setup.start_us;
    if (!offered_iss) {
      exchange(open);
      return;
    }
    // A stack that keeps the offered ISS needs no answer before the first
    // stimulus: the Open rides with it, one round trip fewer.
    open_ = std::move(open);
  }

  ~ExecDriver() override {
    // An Open never followed by a stimulus: collect its answer and that of
    // an Advance to the connection's start (which fires nothing), telling
    // no one: the observer is going away.
    if (open_ && process_->alive())
      process_->exchange(Frame{FrameType::Advance, handle_, now_us_, {}}, FrameType::Done, &*open_);
    if (process_->alive()) process_->post(Frame{FrameType::End, handle_, now_us_, {}});
  }

  Seq iss() const override { return iss_; }

  void deliver(std::int64_t now_us, std::span<const std::uint8_t> packet) override {
    exchange(Frame{FrameType::Packet, handle_, now_us, {packet.begin(), packet.end()}});
  }

  void call(std::int64_t now_us, AppOp op, std::uint32_t segments) override {
    Frame f{FrameType::Call, handle_, now_us, {}};
    const CallCode code = op == AppOp::Close      ? CallCode::Close
                          : op == AppOp::Shutdown ? CallCode::Shutdown
                          : op == AppOp::Abort    ? CallCode::Abort
                                                  : CallCode::Send;
    f.payload.push_back(static_cast<std::uint8_t>(code));
    put_u32(f.payload, segments);
    exchange(f);
  }

  std::optional<std::int64_t> next_deadline() const override { return next_deadline_; }

  void advance(std::int64_t now_us) override {
    // Only when the stack asked for the time: one exchange per deadline.
    if (next_deadline_ && *next_deadline_ <= now_us)
      exchange(Frame{FrameType::Advance, handle_, now_us, {}});
  }

  std::optional<model::State> state() const override { return state_; }

 private:
  void exchange(const Frame& request) {
    now_us_ = request.time_us;
    if (failed_) return;
    const std::optional<Frame> open = std::exchange(open_, std::nullopt);
    const auto frames = process_->exchange(request, FrameType::Done, open ? &*open : nullptr);
    if (!frames) return die(process_->failure());
    bool open_answered = !open;
    for (const Frame& f : *frames) {
      if (f.handle != handle_)
        return die("answered handle " + std::to_string(f.handle) + " for handle " +
                   std::to_string(handle_));
      switch (f.type) {
        case FrameType::Packet:
          observer_.emitted(f.time_us, f.payload);
          break;
        case FrameType::App:
          if (!app(f)) return;
          break;
        case FrameType::Done: {
          auto done = decode_done(f.payload);
          if (const auto* e = std::get_if<std::string>(&done))
            return die("a malformed Done: " + *e);
          const Done& d = std::get<Done>(done);
          if (!open_answered) {
            open_answered = true;
            if (Seq(d.iss) != iss_)
              return die("declared 'iss offered' but took ISS " + std::to_string(d.iss) +
                         " for the offered " + std::to_string(iss_.raw()));
            continue;
          }
          state_ = d.state;
          next_deadline_ = d.next_deadline_us;
          if (request.type == FrameType::Open) iss_ = Seq(d.iss);
          if (next_deadline_ && *next_deadline_ <= now_us_ && request.type == FrameType::Advance)
            return die("asked for time at " + format_seconds(*next_deadline_) +
                       " s, which has passed (" + format_seconds(now_us_) + " s)");
          break;
        }
        default:
          return die(std::string("sent a frame of type '") + static_cast<char>(f.type) +
                     "' in answer");
      }
    }
  }

  bool app(const Frame& f) {
    if (f.payload.size() < 5) {
      die("an App frame of " + std::to_string(f.payload.size()) + " bytes (at least 5)");
      return false;
    }
    static constexpr AppOp ops[] = {AppOp::Data, AppOp::Eof, AppOp::Reset, AppOp::TimedOut,
                                    AppOp::Refused};
    const std::uint8_t code = f.payload[0];
    if (code < 1 || code > 5) {
      die("an App frame with event code " + std::to_string(code) + " (1 to 5)");
      return false;
    }
    observer_.app_event(f.time_us, ops[code - 1], get_u32(f.payload.data() + 1),
                        std::string(f.payload.begin() + 5, f.payload.end()));
    return true;
  }

  void die(const std::string& why) {
    process_->fail(why);
    failed_ = true;
    next_deadline_.reset();
    state_.reset();
    observer_.stack_error(now_us_, why);
  }

  Observer& observer_;
  Seq iss_;
  std::shared_ptr<Process> process_;
  std::uint32_t handle_ = 0;
  std::optional<model::State> state_ = model::State::Established;
  std::optional<std::int64_t> next_deadline_;
  std::int64_t now_us_ = 0;
  std::optional<Frame> open_;  // to be sent with the first stimulus
  bool failed_ = false;
};

}  // namespace

std::vector<std::string> split_command(const std::string& command) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (const char c : command) {
    if (quote) {
      if (c == quote)
        quote = 0;
      else
        word += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == ' ' || c == '\t') {
      if (in_word) words.push_back(std::exchange(word, {}));
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(word);
  return words;
}

Declaration parse_declaration(const std::string& text, const std::string& source) {
  Declaration d;
  std::string profile;
  std::istringstream in(text);
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    const std::string fail_at = source + ":" + std::to_string(number) + ": ";
    const std::string text_only = line.substr(0, line.find('#'));
    const auto w = split_words(text_only);
    if (w.empty() || w[0] == "profile" || w[0] == "set") {
      profile += line;  // kept line for line, so that errors name the same line
      profile += '\n';
      continue;
    }
    profile += '\n';
    if (w.size() != 2)
      throw std::runtime_error(fail_at +
                               "expected 'KEY VALUE' (stack, clock, granularity, state, both)");
    if (w[0] == "stack") {
      d.name = std::string(w[1]);
    } else if (w[0] == "clock" && (w[1] == "virtual" || w[1] == "real")) {
      d.caps.clock = w[1] == "virtual" ? StackClock::Virtual : StackClock::Real;
    } else if (w[0] == "granularity") {
      const auto us = parse_duration_us(w[1]);
      if (!us)
        throw std::runtime_error(fail_at + "granularity " + quoted(w[1]) + " is no duration");
      d.caps.granularity_us = *us;
    } else if (w[0] == "state" && (w[1] == "observable" || w[1] == "hidden")) {
      d.caps.state_observable = w[1] == "observable";
    } else if (w[0] == "both" && (w[1] == "yes" || w[1] == "no")) {
      d.caps.plays_both = w[1] == "yes";
    } else if (w[0] == "iss" && (w[1] == "offered" || w[1] == "own")) {
      d.offered_iss = w[1] == "offered";
    } else {
      throw std::runtime_error(
          fail_at + "unknown declaration '" + line +
          "' (stack NAME, clock virtual|real, granularity DURATION, "
          "state observable|hidden, both yes|no, iss offered|own, profile, set)");
    }
  }
  try {
    d.profile = parse_profile(profile, source);
  } catch (const ScenarioError& e) {
    throw std::runtime_error(e.what());
  }
  if (d.caps.clock == StackClock::Real)
    throw std::runtime_error(source +
                             ": 'clock real' is not supported for a stack in another "
                             "process: its protocol has no wall-clock frames");
  return d;
}

ExecStack start(const ExecOptions& options) {
  auto threads = std::make_shared<PerThread>();
  threads->options = options;
  const std::shared_ptr<Shared> shared = threads->mine();
  shared->process = std::make_shared<Process>(options.argv, options.timeout);
  const std::optional<std::string> text = Shared::hello(*shared->process);
  if (!text) throw std::runtime_error(shared->process->failure());
  ExecStack stack;
  stack.declared = parse_declaration(*text, "the Hello of '" + shared->process->command() + "'");
  const bool offered_iss = stack.declared.offered_iss;
  stack.factory = [threads, offered_iss](const DriverSetup& setup) -> std::unique_ptr<StackDriver> {
    return std::make_unique<ExecDriver>(setup, threads->mine(), offered_iss);
  };
  return stack;
}

}  // namespace fincheck::exec
