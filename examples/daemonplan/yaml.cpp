// examples/daemonplan/yaml.cpp: YAML to JSON through yaml-cpp's event parser, typed like kubectl.
#include "yaml.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <utility>

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

namespace daemonplan::cli {
namespace {

using json = nlohmann::json;

constexpr std::size_t max_nesting = 512;  // as daemonplan::detail::max_nesting for JSON

/// The byte offset of a mark (0 for the null mark).
std::size_t offset_of(const YAML::Mark& m) { return m.pos < 0 ? 0 : static_cast<std::size_t>(m.pos); }

std::string position(const YAML::Mark& m) {
  return "line " + std::to_string(m.line + 1) + ", column " + std::to_string(m.column + 1);
}

/// The offset of the first byte that is not part of well-formed UTF-8, or npos.
std::size_t invalid_utf8_at(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    }
    if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1Fu;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0Fu;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07u;
    } else {
      return i;
    }
    for (std::size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return i;
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (cc & 0x3Fu);
    }
    const bool overlong = (n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000);
    if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += n + 1;
  }
  return std::string_view::npos;
}

/// 1-based line and column of byte `offset`.
std::string position_of(std::string_view text, std::size_t offset) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

/// The text of 0-based line `n` (without its newline), or "" past the end.
std::string_view line_text(std::string_view text, std::size_t n) {
  std::size_t start = 0;
  for (std::size_t i = 0; i < n; ++i) {
    start = text.find('\n', start);
    if (start == std::string_view::npos) return {};
    ++start;
  }
  const auto end = text.find('\n', start);
  return text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
}

/// True when the line's indentation (the white space before its first other character) has a tab.
bool tab_in_indentation(std::string_view line) {
  for (char c : line) {
    if (c == '\t') return true;
    if (c != ' ') return false;
  }
  return false;
}

/// True when the last line before `pos` that is neither blank nor a comment is `...`.
bool after_document_end(std::string_view text, std::size_t pos) {
  std::size_t end = text.rfind('\n', pos == 0 ? 0 : pos - 1);
  while (end != std::string_view::npos && end > 0) {
    const std::size_t start = text.rfind('\n', end - 1);
    const std::size_t from = start == std::string_view::npos ? 0 : start + 1;
    std::string_view line = text.substr(from, end - from);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r' || line.back() == '\t')) line.remove_suffix(1);
    while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    if (!line.empty() && line.front() != '#') return line == "...";
    if (start == std::string_view::npos) return false;
    end = start;
  }
  return false;
}

/// Go's strconv.ParseInt(s, 0, 64), then ParseUint for large positives, as go-yaml v2 types
/// integers (underscores already removed). nullopt when `s` is not an integer.
std::optional<json> parse_yaml_integer(std::string_view s) {
  bool negative = false;
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s.remove_prefix(2);
  } else if (s.size() > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'O')) {
    base = 8;
    s.remove_prefix(2);
  } else if (s.size() > 2 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B')) {
    base = 2;
    s.remove_prefix(2);
  } else if (s.size() > 1 && s[0] == '0') {
    base = 8;
    s.remove_prefix(1);
  }
  if (s.empty()) return std::nullopt;
  std::uint64_t acc = 0;
  for (char c : s) {
    int digit = -1;
    if (c >= '0' && c <= '9') digit = c - '0';
    if (c >= 'a' && c <= 'f') digit = c - 'a' + 10;
    if (c >= 'A' && c <= 'F') digit = c - 'A' + 10;
    if (digit < 0 || digit >= base) return std::nullopt;
    const auto d = static_cast<std::uint64_t>(digit);
    if (acc > (std::numeric_limits<std::uint64_t>::max() - d) / static_cast<std::uint64_t>(base)) return std::nullopt;
    acc = acc * static_cast<std::uint64_t>(base) + d;
  }
  constexpr auto int64_max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (negative) {
    if (acc > int64_max + 1) return std::nullopt;
    return json(acc == int64_max + 1 ? std::numeric_limits<std::int64_t>::min() : -static_cast<std::int64_t>(acc));
  }
  if (acc <= int64_max) return json(static_cast<std::int64_t>(acc));
  return json(acc);
}

/// go-yaml v2's float pattern `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
bool looks_like_float(std::string_view s) {
  std::size_t i = 0;
  auto digits = [&] {
    const std::size_t from = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i - from;
  };
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (digits() == 0) return false;
  } else {
    if (digits() == 0) return false;
    if (i < s.size() && s[i] == '.') {
      ++i;
      digits();
    }
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (digits() == 0) return false;
  }
  return i == s.size();
}

bool one_of(std::string_view s, std::initializer_list<std::string_view> list) {
  for (auto x : list)
    if (s == x) return true;
  return false;
}

/// The JSON value of a plain (unquoted, untagged) scalar, typed as go-yaml v2 types it.
json resolve_plain(const std::string& s) {
  if (one_of(s, {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"})) return true;
  if (one_of(s, {"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"})) return false;
  if (one_of(s, {".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF"}))
    throw yaml_error("the YAML value " + s + " has no JSON equivalent");
  if (s.empty() || std::string_view("+-.0123456789").find(s.front()) == std::string_view::npos) return s;
  std::string plain;
  for (char c : s)
    if (c != '_') plain += c;
  if (auto n = parse_yaml_integer(plain)) return *n;
  if (looks_like_float(plain)) {
    const double v = std::strtod(plain.c_str(), nullptr);
    if (!std::isfinite(v)) throw yaml_error("the number " + s + " is out of range");
    return v;
  }
  return s;
}

/// The JSON value of a scalar with an explicit standard tag.
json resolve_tagged(const std::string& tag, const std::string& s) {
  constexpr std::string_view prefix = "tag:yaml.org,2002:";
  const std::string_view name = std::string_view(tag).substr(tag.rfind(prefix, 0) == 0 ? prefix.size() : 0);
  if (name == "str") return s;
  if (name == "null") return nullptr;
  json v = resolve_plain(s);
  if (name == "int" && (v.is_number_integer())) return v;
  if (name == "float" && v.is_number()) return v.get<double>();
  if (name == "bool" && v.is_boolean()) return v;
  if (name == "int" || name == "float" || name == "bool")
    throw yaml_error("the value \"" + s + "\" is not a valid !!" + std::string(name));
  throw yaml_error("unsupported YAML tag \"" + tag + "\"");
}

/// Turns yaml-cpp's events into JSON documents.
class json_builder : public YAML::EventHandler {
 public:
  explicit json_builder(std::string_view text) : text_(text), budget_(2 * text.size() + 1024) {}

  std::vector<yaml_document> take() { return std::move(documents_); }

  void OnDocumentStart(const YAML::Mark& mark) override {
    const auto at = offset_of(mark);
    if (started_ && text_.substr(std::min(at, text_.size()), 3) != "---" && !after_document_end(text_, at))
      fail(mark, "unexpected content after the end of the document (a line out of place, or a missing '---')");
    started_ = true;
    anchors_.clear();
    root_.reset();
    line_ = static_cast<std::size_t>(mark.line < 0 ? 0 : mark.line) + 1;
  }

  void OnDocumentEnd() override {
    if (root_ && !root_->is_null()) documents_.push_back({std::move(*root_), line_});
    root_.reset();
  }

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (expecting_key()) fail(mark, "empty mapping keys are not supported");
    ++produced_;
    finish(mark, json(nullptr), anchor, 1);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const auto it = anchors_.find(anchor);
    if (it == anchors_.end()) fail(mark, "alias to an anchor that is not complete yet");
    produced_ += it->second.second;
    if (produced_ > budget_) fail(mark, "aliases expand to far more data than the input holds (an alias bomb?)");
    if (expecting_key()) {
      if (!it->second.first.is_string()) fail(mark, "mapping keys must be strings");
      set_key(mark, it->second.first.get<std::string>(), false);
      return;
    }
    finish(mark, it->second.first, 0, it->second.second);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor, const std::string& value) override {
    if (const auto bad = invalid_utf8_at(value); bad != std::string::npos) fail(mark, "invalid UTF-8 in a scalar");
    if (expecting_key()) {
      set_key(mark, value, tag == "?" && value == "<<");
      if (anchor != 0) anchors_[anchor] = {json(value), 1};
      return;
    }
    ++produced_;
    json v;
    try {
      v = tag == "?" ? resolve_plain(value) : tag == "!" || tag.empty() ? json(value) : resolve_tagged(tag, value);
    } catch (const yaml_error& e) {
      fail(mark, e.what());
    }
    finish(mark, std::move(v), anchor, 1);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark, tag, anchor, json::array(), "seq");
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor, YAML::EmitterStyle::value) override {
    open(mark, tag, anchor, json::object(), "map");
  }
  void OnMapEnd() override { close(); }

 private:
  struct frame {
    json value{};
    YAML::Mark mark{};
    YAML::anchor_t anchor{0};
    std::size_t produced_at_start{0};
    std::optional<std::string> key{};   ///< maps: the key whose value comes next
    YAML::Mark key_mark{};
    bool key_is_merge{false};
    std::set<std::string> merged{};     ///< maps: keys that came from a merge (may be overridden)
  };

  [[noreturn]] void fail(const YAML::Mark& mark, const std::string& message) const {
    const std::string where = path();
    throw yaml_error((where.empty() ? "" : where + ": ") + position(mark) + ": " + message);
  }

  /// The field path of the value being built ("spec.template.metadata.labels").
  std::string path() const {
    std::string out;
    for (const auto& f : stack_) {
      if (f.value.is_array()) {
        out += "[" + std::to_string(f.value.size()) + "]";
      } else if (f.key) {
        if (!out.empty()) out += '.';
        out += *f.key;
      }
    }
    return out;
  }

  bool expecting_key() const { return !stack_.empty() && stack_.back().value.is_object() && !stack_.back().key; }

  void set_key(const YAML::Mark& mark, const std::string& key, bool merge) {
    auto& top = stack_.back();
    top.key = key;
    top.key_mark = mark;
    top.key_is_merge = merge;
  }

  void open(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor, json empty, std::string_view kind) {
    if (expecting_key()) fail(mark, "mapping keys must be scalars");
    if (!tag.empty() && tag != "?" && tag != "!" && tag != "tag:yaml.org,2002:" + std::string(kind))
      fail(mark, "unsupported YAML tag \"" + tag + "\"");
    if (stack_.size() >= max_nesting) fail(mark, "nested deeper than " + std::to_string(max_nesting) + " levels");
    stack_.push_back({.value = std::move(empty), .mark = mark, .anchor = anchor, .produced_at_start = produced_});
    ++produced_;
  }

  void close() {
    frame done = std::move(stack_.back());
    stack_.pop_back();
    if (done.key) fail(done.key_mark, "mapping key without a value");
    finish(done.mark, std::move(done.value), done.anchor, produced_ - done.produced_at_start);
  }

  /// A complete value of `nodes` nodes: remember its anchor, then put it where it belongs.
  void finish(const YAML::Mark& mark, json value, YAML::anchor_t anchor, std::size_t nodes) {
    if (produced_ > budget_) fail(mark, "the document expands to far more data than the input holds");
    if (anchor != 0) anchors_[anchor] = {value, nodes};
    if (stack_.empty()) {
      root_ = std::move(value);
      return;
    }
    auto& top = stack_.back();
    if (top.value.is_array()) {
      top.value.push_back(std::move(value));
      return;
    }
    const std::string key = std::move(*top.key);
    top.key.reset();
    if (top.key_is_merge) {
      merge(top, mark, value);
      return;
    }
    auto& object = top.value.get_ref<json::object_t&>();
    if (object.contains(key) && top.merged.erase(key) == 0) fail(top.key_mark, "duplicate key \"" + key + "\"");
    object[key] = std::move(value);
  }

  /// `<<: map` or `<<: [maps]`: copies the keys not set yet (explicit keys win, in any order).
  void merge(frame& into, const YAML::Mark& mark, const json& value) {
    auto merge_one = [&](const json& m) {
      if (!m.is_object()) fail(mark, "a merge key's value must be a mapping or a list of mappings");
      for (auto it = m.begin(); it != m.end(); ++it)
        if (!into.value.contains(it.key())) {
          into.value[it.key()] = *it;
          into.merged.insert(it.key());
        }
    };
    if (value.is_array()) {
      for (const auto& m : value) merge_one(m);
    } else {
      merge_one(value);
    }
  }

  std::string_view text_;
  std::size_t budget_;
  std::size_t produced_{0};
  bool started_{false};
  std::size_t line_{1};
  std::vector<frame> stack_;
  std::optional<json> root_;
  std::map<YAML::anchor_t, std::pair<json, std::size_t>> anchors_;
  std::vector<yaml_document> documents_;
};

}  // namespace

std::vector<yaml_document> parse_yaml(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a UTF-8 byte order mark: yaml-cpp's offsets skip it
  if (const auto bad = invalid_utf8_at(text); bad != std::string_view::npos)
    throw yaml_error(position_of(text, bad) + ": invalid UTF-8");
  std::istringstream in{std::string(text)};
  json_builder builder(text);
  try {
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(builder)) {
    }
  } catch (const YAML::DeepRecursion& e) {
    throw yaml_error(position(e.mark) + ": objects and lists nested too deeply");
  } catch (const YAML::Exception& e) {
    // yaml-cpp says "illegal map value" for a tab-indented line; name the real problem.
    if (e.mark.line >= 0) {
      const auto line = static_cast<std::size_t>(e.mark.line);
      for (const std::size_t l : {line, line > 0 ? line - 1 : line})
        if (tab_in_indentation(line_text(text, l)))
          throw yaml_error("line " + std::to_string(l + 1) + ": a tab character in the indentation (YAML indents with spaces)");
    }
    if (e.mark.is_null()) throw yaml_error(e.msg);
    throw yaml_error(position(e.mark) + ": " + e.msg);
  }
  return builder.take();
}

}  // namespace daemonplan::cli
