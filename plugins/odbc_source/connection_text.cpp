// SPDX-License-Identifier: Apache-2.0
#include "connection_text.hpp"

#include <cstdlib>

namespace vitals::odbc {
namespace {

bool is_password_key(std::string_view key) {
  std::string k;
  for (char c : key) {
    if (c == ' ' || c == '\t') continue;
    k += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return k == "pwd" || k == "password";
}

// The values of the Pwd/Password attributes of a connection string
// ("key=value;key={va;lue};..."), as written.
std::vector<std::string_view> password_values(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t eq = text.find('=', i);
    if (eq == std::string_view::npos) break;
    std::string_view key = text.substr(i, eq - i);
    std::size_t start = eq + 1;
    std::size_t end;
    if (start < text.size() && text[start] == '{') {
      end = text.find('}', start);
      end = end == std::string_view::npos ? text.size() : end + 1;
    } else {
      end = text.find(';', start);
      if (end == std::string_view::npos) end = text.size();
    }
    if (is_password_key(key)) out.push_back(text.substr(start, end - start));
    i = text.find(';', end);
    if (i == std::string_view::npos) break;
    ++i;
  }
  return out;
}

}  // namespace

bool make_connection(std::string_view setting, Connection& out, ConnectionProblem& problem) {
  out = Connection{};
  if (setting.find('=') == std::string_view::npos) {
    out.text = "DSN=" + std::string(setting);
    return true;
  }
  for (std::string_view written : password_values(setting)) {
    std::string_view inner = written;
    if (inner.size() >= 2 && inner.front() == '{' && inner.back() == '}') {
      inner = inner.substr(1, inner.size() - 2);
    }
    if (!inner.empty() && inner.find("${") == std::string_view::npos) {
      problem = {"the connection string holds a password; write it as ${VARIABLE} and set "
                 "that environment variable where vitals runs, so that no secret is in the "
                 "catalogue",
                 "source.bad_setting"};
      return false;
    }
  }
  std::string text;
  for (std::size_t i = 0; i < setting.size();) {
    if (setting.compare(i, 2, "${") != 0) {
      text += setting[i++];
      continue;
    }
    std::size_t close = setting.find('}', i + 2);
    if (close == std::string_view::npos) {
      problem = {"'${' without a closing '}' in the connection string", "source.bad_setting"};
      return false;
    }
    std::string name(setting.substr(i + 2, close - i - 2));
    const char* value = name.empty() ? nullptr : std::getenv(name.c_str());
    if (value == nullptr) {
      problem = {"the connection string uses environment variable '" + name +
                     "', which is not set",
                 "source.missing_variable"};
      return false;
    }
    text += value;
    i = close + 1;
  }
  out.text = std::move(text);
  for (std::string_view v : password_values(out.text)) {
    if (v.size() >= 2 && v.front() == '{' && v.back() == '}') v = v.substr(1, v.size() - 2);
    if (!v.empty()) out.secrets.emplace_back(v);
  }
  return true;
}

std::string scrub(std::string message, const Connection& connection) {
  for (const std::string& secret : connection.secrets) {
    for (std::size_t at = message.find(secret); at != std::string::npos;
         at = message.find(secret, at + 3)) {
      message.replace(at, secret.size(), "***");
    }
  }
  return message;
}

}  // namespace vitals::odbc
