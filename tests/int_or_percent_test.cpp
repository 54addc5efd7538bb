// tests/int_or_percent_test.cpp: IntOrString scaling and parsing (placement spec §4; checklist
// items 6 and 10).
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include <catch2/catch.hpp>

#include <daemonplan/int_or_percent.hpp>

using namespace daemonplan;

TEST_CASE("§4.1: the zero value is Int 0", "[int_or_percent]") {
  const int_or_percent zero{};
  CHECK_FALSE(zero.is_string);
  CHECK(zero == from_int(0));
  CHECK(scaled_value(zero, 10, true).value() == 0);
  CHECK(to_string(zero) == "0");
  CHECK(to_string(from_string("10%")) == "10%");
}

TEST_CASE("§4.2: an Int is returned unchanged, any sign, whatever the total", "[int_or_percent]") {
  for (const std::int32_t v : {0, 3, -3, 150, std::numeric_limits<std::int32_t>::max()})
    for (const std::int64_t total : {0, 7, 1000})
      for (const bool up : {true, false}) {
        const auto r = scaled_value(from_int(v), total, up);
        REQUIRE(r.has_value());
        CHECK(*r == v);
      }
}

TEST_CASE("§4.2 table: percentages, rounded up or down toward +/- infinity", "[int_or_percent]") {
  struct row {
    const char* value;
    std::int64_t total;
    std::int64_t up;
    std::int64_t down;
  };
  const row rows[] = {
      {"10%", 15, 2, 1},     // 1.5
      {"33%", 3, 1, 0},      // 0.99
      {"100%", 7, 7, 7},
      {"0%", 50, 0, 0},
      {"10%", 0, 0, 0},
      {"50%", 1, 1, 0},
      {"+10%", 100, 10, 10},  // Atoi accepts a sign at runtime
      {"-10%", 15, -1, -2},   // -1.5: ceil -1, floor -2
      {"-10%", 10, -1, -1},
      {"-1%", 1, 0, -1},      // -0.01
      {"007%", 100, 7, 7},
      {"250%", 3, 8, 7},      // 7.5; runtime does not cap at 100%
  };
  for (const auto& r : rows) {
    INFO(r.value << " of " << r.total);
    const auto up = scaled_value(from_string(r.value), r.total, true);
    const auto down = scaled_value(from_string(r.value), r.total, false);
    REQUIRE(up.has_value());
    REQUIRE(down.has_value());
    CHECK(*up == r.up);
    CHECK(*down == r.down);
  }
}

TEST_CASE("§4.2: the integer arithmetic agrees with upstream's float64 ceil/floor", "[int_or_percent]") {
  for (std::int64_t p = -250; p <= 250; p += 7)
    for (std::int64_t total = 0; total <= 1000; total += 13) {
      const auto text = std::to_string(p) + "%";
      const double exact = static_cast<double>(p) * static_cast<double>(total) / 100.0;
      INFO(text << " of " << total);
      CHECK(scaled_value(from_string(text), total, true).value() == static_cast<std::int64_t>(std::ceil(exact)));
      CHECK(scaled_value(from_string(text), total, false).value() == static_cast<std::int64_t>(std::floor(exact)));
    }
}

TEST_CASE("§4.2 checklist 10: runtime strings must be <Atoi>%", "[int_or_percent]") {
  for (const char* bad : {"5", "", "%", "90#", "#%", " 10%", "10 %", "10%%", "1.5%", "+%", "-%", "0x10%", "10%\n",
                          "99999999999999999999%", "18446744073709551616%"}) {
    INFO("\"" << bad << "\"");
    const auto r = scaled_value(from_string(bad), 10, true);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == error_code::invalid);
  }
  // In range for Atoi, but p * total leaves int64: an error rather than garbage.
  CHECK_FALSE(scaled_value(from_string("9223372036854775807%"), 2, true).has_value());
  CHECK(scaled_value(from_string("9223372036854775807%"), 0, true).value() == 0);
  CHECK(scaled_value(from_string("9223372036854775807%"), 1, false).value() == 92233720368547758);
}

TEST_CASE("§4.3: intstr.Parse gives Int when the string is an int32, else String", "[int_or_percent]") {
  CHECK(parse_int_or_percent("5") == from_int(5));
  CHECK(parse_int_or_percent("+5") == from_int(5));
  CHECK(parse_int_or_percent("-5") == from_int(-5));
  CHECK(parse_int_or_percent("05") == from_int(5));
  CHECK(parse_int_or_percent("2147483647") == from_int(2147483647));
  CHECK(parse_int_or_percent("-2147483648") == from_int(std::numeric_limits<std::int32_t>::min()));
  CHECK(parse_int_or_percent("2147483648") == from_string("2147483648"));
  CHECK(parse_int_or_percent("-2147483649") == from_string("-2147483649"));
  CHECK(parse_int_or_percent("18446744073709551616") == from_string("18446744073709551616"));  // no wrap to 0
  CHECK(parse_int_or_percent("10%") == from_string("10%"));
  CHECK(parse_int_or_percent("") == from_string(""));
  CHECK(parse_int_or_percent(" 5") == from_string(" 5"));
}
