// SPDX-License-Identifier: Apache-2.0
#include <vitals/diagnostic.hpp>

#include "catch.hpp"

using namespace vitals;

TEST_CASE("a diagnostic made in one expression has the given fields and no indicator or rule",
          "[common][diagnostic]") {
  Diagnostic d = Diagnostic::make(Severity::kWarning, "config.unknown_key", "unknown key 'x'",
                                  SourceLocation{"catalogue.toml", 3, 1});
  CHECK(d.severity == Severity::kWarning);
  CHECK(d.code == "config.unknown_key");
  CHECK(d.message == "unknown key 'x'");
  REQUIRE(d.location);
  CHECK(*d.location == SourceLocation{"catalogue.toml", 3, 1});
  CHECK(d.indicator_id.empty());
  CHECK(d.rule_id.empty());
  CHECK(d.to_string() == "catalogue.toml:3:1: warning: unknown key 'x' [config.unknown_key]");

  Diagnostic unplaced = Diagnostic::make(Severity::kError, "store.error", "cannot open");
  CHECK_FALSE(unplaced.location);
  CHECK(unplaced.to_string() == "error: cannot open [store.error]");
}

TEST_CASE("diagnostics and printable text carry no terminal escape sequence", "[common]") {
  using namespace std::string_literals;
  Diagnostic d = Diagnostic::make(Severity::kError, "rule.x", "boom \x1b[2J\0 \xA3"s);
  CHECK(d.to_string() == "error: boom \\u001b[2J\\u0000 \xEF\xBF\xBD [rule.x]");
  CHECK(printable("title\x1b]0;pwned\x07") == "title\\u001b]0;pwned\\u0007");
  CHECK(printable("£ line\nnext") == "£ line\nnext");
}
