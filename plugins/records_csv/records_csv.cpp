// SPDX-License-Identifier: Apache-2.0
// The "records_csv" source plugin: budget monitoring, savings and risk
// register tables as CSV, delivered as records (plugin ABI 1.1). See README.md.
#include "../common/ascii_text.hpp"
#include "csv_problems.hpp"
#include "csv_reader.hpp"

#include <vitals/plugin/sdk.hpp>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vitals::csv {
namespace {

namespace fs = std::filesystem;
using plugin::ConfigError;
using plugin::IoError;
using plugin::Settings;
using plugin::Sink;
using plugin_common::lower_ascii;


// "Early Help & Prevention" -> "early_help_prevention": how catalogues name
// budget lines and savings printed without an id.
std::string snake_case(std::string_view text) {
  std::string out;
  bool gap = false;
  for (char c : text) {
    bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum) {
      gap = true;
      continue;
    }
    if (gap && !out.empty()) out.push_back('_');
    gap = false;
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

enum class Cell { kBlank, kNumber, kBad };

// An amount as finance spreadsheets write it: "1.2", "-0.471", "£1,234.5",
// "(0.3)" for a negative, " 12 ". Blank means missing.
Cell parse_amount(std::string_view text, double& out) {
  text = trim_blanks(text);
  if (text.empty()) return Cell::kBlank;
  bool negative = false;
  if (text.size() >= 2 && text.front() == '(' && text.back() == ')') {
    negative = true;
    text = trim_blanks(text.substr(1, text.size() - 2));
  }
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
    negative = negative != (text.front() == '-');
    text.remove_prefix(1);
  }
  if (text.size() >= 2 && static_cast<unsigned char>(text[0]) == 0xC2 &&
      static_cast<unsigned char>(text[1]) == 0xA3) {
    text.remove_prefix(2);  // "£" in UTF-8
  }
  std::string digits;
  for (char c : text) {
    if (c == ',') continue;
    digits.push_back(c);
  }
  if (digits.empty() || digits.front() == '-' || digits.front() == '+') return Cell::kBad;
  const char* end = digits.data() + digits.size();
  auto [ptr, ec] = std::from_chars(digits.data(), end, out, std::chars_format::general);
  if (ec != std::errc() || ptr != end || !std::isfinite(out)) return Cell::kBad;
  if (negative) out = -out;
  return Cell::kNumber;
}

// A column the plugin reads. `setting` names the setting that renames it;
// an optional column becomes required when its setting is given.
struct Column {
  std::string setting;
  std::string wanted;
  bool required = false;
  int index = -1;
};

enum class FieldKind {
  kId,        // the record's key
  kText,      // a text field
  kAmount,    // a number in the file's unit, delivered in pounds
  kScore,     // a whole number from 1 to 5
  kRag,       // red / amber / green
  kLevel,     // a risk's level: corporate (C) or departmental (D)
  kFinancePeriod,  // P1 to P13 (or 1 to 13)
  kBasis,     // net / gross
  kSavingRag, // red / amber / green / red_or_amber
};

struct FieldSpec {
  const char* field;          // the record field (or "" for the key and period)
  const char* setting;        // e.g. "budget_column"
  const char* default_column;
  FieldKind kind;
  bool required;
};

// What each kind of table holds.
struct TableSpec {
  const char* kind_setting;  // the value of the `kind` setting
  const char* record_kind;   // the record kind delivered
  const char* name_field;    // the field whose snake_case is the id when the id column is absent
  bool id_required;          // a table without an id column cannot name its rows
  bool amounts;              // has money columns (the `unit` setting applies)
  std::vector<FieldSpec> fields;
};

const std::vector<TableSpec>& tables() {
  static const std::vector<TableSpec> kTables = {
      {"budget",
       "budget_line",
       "title",
       false,
       true,
       {{"", "id_column", "id", FieldKind::kId, false},
        {"title", "title_column", "budget_line", FieldKind::kText, true},
        {"parent", "parent_column", "parent", FieldKind::kText, false},
        {"budget", "budget_column", "budget", FieldKind::kAmount, true},
        {"forecast", "forecast_column", "forecast", FieldKind::kAmount, true},
        {"variance", "variance_column", "variance", FieldKind::kAmount, false},
        {"previous_variance", "previous_variance_column", "previous_variance", FieldKind::kAmount,
         false},
        {"finance_period", "finance_period_column", "finance_period", FieldKind::kFinancePeriod,
         false},
        {"basis", "basis_column", "basis", FieldKind::kBasis, false}}},
      {"savings",
       "saving",
       "name",
       false,
       true,
       {{"", "id_column", "id", FieldKind::kId, false},
        {"name", "name_column", "saving", FieldKind::kText, true},
        {"budget_line", "budget_line_column", "budget_line", FieldKind::kText, true},
        {"planned", "planned_column", "planned", FieldKind::kAmount, true},
        {"forecast", "forecast_column", "forecast", FieldKind::kAmount, true},
        {"rag", "rag_column", "rag", FieldKind::kSavingRag, false}}},
      {"risks",
       "risk",
       "title",
       true,
       false,
       {{"", "id_column", "risk_id", FieldKind::kId, true},
        {"title", "title_column", "title", FieldKind::kText, true},
        {"description", "description_column", "description", FieldKind::kText, false},
        {"original_likelihood", "original_likelihood_column", "original_likelihood",
         FieldKind::kScore, false},
        {"original_impact", "original_impact_column", "original_impact", FieldKind::kScore, false},
        {"current_likelihood", "current_likelihood_column", "current_likelihood",
         FieldKind::kScore, true},
        {"current_impact", "current_impact_column", "current_impact", FieldKind::kScore, true},
        {"target_likelihood", "target_likelihood_column", "target_likelihood", FieldKind::kScore,
         false},
        {"target_impact", "target_impact_column", "target_impact", FieldKind::kScore, false},
        {"target_date", "target_date_column", "target_date", FieldKind::kText, false},
        {"prospects", "prospects_column", "prospects", FieldKind::kRag, false},
        {"owner", "owner_column", "risk_owner", FieldKind::kText, false},
        {"level", "level_column", "level", FieldKind::kLevel, false},
        {"area", "area_column", "area", FieldKind::kText, false},
        {"date_entered", "date_entered_column", "date_entered", FieldKind::kText, false},
        {"mitigation", "mitigation_column", "mitigation", FieldKind::kText, false},
        {"progress", "progress_column", "progress", FieldKind::kText, false},
        {"reviewed_by", "reviewed_by_column", "reviewed_by", FieldKind::kText, false},
        {"last_review", "last_review_column", "last_review", FieldKind::kText, false},
        {"next_review", "next_review_column", "next_review", FieldKind::kText, false}}},
  };
  return kTables;
}

bool is_kind(const std::string& kind) {
  return std::any_of(tables().begin(), tables().end(),
                     [&](const TableSpec& t) { return kind == t.kind_setting; });
}

const TableSpec& table_for(const std::string& kind) {
  for (const TableSpec& t : tables()) {
    if (kind == t.kind_setting) return t;
  }
  throw ConfigError("setting 'kind' is '" + kind + "'; expected budget, savings or risks");
}

double unit_scale(const std::string& unit) {
  if (unit == "gbp") return 1.0;
  if (unit == "gbp_k") return 1e3;
  if (unit == "gbp_m") return 1e6;
  throw ConfigError("setting 'unit' is '" + unit +
                    "'; expected gbp (pounds), gbp_k (thousands) or gbp_m (millions)");
}


class RecordsCsvSource final : public plugin::Source {
 public:
  /// The settings of a records_csv source, which depend on its kind:
  /// checked by validate and before the constructor.
  static std::vector<plugin::SettingSpec> declared_settings(const Settings& settings) {
    std::vector<plugin::SettingSpec> declared = {
        plugin::required_file("path"),
        plugin::required_setting("kind", {"budget", "savings", "risks"}),
        plugin::optional_setting("period"), plugin::optional_setting("period_column")};
    const std::string* kind = settings.find("kind");
    bool amounts = false;
    for (const TableSpec& t : tables()) {
      // Without a valid kind (reported itself), any kind's settings are accepted.
      if (kind != nullptr && *kind != t.kind_setting && is_kind(*kind)) continue;
      amounts = amounts || t.amounts;
      for (const FieldSpec& spec : t.fields) {
        bool known = std::any_of(declared.begin(), declared.end(),
                                 [&](const plugin::SettingSpec& d) { return d.name == spec.setting; });
        if (!known) declared.push_back(plugin::optional_setting(spec.setting));
      }
    }
    if (amounts) declared.push_back(plugin::optional_setting("unit", {"gbp", "gbp_k", "gbp_m"}));
    declared.push_back(plugin::optional_setting("encoding"));
    return declared;
  }

  explicit RecordsCsvSource(const Settings& settings)
      : path_(settings.path("path")),
        table_(table_for(settings.get("kind"))),
        period_(settings.get("period", "")),
        scale_(unit_scale(settings.get("unit", "gbp"))),
        period_column_{"period_column", settings.get("period_column", "period"),
                       settings.has("period_column")},
        encoding_(encoding_setting(settings)) {
    // Empty values, unknown keys, the kind, the unit's values and the file's
    // existence were checked against declared_settings before this runs.
    for (const FieldSpec& spec : table_.fields) {
      columns_.push_back(Column{spec.setting, settings.get(spec.setting, spec.default_column),
                                spec.required || settings.has(spec.setting)});
    }
  }

  void fetch(Sink& sink) override {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path_.c_str(), "rb"),
                                                         &std::fclose);
    if (!file) throw IoError("cannot open " + path_.string() + ": " + std::strerror(errno));
    sink.set_file(path_.string());
    CsvReader reader(file.get(), encoding_);
    Problems problems(sink);
    try {
      read_rows(reader, sink, problems);
    } catch (const ReadError& e) {
      throw IoError("cannot read " + path_.string() + ": " + e.what());
    }
    problems.finish();
  }

 private:
  void read_rows(CsvReader& reader, Sink& sink, Problems& problems) {
    Record record;
    if (!read_header_row(reader, record, problems) || !find_columns(record, problems)) return;

    std::map<std::string, std::int64_t> first_row;  // "key\0period" -> row
    while (next_data_row(reader, record, header_.size(), problems)) {
      read_row(record, sink, problems, first_row);
    }
  }

  struct Value {
    const FieldSpec* spec;
    std::string text;
    std::optional<double> number;
  };

  void read_row(const Record& row_record, Sink& sink, Problems& problems,
                std::map<std::string, std::int64_t>& first_row) {
    const auto& f = row_record.fields;
    const std::int64_t row = row_record.row;
    bool bad = false;
    std::string key;
    std::string name_text;
    std::vector<Value> values;
    for (std::size_t i = 0; i < table_.fields.size(); ++i) {
      const FieldSpec& spec = table_.fields[i];
      const Column& column = columns_[i];
      if (column.index < 0) continue;
      const std::int64_t col = column.index + 1;
      std::string_view cell = trim_blanks(f[column.index]);
      switch (spec.kind) {
        case FieldKind::kId:
          if (cell.empty()) {
            problems.error(row, col, "blank id in column '" + excerpt(name(column)) + "'",
                           "data.missing_key");
            bad = true;
          }
          key.assign(cell);
          break;
        case FieldKind::kText:
          if (cell.empty() && spec.required) {
            problems.error(row, col, "blank " + std::string(spec.field) + " in column '" +
                                         excerpt(name(column)) + "'",
                           "data.missing_value");
            bad = true;
          }
          if (!cell.empty()) values.push_back({&spec, std::string(cell), std::nullopt});
          if (std::string_view(spec.field) == table_.name_field) name_text.assign(cell);
          break;
        case FieldKind::kAmount: {
          double v = 0;
          Cell parsed = parse_amount(cell, v);
          if (parsed == Cell::kBad) {
            problems.error(row, col,
                           "bad amount in column '" + excerpt(name(column)) + "': '" + excerpt(cell) +
                               "' is not a number",
                           "data.bad_value");
            bad = true;
          } else if (parsed == Cell::kNumber) {
            values.push_back({&spec, {}, v * scale_});
          }
          break;
        }
        case FieldKind::kScore: {
          if (cell.empty()) {
            if (spec.required) {
              problems.error(row, col, "blank score in column '" + excerpt(name(column)) + "'",
                             "data.missing_value");
              bad = true;
            }
            break;
          }
          int score = 0;
          auto [ptr, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), score);
          if (ec != std::errc() || ptr != cell.data() + cell.size() || score < 1 || score > 5) {
            problems.error(row, col,
                           "bad score in column '" + excerpt(name(column)) + "': '" + excerpt(cell) +
                               "' is not a whole number from 1 to 5",
                           "data.bad_value");
            bad = true;
            break;
          }
          values.push_back({&spec, {}, static_cast<double>(score)});
          break;
        }
        case FieldKind::kRag: {
          std::string rag = lower_ascii(cell);
          if (!rag.empty() && rag != "red" && rag != "amber" && rag != "green") {
            problems.error(row, col,
                           "bad RAG in column '" + excerpt(name(column)) + "': '" + excerpt(cell) +
                               "'; expected red, amber or green (or blank)",
                           "data.bad_value");
            bad = true;
            break;
          }
          if (!rag.empty()) values.push_back({&spec, rag, std::nullopt});
          break;
        }
        case FieldKind::kSavingRag: {
          std::string rag = lower_ascii(cell);
          if (rag == "red or amber") rag = "red_or_amber";
          if (!rag.empty() && rag != "red" && rag != "amber" && rag != "green" &&
              rag != "red_or_amber") {
            problems.error(row, col,
                           "bad RAG in column '" + excerpt(name(column)) + "': '" + excerpt(cell) +
                               "'; expected red, amber, green, red_or_amber (the savings a " +
                               "report groups as not or only partly achieved) or blank",
                           "data.bad_value");
            bad = true;
            break;
          }
          if (!rag.empty()) values.push_back({&spec, rag, std::nullopt});
          break;
        }
        case FieldKind::kFinancePeriod: {
          if (cell.empty()) break;
          std::string_view digits = cell;
          if (digits.front() == 'P' || digits.front() == 'p') digits.remove_prefix(1);
          int number = 0;
          auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
          if (digits.empty() || ec != std::errc() || ptr != digits.data() + digits.size() ||
              number < 1 || number > 13) {
            problems.error(row, col,
                           "bad finance period in column '" + excerpt(name(column)) + "': '" +
                               excerpt(cell) +
                               "'; expected P1 (April) to P12 (March), or P13 (the year end "
                               "after adjustments), or blank",
                           "data.bad_value");
            bad = true;
            break;
          }
          values.push_back({&spec, {}, static_cast<double>(number)});
          break;
        }
        case FieldKind::kBasis: {
          std::string basis = lower_ascii(cell);
          if (!basis.empty() && basis != "net" && basis != "gross") {
            problems.error(row, col,
                           "bad basis in column '" + excerpt(name(column)) + "': '" +
                               excerpt(cell) +
                               "'; expected net (after income) or gross (spend before income), "
                               "or blank",
                           "data.bad_value");
            bad = true;
            break;
          }
          if (!basis.empty()) values.push_back({&spec, basis, std::nullopt});
          break;
        }
        case FieldKind::kLevel: {
          std::string level = lower_ascii(cell);
          if (!level.empty() && level != "c" && level != "d" && level != "corporate" &&
              level != "departmental") {
            problems.error(row, col,
                           "bad level in column '" + excerpt(name(column)) + "': '" +
                               excerpt(cell) + "'; expected corporate (C) or departmental (D) " +
                               "(or blank)",
                           "data.bad_value");
            bad = true;
            break;
          }
          if (!level.empty()) values.push_back({&spec, level, std::nullopt});
          break;
        }
      }
    }
    if (!bad) bad = !check_score_pairs(values, row, problems);

    std::string period = period_;
    if (period_column_.index >= 0) {
      std::string_view cell = trim_blanks(f[period_column_.index]);
      if (!cell.empty()) {
        period.assign(cell);
      } else if (period.empty()) {
        problems.error(row, period_column_.index + 1,
                       "blank period in column '" + excerpt(name(period_column_)) + "'",
                       "data.missing_period");
        bad = true;
      }
    }
    if (key.empty() && columns_[0].index < 0) {
      key = snake_case(name_text);
      if (key.empty() && !bad) {
        problems.error(row, 0,
                       "cannot make an id from the " + std::string(table_.name_field) + " '" +
                           excerpt(name_text) + "'; add an id column",
                       "data.missing_key");
        bad = true;
      }
    }
    if (bad) return;

    auto [first, inserted] = first_row.try_emplace(key + '\0' + period, row);
    if (!inserted) {
      const Column& id_column = columns_[0];
      problems.error(row, id_column.index >= 0 ? id_column.index + 1 : 0,
                     "duplicate row: " + std::string(table_.record_kind) + " '" + excerpt(key) +
                         "' for period " + period + " is already on row " +
                         std::to_string(first->second),
                     "data.duplicate_row");
      return;
    }

    sink.record(table_.record_kind, key, period, row);
    for (const Value& v : values) {
      if (v.number) {
        sink.number(v.spec->field, *v.number);
      } else {
        sink.text(v.spec->field, v.text);
      }
    }
    sink.end_record();
  }

  // A score needs both its likelihood and its impact.
  bool check_score_pairs(const std::vector<Value>& values, std::int64_t row, Problems& problems) {
    bool ok = true;
    for (std::size_t i = 0; i < table_.fields.size(); ++i) {
      const FieldSpec& spec = table_.fields[i];
      std::string_view field = spec.field;
      if (spec.kind != FieldKind::kScore || field.size() < 11 ||
          field.substr(field.size() - 11) != "_likelihood") {
        continue;
      }
      std::string impact = std::string(field.substr(0, field.size() - 11)) + "_impact";
      auto has = [&values](std::string_view f) {
        return std::any_of(values.begin(), values.end(),
                           [f](const Value& v) { return v.spec->field == f; });
      };
      if (has(field) == has(impact)) continue;
      std::string missing = has(field) ? impact : std::string(field);
      for (std::size_t j = 0; j < table_.fields.size(); ++j) {
        if (table_.fields[j].field != missing) continue;
        const Column& column = columns_[j];
        problems.error(row, column.index >= 0 ? column.index + 1 : 0,
                       "blank score in column '" +
                           (column.index >= 0 ? excerpt(name(column)) : column.wanted) +
                           "': a score needs both likelihood and impact",
                       "data.missing_value");
      }
      ok = false;
    }
    return ok;
  }

  bool find_columns(const Record& header, Problems& problems) {
    header_.clear();
    for (std::string_view h : header.fields) header_.emplace_back(trim_blanks(h));
    bool ok = true;
    std::vector<Column*> wanted;
    for (Column& c : columns_) wanted.push_back(&c);
    wanted.push_back(&period_column_);
    for (Column* c : wanted) {
      c->index = -1;
      for (std::size_t i = 0; i < header_.size(); ++i) {
        if (lower_ascii(header_[i]) != lower_ascii(c->wanted)) continue;
        if (c->index >= 0) {
          problems.error(header.row, static_cast<std::int64_t>(i) + 1,
                         "column '" + c->wanted + "' appears twice in the header (columns " +
                             std::to_string(c->index + 1) + " and " + std::to_string(i + 1) + ")",
                         "data.bad_header");
          ok = false;
          break;
        }
        c->index = static_cast<int>(i);
      }
    }
    std::string columns;
    for (const std::string& h : header_) columns += (columns.empty() ? "" : ", ") + excerpt(h);
    auto missing = [&](const Column& c, const std::string& hint) {
      problems.error(header.row, 0,
                     "no column named '" + c.wanted + "' in the header (columns: " + columns +
                         ")" + hint,
                     "data.missing_column");
      ok = false;
    };
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      const Column& c = columns_[i];
      if (c.index >= 0) continue;
      if (c.required || (i == 0 && table_.id_required)) {
        missing(c, "; set " + c.setting + " to the column's name");
      }
    }
    if (period_column_.index < 0 && (period_column_.required || period_.empty())) {
      missing(period_column_,
              "; set period to the period the whole file describes (e.g. period = \"2017-03\"), "
              "or period_column to the column's name");
    }
    return ok;
  }

  const std::string& name(const Column& c) const { return header_[c.index]; }

  fs::path path_;
  const TableSpec& table_;
  std::string period_;
  double scale_;
  Column period_column_;
  Encoding encoding_;
  std::vector<Column> columns_;  // parallel to table_.fields
  std::vector<std::string> header_;
};

}  // namespace
}  // namespace vitals::csv

VITALS_PLUGIN(vitals::csv::RecordsCsvSource, "records_csv", "1.0.0",
              vitals::plugin::kDeterministic | vitals::plugin::kThreadSafe)
