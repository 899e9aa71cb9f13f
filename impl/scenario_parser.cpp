#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unordered_map>
#include <vector>

#include "impl/duration.hpp"
#include "impl/scenario_io.hpp"
#include "impl/scenario_settings.hpp"
#include "impl/text.hpp"
#include "impl/trace.hpp"

namespace fincheck {

ScenarioError::ScenarioError(std::string file, int line, const std::string& message)
    : std::runtime_error(
          printable(file + (line > 0 ? ":" + std::to_string(line) : "") + ": " + message)),
      file_(std::move(file)),
      line_(line) {}

namespace {

// More data in one write than a teardown test needs is a mistake.
constexpr std::uint32_t max_send_segments = 10'000;

class Parser {
 public:
  Parser(std::string source) { scenario_.source = std::move(source); }
  const std::string& source() const { return scenario_.source; }

  void line(std::string_view text, int number) {
    line_ = number;
    if (const auto hash = text.find('#'); hash != std::string_view::npos) {
      comment(text.substr(hash + 1));
      text = text.substr(0, hash);
    }
    const auto w = split_words(text);
    if (w.empty()) return;
    ++directives_;
    if (w[0] == "profile") return profile(w);
    if (w[0] == "set") return set(w);
    if (w[0] == "a" || w[0] == "b") return app(w);
    if (w[0] == "drop" || w[0] == "delay" || w[0] == "dup") return fault(w);
    if (w[0] == "inject") return inject(w);
    if (w[0] == "reopen") {
      expect_words(w, 1, "reopen");
      scenario_.reopen = true;
      return;
    }
    fail("unknown directive " + quoted(w[0]) +
         " (expected profile, set, a, b, drop, delay, dup, inject or reopen)");
  }

  Scenario finish() {
    if (directives_ == 0) {
      line_ = 0;
      fail("no directive, only blanks and comments: the file describes no run");
    }
    for (const AppAction& a : scenario_.actions)
      if (a.after_eof && !scenario_.reads[a.side == Side::A ? 0 : 1]) {
        line_ = a.line;
        fail(std::string(name_of(a.side)) +
             " never reads ('reads nothing'), so it never sees the EOF this waits for");
      }
    validate_scenario(scenario_);
    return std::move(scenario_);
  }

 private:
  [[noreturn]] void fail(const std::string& message) const {
    throw ScenarioError(scenario_.source, line_, message);
  }

  void expect_words(const std::vector<std::string_view>& w, std::size_t n, const char* form) const {
    if (w.size() != n) fail("expected '" + std::string(form) + "'");
  }

  std::int64_t duration(std::string_view text) const {
    if (text.starts_with('-')) fail("negative time " + quoted(text));
    const auto us = parse_duration_us(text);
    if (!us) fail(quoted(text) + " is not a duration (a number with us, ms or s)");
    return *us;
  }

  std::uint32_t count(std::string_view text, const char* what) const {
    std::uint32_t v = 0;
    for (char c : text) {
      if (c < '0' || c > '9' || v > 100'000'000)
        fail(std::string(what) + " " + quoted(text) + " is not a positive whole number");
      v = v * 10 + static_cast<std::uint32_t>(c - '0');
    }
    if (text.empty() || v == 0)
      fail(std::string(what) + " " + quoted(text) + " is not a positive whole number");
    return v;
  }

  void comment(std::string_view text) {
    auto w = split_words(text);
    if (w.empty() || w[0] != "expect:") return;
    if (scenario_.expectation) fail("a second '# expect:' line");
    Expectation e;
    e.line = line_;
    if (w.size() == 2 && w[1] == "pass") {
      e.pass = true;
    } else if (w.size() >= 3 && w[1] == "fail") {
      e.pass = false;
      for (std::size_t i = 2; i < w.size(); ++i) {
        std::string_view id = w[i];
        if (id.ends_with(',')) id.remove_suffix(1);
        if (!id.empty()) e.failing.emplace_back(id);
      }
      std::sort(e.failing.begin(), e.failing.end());
    } else {
      fail("expected '# expect: pass' or '# expect: fail ID, ID'");
    }
    scenario_.expectation = std::move(e);
  }

  void profile(const std::vector<std::string_view>& w) {
    expect_words(w, 2, "profile NAME");
    if (seen_set_) fail("'profile' must come before any 'set' (it would undo them)");
    if (seen_profile_) fail("a second 'profile' line");
    seen_profile_ = true;
    if (is_profile_path(w[1])) {
      // Relative to the file that names it, as an #include would be.
      const std::string& from = scenario_.source;
      const auto slash = from.rfind('/');
      std::string path(w[1]);
      if (path[0] != '/' && slash != std::string::npos) path = from.substr(0, slash + 1) + path;
      scenario_.params = read_profile_file(std::filesystem::path(path).lexically_normal());
      return;
    }
    const auto p = model::profile_named(w[1]);
    if (!p)
      fail("unknown profile " + quoted(w[1]) +
           " (rfc9293, linux, lwip, or a profile file: ./NAME.profile)");
    scenario_.params = *p;
  }

  void set(const std::vector<std::string_view>& w) {
    expect_words(w, 3, "set NAME VALUE");
    const Setting* s = setting_named(w[1]);
    if (!s) {
      std::string names;
      for (const Setting& known : settings())
        names += (names.empty() ? "" : ", ") + std::string(known.name);
      fail("unknown parameter " + quoted(w[1]) + " (one of " + names + ")");
    }
    if (w[2].starts_with('-'))
      fail("negative value " + quoted(w[2]) + " for " + std::string(s->name));
    const auto v = parse_setting_value(*s, w[2]);
    if (!v) fail(quoted(w[2]) + " is not a valid value for " + std::string(s->name));
    s->put(scenario_, *v);
    seen_set_ = true;
    scenario_.setting_lines[std::string(s->name)] = line_;
  }

  void app(const std::vector<std::string_view>& w) {
    const std::string who(w[0]);
    AppAction a;
    a.side = w[0] == "a" ? Side::A : Side::B;
    a.line = line_;
    if (w.size() == 3 && w[1] == "reads" && w[2] == "nothing") {
      scenario_.reads[a.side == Side::A ? 0 : 1] = false;
      return;
    }
    const std::optional<AppAction::Kind> kind = w.size() >= 2 ? call_named(w[1]) : std::nullopt;
    if (!kind)
      fail("expected 'close', 'shutdown', 'abort', 'send' or 'reads nothing' after '" + who + "'");
    if (scenario_.actions.size() == max_actions)
      fail("more than " + std::to_string(max_actions) + " application calls");
    a.kind = *kind;
    if (a.kind == AppAction::Kind::Send) {
      if (w.size() != 5 || w[3] != "at") fail("expected '" + who + " send N at TIME'");
      a.segments = count(w[2], "segment count");
      if (a.segments > max_send_segments)
        fail("segment count " + std::string(w[2]) + " is more than " +
             std::to_string(max_send_segments) + " in one write");
      a.at_us = duration(w[4]);
      scenario_.actions.push_back(a);
      return;
    }
    const std::string call(w[1]);
    if (w.size() == 4 && w[2] == "at") {
      a.at_us = duration(w[3]);
    } else if (w.size() == 5 && w[2] == "after" && w[3] == "eof") {
      a.after_eof = true;
      a.at_us = duration(w[4]);
    } else {
      fail("expected '" + who + " " + call + " at TIME' or '" + who + " " + call +
           " after eof TIME'");
    }
    for (const AppAction& other : scenario_.actions) {
      if (other.side != a.side) continue;
      const bool ends = a.kind != AppAction::Kind::Shutdown;
      const bool other_ends =
          other.kind == AppAction::Kind::Close || other.kind == AppAction::Kind::Abort;
      if (other.kind == a.kind || (ends && other_ends))
        fail("a second " + (ends ? std::string("close or abort") : call) + " for " + who +
             " (first on line " + std::to_string(other.line) + ")");
    }
    scenario_.actions.push_back(a);
  }

  static std::optional<AppAction::Kind> call_named(std::string_view word) {
    for (auto k : {AppAction::Kind::Close, AppAction::Kind::Shutdown, AppAction::Kind::Abort,
                   AppAction::Kind::Send})
      if (call_name(k) == word) return k;
    return std::nullopt;
  }

  Side direction(std::string_view word) const {
    if (word == "a->b") return Side::A;
    if (word == "b->a") return Side::B;
    fail("direction " + quoted(word) + " must be a->b or b->a");
  }

  // inject a->b FLAGS [seq NUMBER] [ack NUMBER] [len N] at TIME
  void inject(const std::vector<std::string_view>& w) {
    const char* form = "inject a->b FLAGS [seq NUMBER] [ack NUMBER] [len BYTES] at TIME";
    if (w.size() < 5 || w[w.size() - 2] != "at") fail("expected '" + std::string(form) + "'");
    Injection in;
    in.line = line_;
    in.from = direction(w[1]);
    in.flags = flags(w[2]);
    in.at_us = duration(w.back());
    bool len_given = false;
    for (std::size_t i = 3; i < w.size() - 2; i += 2) {
      if (i + 1 >= w.size() - 2) fail(quoted(w[i]) + " needs a value");
      if (w[i] == "seq") {
        in.seq = number(w[i + 1]);
      } else if (w[i] == "ack") {
        in.ack = number(w[i + 1]);
      } else if (w[i] == "len") {
        in.len = count(w[i + 1], "length");
        if (in.len > 65'535) fail("length " + std::string(w[i + 1]) + " is more than 65535 bytes");
        len_given = true;
      } else {
        fail("unknown field " + quoted(w[i]) + " (seq, ack or len)");
      }
    }
    if (in.flags.psh && !len_given) in.len = 100;
    if (in.len > 0 && !in.flags.psh) fail("a segment with data must say P (for example 'P.')");
    if (in.flags.rst && (in.flags.fin || in.len > 0)) fail("a RST carries neither FIN nor data");
    scenario_.injections.push_back(in);
  }

  // tcpdump's letters: F FIN, R RST, P data, '.' ACK.
  Flags flags(std::string_view text) const {
    Flags f;
    for (char c : text) {
      bool* bit = c == 'F'   ? &f.fin
                  : c == 'R' ? &f.rst
                  : c == 'P' ? &f.psh
                  : c == '.' ? &f.ack
                             : nullptr;
      if (!bit || *bit)
        fail("flags " + quoted(text) + ": use F, R, P and '.' once each, as tcpdump writes them");
      *bit = true;
    }
    if (text.empty()) fail("no flags");
    return f;
  }

  // A number, or rcv_nxt / snd_nxt / snd_una of the receiver, with +K or -K.
  Injection::Number number(std::string_view text) const {
    using A = Injection::Anchor;
    for (auto [name, anchor] :
         {std::pair{"rcv_nxt", A::RcvNxt}, {"snd_nxt", A::SndNxt}, {"snd_una", A::SndUna}}) {
      const std::string_view n(name);
      if (!text.starts_with(n)) continue;
      std::string_view rest = text.substr(n.size());
      if (rest.empty()) return {anchor, 0};
      const bool minus = rest[0] == '-';
      if (rest[0] != '+' && !minus) break;
      const std::int64_t k = count(rest.substr(1), "offset");
      return {anchor, minus ? -k : k};
    }
    std::uint32_t v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size())
      fail(quoted(text) +
           " is not a sequence number (0 to 4294967295, or rcv_nxt, snd_nxt, snd_una with +K or "
           "-K)");
    return {A::Fixed, v};
  }

  void fault(const std::vector<std::string_view>& w) {
    const bool drop = w[0] == "drop";
    if (drop)
      expect_words(w, 3, "drop a->b N");
    else if (w[0] == "delay")
      expect_words(w, 4, "delay a->b N TIME");
    else if (w.size() < 4 || w.size() > 3 + max_copies - 1)
      fail("expected 'dup a->b N GAP [GAP ...]' with at most " + std::to_string(max_copies - 1) +
           " gaps");
    const Side from = direction(w[1]);
    const std::uint32_t n = count(w[2], "segment number");
    // One slot per segment, found by its key: a file of 60,000 fault lines
    // must not search the list for each (that was quadratic).
    const auto key = (static_cast<std::uint64_t>(from) << 32) | n;
    const auto [slot, fresh] = fault_index_.try_emplace(key, scenario_.faults.size());
    if (fresh) {
      SegmentFault& added = scenario_.faults.emplace_back();
      added.from = from;
      added.n = n;
    }
    SegmentFault& f = scenario_.faults[slot->second];
    const std::string what = std::string(w[1]) + " #" + std::to_string(n);
    auto earlier = [&](int line) { return " (line " + std::to_string(line) + ")"; };
    if (drop) {
      if (f.delay_line || f.dup_line)
        fail("segment " + what + " cannot be dropped and also delayed or duplicated" +
             earlier(f.delay_line ? f.delay_line : f.dup_line));
      if (f.drop_line) fail("segment " + what + " is already dropped" + earlier(f.drop_line));
      f.drop = true;
      f.drop_line = line_;
    } else if (w[0] == "delay") {
      if (f.drop_line)
        fail("segment " + what + " is dropped" + earlier(f.drop_line) + "; it cannot be delayed");
      if (f.delay_line) fail("segment " + what + " already has a delay" + earlier(f.delay_line));
      f.delay_us = duration(w[3]);
      f.delay_line = line_;
    } else {
      if (f.drop_line)
        fail("segment " + what + " is dropped" + earlier(f.drop_line) +
             "; it cannot be duplicated");
      if (f.dup_line) fail("segment " + what + " is already duplicated" + earlier(f.dup_line));
      for (std::size_t i = 3; i < w.size(); ++i) f.dup_gaps_us.push_back(duration(w[i]));
      f.dup_line = line_;
    }
  }

  Scenario scenario_;
  std::unordered_map<std::uint64_t, std::size_t> fault_index_;  // (side, n) -> faults
  int line_ = 0;
  bool seen_profile_ = false;
  bool seen_set_ = false;
  int directives_ = 0;
};

}  // namespace

Scenario parse_scenario(std::string_view text, std::string source) {
  Parser parser(std::move(source));
  int number = 0;
  while (!text.empty()) {
    ++number;
    const auto nl = text.find('\n');
    if (std::min(nl, text.size()) > max_line_bytes)
      throw ScenarioError(parser.source(), number,
                          "a line of more than " + std::to_string(max_line_bytes) +
                              " characters: no directive is that long");
    parser.line(text.substr(0, nl), number);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return parser.finish();
}

bool is_profile_path(std::string_view name) {
  return name.find('/') != std::string_view::npos || name.ends_with(".profile");
}

model::Parameters parse_profile(std::string_view text, std::string source) {
  int number = 0;
  for (std::string_view rest = text; !rest.empty();) {
    ++number;
    const auto nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    line = line.substr(0, line.find('#'));
    const auto w = split_words(line);
    if (!w.empty() && w[0] != "profile" && w[0] != "set")
      throw ScenarioError(source, number,
                          "a profile holds only 'profile NAME' and 'set NAME VALUE' lines, not '" +
                              std::string(w[0]) + "'");
    if (!w.empty() && w[0] == "profile" && w.size() == 2 && is_profile_path(w[1]))
      throw ScenarioError(source, number, "a profile cannot name another profile file");
    if (nl == std::string_view::npos) break;
    rest.remove_prefix(nl + 1);
  }
  return parse_scenario(text, std::move(source)).params;
}

model::Parameters read_profile_file(const std::string& path) {
  return parse_profile(read_text_file(path), path);
}

model::Parameters profile_or_file(const std::string& name_or_path) {
  if (is_profile_path(name_or_path)) return read_profile_file(name_or_path);
  if (auto p = model::profile_named(name_or_path)) return *p;
  throw ScenarioError(name_or_path, 0,
                      "unknown profile (rfc9293, linux, lwip, or a profile file: ./NAME.profile)");
}

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ScenarioError(path, 0, "cannot read the file");
  // Read no more than the limit allows, so that /dev/zero is an error, not
  // a machine out of memory.
  std::string text(max_text_file_bytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > max_text_file_bytes)
    throw ScenarioError(path, 0,
                        "is larger than " + std::to_string(max_text_file_bytes / 1024) +
                            " KiB: no scenario, sweep or profile needs that much");
  if (in.bad()) throw ScenarioError(path, 0, "cannot read the file");
  return text;
}

Scenario load_scenario(const std::string& path) {
  return parse_scenario(read_text_file(path), path);
}

}  // namespace fincheck
