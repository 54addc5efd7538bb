// tests/labels_test.cpp: label keys and values, DNS-1123 names, Go's ParseInt and plain-map
// selectors (placement spec §5.5, §2.5, §1.5).
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include <catch2/catch.hpp>

#include <daemonplan/labels.hpp>

using namespace daemonplan;

namespace {
struct text_case {
  std::string input;
  bool valid;
};
}  // namespace

TEST_CASE("label keys: optional DNS-1123 subdomain prefix, one slash, a 1-63 byte name", "[labels]") {
  const std::string name63(63, 'a');
  const std::string prefix253 = std::string(125, 'a') + "." + std::string(127, 'b');  // 253 bytes
  REQUIRE(prefix253.size() == 253);
  const text_case cases[] = {
      {"a", true},
      {"A", true},                       // upper case is fine in the name part
      {"a.b", true},
      {"a-b_c.D9", true},
      {"example.com/MyName", true},
      {"kubernetes.io/os", true},
      {"metadata.name", true},           // dots are fine in a name
      {name63, true},
      {prefix253 + "/a", true},
      {"", false},
      {"/simple", false},                // empty prefix
      {"example.com/", false},           // empty name
      {"a/b/c", false},                  // two slashes
      {"Example.com/x", false},          // upper case prefix
      {"exa_mple.com/x", false},         // '_' not allowed in a prefix
      {"-a", false},
      {"a-", false},
      {"_a", false},
      {"a b", false},
      {"a@b", false},
      {name63 + "a", false},             // 64-byte name
      {prefix253 + "c/a", false},        // 254-byte prefix
      {"\xc3\xa9", false},               // multibyte input always fails
  };
  for (const auto& c : cases) {
    INFO("key \"" << c.input << "\"");
    CHECK(is_label_key(c.input) == c.valid);
  }
}

TEST_CASE("label values: empty, or 1-63 bytes alphanumeric at both ends with -_. inside", "[labels]") {
  const text_case cases[] = {
      {"", true},          {"a", true},          {"A-b_c.d", true},  {"0206", true},
      {std::string(63, 'x'), true},              {std::string(64, 'x'), false},
      {"-a", false},       {"a-", false},        {".", false},       {"a b", false},
      {"-5", false},       {"+5", false},        {"a/b", false},     {"\xc3\xa9", false},
  };
  for (const auto& c : cases) {
    INFO("value \"" << c.input << "\"");
    CHECK(is_label_value(c.input) == c.valid);
  }
}

TEST_CASE("DNS-1123 labels (namespaces): 1-63 bytes, lower case, no dots", "[labels]") {
  const text_case cases[] = {
      {"a", true},    {"a-b", true},   {"0", true},     {"9a", true},   {std::string(63, 'a'), true},
      {"", false},    {"A", false},    {"a.b", false},  {"-a", false},  {"a-", false},
      {"a_b", false}, {std::string(64, 'a'), false},
  };
  for (const auto& c : cases) {
    INFO("label \"" << c.input << "\"");
    CHECK(is_dns1123_label(c.input) == c.valid);
  }
}

TEST_CASE("DNS-1123 subdomains (object and node names): 1-253 bytes of labels joined by dots", "[labels]") {
  const std::string long_label(100, 'a');  // individual labels are not limited to 63 in a subdomain
  const text_case cases[] = {
      {"a", true},
      {"a.b", true},
      {"a-b.c-d", true},
      {"ip-10-0-0-1.ec2.internal", true},
      {long_label + "." + long_label, true},
      {std::string(253, 'a'), true},
      {std::string(254, 'a'), false},
      {"", false},
      {"a..b", false},
      {".a", false},
      {"a.", false},
      {"A.b", false},
      {"a_b", false},
      {"-a.b", false},
      {"a.-b", false},
  };
  for (const auto& c : cases) {
    INFO("subdomain \"" << c.input << "\"");
    CHECK(is_dns1123_subdomain(c.input) == c.valid);
  }
}

TEST_CASE("Go ParseInt(s, 10, 64): sign, digits, leading zeros; everything else fails, never clamps", "[labels]") {
  constexpr auto max = std::numeric_limits<std::int64_t>::max();
  constexpr auto min = std::numeric_limits<std::int64_t>::min();
  const std::pair<std::string, std::optional<std::int64_t>> cases[] = {
      {"0", 0},
      {"0206", 206},
      {"-0", 0},
      {"+5", 5},
      {"-5", -5},
      {"9223372036854775807", max},
      {"-9223372036854775808", min},
      {"00000000000000000000000042", 42},
      {"9223372036854775808", std::nullopt},   // out of range is an error, not a clamp
      {"-9223372036854775809", std::nullopt},
      {"18446744073709551616", std::nullopt},  // 2^64
      {"99999999999999999999", std::nullopt},
      {"", std::nullopt},
      {"+", std::nullopt},
      {"-", std::nullopt},
      {" 1", std::nullopt},
      {"1 ", std::nullopt},
      {"1.0", std::nullopt},
      {"1_000", std::nullopt},
      {"0x10", std::nullopt},
      {"1e3", std::nullopt},
      {"--1", std::nullopt},
  };
  for (const auto& [text, expected] : cases) {
    INFO("\"" << text << "\"");
    CHECK(parse_go_int64(text) == expected);
  }
}

TEST_CASE("plain-map selectors (SelectorFromSet): empty selects all, exact bytes, nothing validated", "[labels]") {
  const label_map node{{"kubernetes.io/os", "linux"}, {"zone", ""}, {"Bad Key!", "x"}};
  CHECK(labels_contain(node, {}));
  CHECK(labels_contain({}, {}));
  CHECK(labels_contain(node, {{"kubernetes.io/os", "linux"}}));
  CHECK(labels_contain(node, {{"kubernetes.io/os", "linux"}, {"zone", ""}}));
  CHECK_FALSE(labels_contain(node, {{"kubernetes.io/os", "Linux"}}));  // byte for byte
  CHECK_FALSE(labels_contain(node, {{"kubernetes.io/arch", "amd64"}}));
  CHECK_FALSE(labels_contain(node, {{"zone", "a"}}));
  CHECK_FALSE(labels_contain({}, {{"zone", ""}}));  // present-with-empty differs from absent
  // A malformed key is not rejected; it matches only a label spelled the same way.
  CHECK(labels_contain(node, {{"Bad Key!", "x"}}));
  CHECK_FALSE(labels_contain(node, {{"Bad Key?", "x"}}));
}
