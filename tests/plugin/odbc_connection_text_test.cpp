// SPDX-License-Identifier: Apache-2.0
// The odbc plugin's connection setting: ${VARIABLES}, DSN names, secrets.
#include "catch.hpp"
#include "connection_text.hpp"

#include <cstdlib>
#include <string>

using vitals::odbc::Connection;
using vitals::odbc::ConnectionProblem;
using vitals::odbc::make_connection;
using vitals::odbc::scrub;

TEST_CASE("odbc connection: a bare name is a DSN", "[odbc]") {
  Connection c;
  ConnectionProblem p;
  REQUIRE(make_connection("liquidlogic", c, p));
  CHECK(c.text == "DSN=liquidlogic");
  CHECK(c.secrets.empty());
}

TEST_CASE("odbc connection: variables are expanded and the password is a secret", "[odbc]") {
  ::setenv("VITALS_TEST_ODBC_USER", "reader", 1);
  ::setenv("VITALS_TEST_ODBC_PWD", "pa;ss", 1);
  Connection c;
  ConnectionProblem p;
  REQUIRE(make_connection(
      "Driver=X;Uid=${VITALS_TEST_ODBC_USER};PWD={${VITALS_TEST_ODBC_PWD}};Database=d", c, p));
  CHECK(c.text == "Driver=X;Uid=reader;PWD={pa;ss};Database=d");
  REQUIRE(c.secrets.size() == 1);
  CHECK(c.secrets[0] == "pa;ss");
  CHECK(scrub("login failed for reader with pa;ss, pa;ss", c) ==
        "login failed for reader with ***, ***");
}

TEST_CASE("odbc connection: a missing variable is named, never a value", "[odbc]") {
  ::unsetenv("VITALS_TEST_ODBC_MISSING");
  Connection c;
  ConnectionProblem p;
  REQUIRE_FALSE(make_connection("Driver=X;Pwd=${VITALS_TEST_ODBC_MISSING}", c, p));
  CHECK(p.code == "source.missing_variable");
  CHECK(p.message.find("'VITALS_TEST_ODBC_MISSING'") != std::string::npos);
}

TEST_CASE("odbc connection: a password written in the catalogue is refused", "[odbc]") {
  Connection c;
  ConnectionProblem p;
  REQUIRE_FALSE(make_connection("Driver=X;Uid=u;Password=hunter2", c, p));
  CHECK(p.code == "source.bad_setting");
  CHECK(p.message.find("hunter2") == std::string::npos);
  REQUIRE_FALSE(make_connection("Driver=X;Uid=u; pwd ={hunter2}", c, p));
  CHECK(p.message.find("hunter2") == std::string::npos);
}

TEST_CASE("odbc connection: an unterminated ${ is refused", "[odbc]") {
  Connection c;
  ConnectionProblem p;
  REQUIRE_FALSE(make_connection("Driver=X;Uid=${USER", c, p));
  CHECK(p.code == "source.bad_setting");
}
