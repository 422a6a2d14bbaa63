// SPDX-License-Identifier: Apache-2.0
// The `connection` setting of an odbc source: a DSN name or an ODBC
// connection string whose secrets come from environment variables.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vitals::odbc {

/// A connection setting made ready for SQLDriverConnect.
struct Connection {
  std::string text;                  // "DSN=name" or the connection string, ${VARS} expanded
  std::vector<std::string> secrets;  // the password values, to scrub from messages
};

/// What is wrong with a connection setting; the message never holds a secret.
struct ConnectionProblem {
  std::string message;
  std::string code;  // "source.missing_variable", "source.bad_setting"
};

/// Expands each ${NAME} of `setting` from the environment and turns a bare
/// DSN name into "DSN=name". On failure returns false and fills `problem`:
/// a variable that is not set (named, never its value), an unterminated
/// ${, or a password written in the catalogue instead of as ${NAME}.
bool make_connection(std::string_view setting, Connection& out, ConnectionProblem& problem);

/// `message` with every secret of `connection` replaced by "***".
std::string scrub(std::string message, const Connection& connection);

}  // namespace vitals::odbc
