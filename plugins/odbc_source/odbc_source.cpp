// SPDX-License-Identifier: Apache-2.0
// The "odbc" source plugin: rows of an SQL query over ODBC (unixODBC), one
// row per series and period, with the csv plugin's columns. See
// docs/sources-odbc.md.
#include "../common/ascii_text.hpp"
#include "../common/long_columns.hpp"
#include "connection_text.hpp"

#include <vitals/plugin/sdk.hpp>

#include <sql.h>
#include <sqlext.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vitals::odbc {
namespace {

using plugin::ConfigError;
using plugin::IoError;
using plugin::Settings;
using plugin::Sink;
using plugin_common::iequals;
using plugin_common::trim_blanks;

constexpr int kMaxParameters = 20;
constexpr SQLULEN kDefaultBlockRows = 1000;

// SQL types whose values the driver converts to a double without loss of
// what a figure needs (the column's text would be parsed to one anyway).
bool numeric_type(SQLSMALLINT type) {
  switch (type) {
    case SQL_DOUBLE:
    case SQL_FLOAT:
    case SQL_REAL:
    case SQL_NUMERIC:
    case SQL_DECIMAL:
    case SQL_INTEGER:
    case SQL_SMALLINT:
    case SQL_BIGINT:
    case SQL_TINYINT:
      return true;
    default:
      return false;
  }
}

std::string excerpt(std::string_view s) {
  return std::string(s.substr(0, 60)) + (s.size() > 60 ? "..." : "");
}

// The driver's diagnostics for `handle`: "[SQLSTATE] message; ...".
std::string diagnostics(SQLSMALLINT type, SQLHANDLE handle) {
  std::string out;
  for (SQLSMALLINT i = 1; i <= 5; ++i) {
    SQLCHAR state[6] = {0};
    SQLCHAR text[1024] = {0};
    SQLINTEGER native = 0;
    SQLSMALLINT len = 0;
    SQLRETURN rc = SQLGetDiagRec(type, handle, i, state, &native, text, sizeof text, &len);
    if (!SQL_SUCCEEDED(rc)) break;
    std::string message(reinterpret_cast<char*>(text));
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
      message.pop_back();
    }
    out += (out.empty() ? "" : "; ") + std::string("[SQLSTATE ") +
           reinterpret_cast<char*>(state) + "] " + message;
  }
  return out.empty() ? "no diagnostic from the driver" : out;
}

// One ODBC handle, freed on destruction.
class Handle {
 public:
  Handle(SQLSMALLINT type, SQLHANDLE parent) : type_(type) {
    if (!SQL_SUCCEEDED(SQLAllocHandle(type, parent, &handle_))) {
      handle_ = SQL_NULL_HANDLE;
      throw IoError("cannot allocate an ODBC handle (is unixODBC installed?)");
    }
  }
  ~Handle() {
    if (handle_ != SQL_NULL_HANDLE) SQLFreeHandle(type_, handle_);
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  SQLHANDLE get() const noexcept { return handle_; }
  SQLSMALLINT type() const noexcept { return type_; }

 private:
  SQLSMALLINT type_;
  SQLHANDLE handle_ = SQL_NULL_HANDLE;
};

// A connection to the database, closed on destruction.
class Session {
 public:
  explicit Session(const Connection& connection)
      : env_(SQL_HANDLE_ENV, SQL_NULL_HANDLE), dbc_(SQL_HANDLE_DBC, init_env()) {
    SQLSMALLINT out_len = 0;
    SQLRETURN rc = SQLDriverConnect(
        dbc_.get(), nullptr, reinterpret_cast<SQLCHAR*>(const_cast<char*>(connection.text.c_str())),
        SQL_NTS, nullptr, 0, &out_len, SQL_DRIVER_NOPROMPT);
    if (!SQL_SUCCEEDED(rc)) {
      throw IoError(scrub("cannot connect to the database: " +
                              diagnostics(SQL_HANDLE_DBC, dbc_.get()),
                          connection));
    }
    connected_ = true;
    watch_for_dropped_client();
  }
  ~Session() {
    if (connected_) SQLDisconnect(dbc_.get());
  }
  SQLHANDLE dbc() const noexcept { return dbc_.get(); }

 private:
  // A run that is stopped while the server works on the query (Ctrl-C, the
  // deadline of an isolated source, a crash) ends this process, not the
  // query: a PostgreSQL server notices a closed connection only when it next
  // sends rows, so a slow query would run on. PostgreSQL 14 and later can
  // look for it while the query runs (a check a second on the server). An
  // older server refuses the setting, which changes nothing else.
  void watch_for_dropped_client() {
    SQLCHAR dbms[64] = {0};
    SQLSMALLINT len = 0;
    if (!SQL_SUCCEEDED(SQLGetInfo(dbc_.get(), SQL_DBMS_NAME, dbms, sizeof dbms, &len)) ||
        std::string_view(reinterpret_cast<char*>(dbms)) != "PostgreSQL") {
      return;
    }
    Handle stmt(SQL_HANDLE_STMT, dbc_.get());
    SQLCHAR set[] = "SET client_connection_check_interval = 1000";
    SQLExecDirect(stmt.get(), set, SQL_NTS);
  }

  SQLHANDLE init_env() {
    SQLSetEnvAttr(env_.get(), SQL_ATTR_ODBC_VERSION, reinterpret_cast<SQLPOINTER>(SQL_OV_ODBC3), 0);
    return env_.get();
  }
  Handle env_;
  Handle dbc_;
  bool connected_ = false;
};

// A statement; one left executing (the host asked to stop, or an error) is
// cancelled before it is freed, so that the server stops the query.
class Statement {
 public:
  explicit Statement(SQLHANDLE dbc) : stmt_(SQL_HANDLE_STMT, dbc) {}
  ~Statement() {
    if (open_) {
      SQLCancel(stmt_.get());
      SQLCloseCursor(stmt_.get());
    }
  }
  SQLHANDLE get() const noexcept { return stmt_.get(); }
  void set_open(bool open) noexcept { open_ = open; }

 private:
  Handle stmt_;
  bool open_ = false;
};

// One result column, bound column-wise for a block of rows: a column of a
// numeric SQL type that holds figures as doubles (the driver converts them;
// no text is made and parsed again), any other as text.
struct Bound : plugin_common::LongColumn {
  explicit Bound(plugin_common::LongColumn column) : LongColumn(std::move(column)) {}
  SQLUSMALLINT index = 0;  // 1-based; 0 when absent
  std::string name;        // as the query spells it
  bool is_date = false;    // a DATE/TIMESTAMP column: its month is the period
  bool is_double = false;  // bound as SQL_C_DOUBLE: `numbers`, not `data`
  SQLLEN width = 0;
  std::vector<char> data;
  std::vector<double> numbers;
  std::vector<SQLLEN> length;

  std::optional<std::string_view> at(SQLULEN row) const {
    if (length[row] == SQL_NULL_DATA) return std::nullopt;
    SQLLEN n = length[row];
    if (n == SQL_NO_TOTAL || n >= width) n = width - 1;
    return std::string_view(data.data() + row * width, static_cast<std::size_t>(n));
  }
  bool truncated(SQLULEN row) const {
    return !is_double && length[row] != SQL_NULL_DATA &&
           (length[row] == SQL_NO_TOTAL || length[row] >= width);
  }
};

enum class Number { kMissing, kOk, kBad };

Number parse_number(std::optional<std::string_view> cell, double& out) {
  if (!cell) return Number::kMissing;
  std::string_view text = trim_blanks(*cell);
  if (text.empty()) return Number::kMissing;
  if (text.front() == '+') text.remove_prefix(1);
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out, std::chars_format::general);
  if (ec != std::errc() || ptr != end || !std::isfinite(out)) return Number::kBad;
  return Number::kOk;
}

std::string parameter_key(int i) { return "parameter_" + std::to_string(i); }

class OdbcSource final : public plugin::Source {
 public:
  /// The settings of an odbc source: checked by validate and before the constructor.
  static std::vector<plugin::SettingSpec> declared_settings(const Settings& settings) {
    std::vector<plugin::SettingSpec> specs = {plugin::required_setting("connection")};
    // One of query and query_file: naming both makes the other unknown.
    if (settings.has("query_file")) {
      specs.push_back(plugin::required_file("query_file"));
    } else {
      specs.push_back(plugin::required_setting("query"));
    }
    plugin_common::declare_long_column_settings(specs);
    specs.push_back(plugin::optional_setting("block_rows"));
    specs.push_back(plugin::optional_setting("query_timeout_s"));
    for (int i = 1; i <= kMaxParameters; ++i) specs.push_back(plugin::optional_setting(parameter_key(i)));
    return specs;
  }

  explicit OdbcSource(const Settings& settings)
      : OdbcSource(settings, plugin_common::LongColumns(settings)) {}
  OdbcSource(const Settings& settings, const plugin_common::LongColumns& columns)
      : source_name_(settings.source_name()),
        single_series_(columns.single_series),
        key_{columns.key},
        period_{columns.period},
        value_{columns.value},
        numerator_{columns.numerator},
        denominator_{columns.denominator},
        target_{columns.target} {
    ConnectionProblem problem;
    if (!make_connection(settings.get("connection"), connection_, problem)) {
      setting_error("connection", problem.code, problem.message);
    }
    if (settings.has("query_file")) {
      std::ifstream in(settings.path("query_file"), std::ios::binary);
      std::ostringstream text;
      text << in.rdbuf();
      if (!in) setting_error("query_file", "source.missing_file", "cannot read the query file");
      query_ = text.str();
      where_ = settings.get("query_file");
    } else {
      query_ = settings.get("query");
      where_ = "query of source '" + source_name_ + "'";
    }
    block_rows_ = positive_number(settings, "block_rows", kDefaultBlockRows, 100000);
    timeout_s_ = positive_number(settings, "query_timeout_s", 0, 86400);
    for (int i = 1; i <= kMaxParameters; ++i) {
      const std::string* value = settings.find(parameter_key(i));
      if (value == nullptr) {
        if (settings.has(parameter_key(i + 1))) {
          setting_error(parameter_key(i + 1), "source.bad_setting",
                        parameter_key(i + 1) + " is set but " + parameter_key(i) + " is not");
        }
        break;
      }
      parameters_.push_back(*value);
    }
  }

  void fetch(Sink& sink) override { read(sink, false); }
  void describe(Sink& sink) { read(sink, true); }

 private:
  // A located problem with a setting (the host points at its catalogue
  // line), then the failure of the call.
  [[noreturn]] static void setting_error(const std::string& setting, const std::string& code,
                                         const std::string& message) {
    plugin::detail::report_setting_problem(plugin::detail::State::call,
                                           {setting, code, message});
    throw ConfigError("setting '" + setting + "': " + message);
  }

  static SQLULEN positive_number(const Settings& settings, const char* key, SQLULEN fallback,
                                 SQLULEN most) {
    const std::string* text = settings.find(key);
    if (text == nullptr) return fallback;
    SQLULEN n = 0;
    auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
    if (ec != std::errc() || ptr != text->data() + text->size() || n == 0 || n > most) {
      setting_error(key, "source.bad_setting",
                    std::string(key) + " must be a whole number from 1 to " +
                        std::to_string(most) + ", not '" + excerpt(*text) + "'");
    }
    return n;
  }

  [[noreturn]] void sql_failed(const char* what, SQLHANDLE stmt) const {
    throw IoError(scrub(std::string(what) + " (" + where_ + "): " +
                            diagnostics(SQL_HANDLE_STMT, stmt),
                        connection_));
  }

  void read(Sink& sink, bool keys_only) {
    Session session(connection_);
    Statement stmt(session.dbc());
    SQLHANDLE h = stmt.get();
    if (timeout_s_ > 0) {
      SQLSetStmtAttr(h, SQL_ATTR_QUERY_TIMEOUT, reinterpret_cast<SQLPOINTER>(timeout_s_), 0);
    }
    if (!SQL_SUCCEEDED(SQLPrepare(h, reinterpret_cast<SQLCHAR*>(query_.data()),
                                  static_cast<SQLINTEGER>(query_.size())))) {
      sql_failed("the query failed", h);
    }
    std::vector<SQLLEN> parameter_lengths(parameters_.size());
    for (std::size_t i = 0; i < parameters_.size(); ++i) {
      parameter_lengths[i] = static_cast<SQLLEN>(parameters_[i].size());
      SQLRETURN rc = SQLBindParameter(
          h, static_cast<SQLUSMALLINT>(i + 1), SQL_PARAM_INPUT, SQL_C_CHAR, SQL_VARCHAR,
          std::max<SQLULEN>(parameters_[i].size(), 1), 0, parameters_[i].data(),
          static_cast<SQLLEN>(parameters_[i].size()), &parameter_lengths[i]);
      if (!SQL_SUCCEEDED(rc)) sql_failed(("cannot bind " + parameter_key(int(i) + 1)).c_str(), h);
    }
    stmt.set_open(true);
    SQLRETURN rc = SQLExecute(h);
    if (!SQL_SUCCEEDED(rc) && rc != SQL_NO_DATA) sql_failed("the query failed", h);

    sink.set_file(where_);
    if (!bind_columns(h, sink)) return;

    std::vector<SQLUSMALLINT> status(block_rows_);
    SQLULEN fetched = 0;
    SQLSetStmtAttr(h, SQL_ATTR_ROW_BIND_TYPE, reinterpret_cast<SQLPOINTER>(SQL_BIND_BY_COLUMN), 0);
    if (!SQL_SUCCEEDED(SQLSetStmtAttr(h, SQL_ATTR_ROW_ARRAY_SIZE,
                                      reinterpret_cast<SQLPOINTER>(block_rows_), 0))) {
      sql_failed("the driver refused block fetches", h);
    }
    SQLSetStmtAttr(h, SQL_ATTR_ROW_STATUS_PTR, status.data(), 0);
    SQLSetStmtAttr(h, SQL_ATTR_ROWS_FETCHED_PTR, &fetched, 0);

    std::string current_key;
    bool open = false;
    std::int64_t row = 0;
    std::string period_text;
    for (;;) {
      rc = SQLFetch(h);
      if (rc == SQL_NO_DATA) break;
      if (!SQL_SUCCEEDED(rc)) sql_failed("reading the query's rows failed", h);
      for (SQLULEN r = 0; r < fetched; ++r) {
        ++row;
        if (status[r] == SQL_ROW_ERROR) {
          sink.problem(row, 0, "row " + std::to_string(row) + ": the driver could not read it",
                       "data.bad_row");
          continue;
        }
        push_row(sink, r, row, keys_only, current_key, open, period_text);
      }
    }
    stmt.set_open(false);
    SQLCloseCursor(h);
  }

  void push_row(Sink& sink, SQLULEN r, std::int64_t row, bool keys_only, std::string& current_key,
                bool& open, std::string& period_text) {
    for (const Bound* b : columns_) {
      if (b->truncated(r)) {
        sink.problem(row, b->index,
                     "row " + std::to_string(row) + ", column '" + b->name + "': longer than " +
                         std::to_string(b->width - 1) + " bytes",
                     "data.bad_value");
        return;
      }
    }
    std::string_view key = single_series_;
    if (single_series_.empty()) {
      std::optional<std::string_view> cell = key_.at(r);
      key = cell ? trim_blanks(*cell) : std::string_view();
      if (key.empty()) {
        sink.problem(row, key_.index,
                     "row " + std::to_string(row) + ", column '" + key_.name + "': no series key",
                     "data.missing_key");
        return;
      }
    }
    std::optional<std::string_view> period = period_.at(r);
    std::string_view p = period ? trim_blanks(*period) : std::string_view();
    if (p.empty()) {
      sink.problem(row, period_.index,
                   "row " + std::to_string(row) + ", column '" + period_.name + "': no period",
                   "data.missing_period");
      return;
    }
    if (period_.is_date && p.size() >= 7) p = p.substr(0, 7);  // 2017-03-01 -> 2017-03
    if (!open || key != current_key) {
      sink.series(key);
      current_key.assign(key);
      open = true;
    }
    if (keys_only) return;
    period_text.assign(p);
    plugin::Point point;
    point.period = period_text;
    point.row = row;
    point.column = period_.index;
    point.field = period_.name;
    const std::pair<const Bound*, std::optional<double>*> numbers[] = {
        {&value_, &point.value},
        {&numerator_, &point.numerator},
        {&denominator_, &point.denominator},
        {&target_, &point.target}};
    bool bad = false;
    for (const auto& [column, slot] : numbers) {
      if (column->index == 0) continue;
      double v = 0;
      if (column->is_double) {
        if (column->length[r] == SQL_NULL_DATA) continue;
        v = column->numbers[r];
        if (std::isfinite(v)) {
          *slot = v;
          continue;
        }
        sink.problem(row, column->index,
                     "row " + std::to_string(row) + ", column '" + column->name + "': '" +
                         std::to_string(v) + "' is not a number",
                     "data.bad_value");
        bad = true;
        continue;
      }
      std::optional<std::string_view> cell = column->at(r);
      switch (parse_number(cell, v)) {
        case Number::kMissing:
          break;
        case Number::kOk:
          *slot = v;
          break;
        case Number::kBad:
          sink.problem(row, column->index,
                       "row " + std::to_string(row) + ", column '" + column->name + "': '" +
                           excerpt(trim_blanks(*cell)) + "' is not a number",
                       "data.bad_value");
          bad = true;
          break;
      }
    }
    if (bad) point.value = point.numerator = point.denominator = point.target = std::nullopt;
    sink.push(point);
  }

  // Finds the wanted columns among the query's and binds them; false (after
  // reporting) when a required one is missing.
  bool bind_columns(SQLHANDLE h, Sink& sink) {
    SQLSMALLINT count = 0;
    if (!SQL_SUCCEEDED(SQLNumResultCols(h, &count))) sql_failed("the query failed", h);
    std::vector<std::string> names;
    std::vector<SQLSMALLINT> types;
    for (SQLUSMALLINT i = 1; i <= static_cast<SQLUSMALLINT>(count); ++i) {
      SQLCHAR name[256] = {0};
      SQLSMALLINT name_len = 0, type = 0, digits = 0, nullable = 0;
      SQLULEN size = 0;
      if (!SQL_SUCCEEDED(SQLDescribeCol(h, i, name, sizeof name, &name_len, &type, &size,
                                        &digits, &nullable))) {
        sql_failed("cannot describe the query's columns", h);
      }
      names.emplace_back(reinterpret_cast<char*>(name));
      types.push_back(type);
    }
    std::vector<Bound*> wanted = {&period_, &value_, &numerator_, &denominator_, &target_};
    if (single_series_.empty()) wanted.insert(wanted.begin(), &key_);
    bool ok = true;
    columns_.clear();
    for (Bound* b : wanted) {
      b->index = 0;
      for (std::size_t i = 0; i < names.size(); ++i) {
        if (iequals(names[i], b->wanted)) {
          b->index = static_cast<SQLUSMALLINT>(i + 1);
          b->name = names[i];
          b->is_date = types[i] == SQL_TYPE_DATE || types[i] == SQL_TYPE_TIMESTAMP ||
                       types[i] == SQL_DATE || types[i] == SQL_TIMESTAMP;
          break;
        }
      }
      if (b->index == 0) {
        if (!b->required) continue;
        std::string list;
        for (const std::string& n : names) list += (list.empty() ? "" : ", ") + excerpt(n);
        sink.problem(0, 0,
                     "the query has no column named '" + b->wanted + "' (columns: " + list +
                         "); set " + b->setting + " to the column's name",
                     "data.missing_column");
        ok = false;
        continue;
      }
      const bool figure = b != &key_ && b != &period_;
      b->is_double = figure && numeric_type(types[b->index - 1]);
      b->length.assign(block_rows_, 0);
      SQLRETURN bound = SQL_SUCCESS;
      if (b->is_double) {
        b->width = sizeof(double);
        b->numbers.assign(block_rows_, 0.0);
        bound = SQLBindCol(h, b->index, SQL_C_DOUBLE, b->numbers.data(), 0, b->length.data());
      } else {
        b->width = figure ? 64 : 512;
        b->data.assign(static_cast<std::size_t>(b->width) * block_rows_, 0);
        bound = SQLBindCol(h, b->index, SQL_C_CHAR, b->data.data(), b->width, b->length.data());
      }
      if (!SQL_SUCCEEDED(bound)) sql_failed("cannot bind the query's columns", h);
      columns_.push_back(b);
    }
    return ok;
  }

  std::string source_name_;
  std::string single_series_;
  Bound key_;
  Bound period_;
  Bound value_;
  Bound numerator_;
  Bound denominator_;
  Bound target_;
  Connection connection_;
  std::string query_;
  std::string where_;
  std::vector<std::string> parameters_;
  SQLULEN block_rows_ = kDefaultBlockRows;
  SQLULEN timeout_s_ = 0;
  std::vector<Bound*> columns_;
};

}  // namespace
}  // namespace vitals::odbc

VITALS_PLUGIN(vitals::odbc::OdbcSource, "odbc", "1.0.0",
              vitals::plugin::kNeedsNetwork | vitals::plugin::kThreadSafe)
