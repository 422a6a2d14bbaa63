// SPDX-License-Identifier: Apache-2.0
#include "config/comparators_loader.hpp"

#include "common/ascii_text.hpp"
#include "common/user_text.hpp"
#include "csv_reader.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <set>

namespace vitals::detail {

namespace {

constexpr std::string_view kEnglandCode = "E92000001";

// The columns of the national file, in the order of Column.
constexpr std::array<std::string_view, 8> kColumns = {
    "council_code", "council_name", "region_code", "region_name",
    "measure",      "numerator",    "denominator", "value"};
enum Column { kCode, kName, kRegionCode, kRegionName, kMeasure, kNumerator, kDenominator, kValue };

// One row of the file: a council's (or a published aggregate's) figure.
struct Row {
  std::string code;
  std::string name;
  std::string region_code;
  std::string region_name;
  std::optional<double> numerator;
  std::optional<double> denominator;
  std::optional<double> value;
};

// Every measure's rows, by measure then code.
using Rows = std::map<std::string, std::map<std::string, Row>>;

class FileReader {
 public:
  FileReader(const ComparatorSettings& settings, std::vector<Diagnostic>& diagnostics)
      : path_(settings.path), diagnostics_(diagnostics) {}

  bool read(Rows& rows) {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path_.c_str(), "rb"),
                                                         &std::fclose);
    if (!file) {
      error(0, 0, "data.io_error", "cannot open the comparator file");
      return false;
    }
    try {
      csv::CsvReader reader(file.get());
      csv::Record record;
      bool header = true;
      for (;;) {
        csv::CsvReader::Next next = reader.next(record);
        if (next == csv::CsvReader::Next::kEnd) break;
        if (next == csv::CsvReader::Next::kError) {
          const csv::RecordError& e = reader.error();
          error(e.row, e.column, e.code, e.message);
          if (header) return false;
          continue;
        }
        if (header) {
          header = false;
          if (!find_columns(record)) return false;
          continue;
        }
        read_row(record, rows);
      }
      if (header) error(1, 0, "data.bad_csv", "the file is empty: expected a header row");
    } catch (const csv::ReadError& e) {
      error(0, 0, "data.io_error", e.what());
    }
    return errors_ == 0;
  }

 private:
  void error(std::int64_t row, std::int64_t column, std::string code, std::string message) {
    ++errors_;
    diagnostics_.push_back(Diagnostic::make(Severity::kError, std::move(code), std::move(message),
                                            SourceLocation{path_, static_cast<int>(row), static_cast<int>(column)}));
  }

  bool find_columns(const csv::Record& record) {
    index_.fill(-1);
    for (std::size_t i = 0; i < record.fields.size(); ++i) {
      const std::string name = lower_ascii(trim_blanks(record.fields[i]));
      for (std::size_t c = 0; c < kColumns.size(); ++c) {
        if (name == kColumns[c]) index_[c] = static_cast<int>(i);
      }
    }
    width_ = record.fields.size();
    bool ok = true;
    for (std::size_t c = 0; c < kColumns.size(); ++c) {
      if (index_[c] >= 0) continue;
      error(record.row, 0, "data.missing_column",
            "no column named '" + std::string(kColumns[c]) + "' in the header");
      ok = false;
    }
    return ok;
  }

  std::string_view cell(const csv::Record& record, Column c) const {
    return trim_blanks(record.fields[static_cast<std::size_t>(index_[c])]);
  }

  // A number of the row, blank meaning none; false (reported) when not a number.
  bool number(const csv::Record& record, Column c, std::optional<double>& out) {
    std::string_view text = cell(record, c);
    if (text.empty()) return true;
    double v = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(v)) {
      error(record.row, index_[c] + 1, "data.bad_value",
            "bad number in column '" + std::string(kColumns[c]) + "': " + quote_user_text(text, 40) +
                " is not a number");
      return false;
    }
    out = v;
    return true;
  }

  void read_row(const csv::Record& record, Rows& rows) {
    if (std::all_of(record.fields.begin(), record.fields.end(),
                    [](std::string_view f) { return trim_blanks(f).empty(); })) {
      return;
    }
    if (record.fields.size() != width_) {
      error(record.row, 0, "data.bad_csv",
            "row has " + std::to_string(record.fields.size()) + " fields but the header has " +
                std::to_string(width_));
      return;
    }
    Row row;
    row.code = cell(record, kCode);
    row.name = cell(record, kName);
    row.region_code = cell(record, kRegionCode);
    row.region_name = cell(record, kRegionName);
    const std::string measure(cell(record, kMeasure));
    bool ok = true;
    for (Column c : {kCode, kMeasure}) {
      if (!cell(record, c).empty()) continue;
      error(record.row, index_[c] + 1, "data.missing_key",
            "blank " + std::string(kColumns[c]) + " in column '" + std::string(kColumns[c]) + "'");
      ok = false;
    }
    ok = number(record, kNumerator, row.numerator) && ok;
    ok = number(record, kDenominator, row.denominator) && ok;
    ok = number(record, kValue, row.value) && ok;
    if (!ok) return;
    if (row.numerator && !row.denominator) {
      error(record.row, index_[kDenominator] + 1, "data.missing_denominator",
            "measure '" + measure + "' of " + row.code +
                " has a numerator but no denominator: a rate needs both");
      return;
    }
    if (row.denominator && !row.numerator) {
      error(record.row, index_[kNumerator] + 1, "data.missing_numerator",
            "measure '" + measure + "' of " + row.code +
                " has a denominator but no numerator: a rate needs both");
      return;
    }
    if (row.denominator && *row.denominator <= 0) {
      error(record.row, index_[kDenominator] + 1, "data.bad_value",
            "the denominator of measure '" + measure + "' of " + row.code +
                " must be above 0, found " + std::string(cell(record, kDenominator)));
      return;
    }
    auto [it, inserted] = first_row_.try_emplace(measure + '\0' + row.code, record.row);
    if (!inserted) {
      error(record.row, index_[kCode] + 1, "data.duplicate_row",
            "duplicate row: measure '" + measure + "' of " + row.code + " is already on row " +
                std::to_string(it->second));
      return;
    }
    rows[measure].emplace(row.code, std::move(row));
  }

  std::string path_;
  std::vector<Diagnostic>& diagnostics_;
  std::array<int, kColumns.size()> index_{};
  std::size_t width_ = 0;
  std::map<std::string, std::int64_t> first_row_;
  int errors_ = 0;
};

// The multiplier the publisher applies to numerator / denominator (1, 100,
// 1,000 or 100,000), read from the first council row holding all three.
double multiplier(const std::map<std::string, Row>& rows) {
  for (const auto& [code, row] : rows) {
    if (!row.numerator || !row.denominator || !row.value || *row.numerator == 0) continue;
    const double ratio = *row.value / (*row.numerator / *row.denominator);
    for (double m : {1.0, 100.0, 1000.0, 100000.0}) {
      if (std::fabs(ratio / m - 1) < 0.05) return m;
    }
  }
  return 1.0;
}

std::optional<double> value_of(const Row& row, double scale) {
  if (row.value) return row.value;
  if (row.numerator && row.denominator) return *row.numerator / *row.denominator * scale;
  return std::nullopt;
}

// The figure of the councils `members` (codes), summed; a published
// aggregate row `published` replaces it when given.
ComparatorFigure aggregate(std::string kind, std::string name, std::string code,
                           const std::vector<const Row*>& members, const Row* published,
                           double scale) {
  ComparatorFigure figure;
  figure.kind = std::move(kind);
  figure.name = std::move(name);
  figure.code = std::move(code);
  figure.councils = static_cast<int>(members.size());
  if (published != nullptr && published->value) {
    figure.value = published->value;
    figure.numerator = published->numerator;
    figure.denominator = published->denominator;
    return figure;
  }
  double numerator = 0;
  double denominator = 0;
  for (const Row* row : members) {
    if (!row->numerator || !row->denominator) return figure;  // not summable: no figure
    numerator += *row->numerator;
    denominator += *row->denominator;
  }
  if (members.empty() || denominator <= 0) return figure;
  figure.numerator = numerator;
  figure.denominator = denominator;
  figure.value = numerator / denominator * scale;
  return figure;
}

bool is_aggregate(const Row& row, const std::set<std::string>& regions) {
  return row.code == kEnglandCode || regions.count(row.code) > 0;
}

IndicatorComparators compute(const ComparatorSettings& settings, const IndicatorDefinition& indicator,
                             const std::string& measure, const std::map<std::string, Row>& rows) {
  IndicatorComparators out;
  out.measure = measure;
  out.period = settings.period;
  std::set<std::string> regions;
  for (const auto& [code, row] : rows) {
    if (!row.region_code.empty()) regions.insert(row.region_code);
  }
  const double scale = multiplier(rows);
  auto find = [&](const std::string& code) -> const Row* {
    auto it = rows.find(code);
    return it == rows.end() ? nullptr : &it->second;
  };
  const Row* council = find(settings.council);

  std::vector<const Row*> england;
  std::vector<const Row*> region;
  std::vector<std::pair<double, std::string>> ranked;
  for (const auto& [code, row] : rows) {
    if (is_aggregate(row, regions)) continue;
    england.push_back(&row);
    if (council != nullptr && row.region_code == council->region_code) region.push_back(&row);
    if (auto v = value_of(row, scale)) ranked.emplace_back(*v, code);
  }
  std::vector<const Row*> family;
  if (council != nullptr) family.push_back(council);
  for (const std::string& code : settings.family_group) {
    const Row* row = find(code);
    if (row != nullptr && row != council) family.push_back(row);
  }

  if (council != nullptr) {
    out.council_value = value_of(*council, scale);
    out.ranked = static_cast<int>(ranked.size());
    if (out.council_value && out.ranked > 0) {
      const bool bigger = indicator.polarity == Polarity::kBiggerIsBetter;
      int better = 0;
      for (const auto& [v, code] : ranked) {
        if (bigger ? v > *out.council_value : v < *out.council_value) ++better;
      }
      out.rank = better + 1;
      out.quartile = (4 * *out.rank + out.ranked - 1) / out.ranked;
    }
  }
  out.figures.push_back(aggregate("england", "England", std::string(kEnglandCode), england,
                                  find(std::string(kEnglandCode)), scale));
  if (council != nullptr) {
    out.figures.push_back(aggregate("region", council->region_name, council->region_code, region,
                                    find(council->region_code), scale));
  }
  if (!settings.family_group.empty()) {
    out.figures.push_back(aggregate("family_group",
                                    settings.family_group_name.empty() ? "Family group"
                                                                       : settings.family_group_name,
                                    "", family, nullptr, scale));
  }
  for (const std::string& code : settings.peers) {
    const Row* row = find(code);
    if (row == nullptr) continue;
    out.figures.push_back(aggregate("peer", row->name, code, {row}, nullptr, scale));
  }
  return out;
}

SourceLocation where(const ComparatorSettings& settings, const std::string& key) {
  auto it = settings.locations.find(key);
  if (it != settings.locations.end()) return it->second;
  return settings.locations.count("") ? settings.locations.at("") : SourceLocation{};
}

}  // namespace

ComparatorTable load_comparators(const ComparatorSettings& settings,
                                 const std::vector<IndicatorDefinition>& indicators,
                                 std::vector<Diagnostic>& diagnostics) {
  Rows rows;
  FileReader reader(settings, diagnostics);
  if (!reader.read(rows)) return {};

  // Every council the file names, from any measure's rows.
  std::set<std::string> councils;
  for (const auto& [measure, by_code] : rows) {
    for (const auto& [code, row] : by_code) councils.insert(code);
  }
  int errors = 0;
  auto unknown = [&](const std::string& key, const std::string& code, const std::string& what) {
    if (councils.count(code)) return;
    ++errors;
    diagnostics.push_back(Diagnostic::make(
        Severity::kError, "comparators.unknown_council",
        what + " '" + code + "' is not a council of " + settings.path, where(settings, key)));
  };
  unknown("council", settings.council, "comparators.council");
  for (std::size_t i = 0; i < settings.family_group.size(); ++i) {
    unknown("family_group[" + std::to_string(i) + "]", settings.family_group[i],
            "family group member");
  }
  for (std::size_t i = 0; i < settings.peers.size(); ++i) {
    unknown("peers[" + std::to_string(i) + "]", settings.peers[i], "peer");
  }
  for (const auto& [id, measure] : settings.measures) {
    if (rows.count(measure)) continue;
    ++errors;
    diagnostics.push_back(Diagnostic::make(
        Severity::kError, "comparators.unknown_measure",
        "measure '" + measure + "' (for indicator '" + id + "') is not in " + settings.path,
        where(settings, "measures." + id)));
  }
  if (errors > 0) return {};

  ComparatorTable table;
  for (const IndicatorDefinition& indicator : indicators) {
    auto it = settings.measures.find(indicator.id);
    if (it == settings.measures.end()) continue;
    table.emplace(indicator.id, compute(settings, indicator, it->second, rows.at(it->second)));
  }
  return table;
}

}  // namespace vitals::detail
