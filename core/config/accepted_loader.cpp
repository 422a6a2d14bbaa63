// SPDX-License-Identifier: Apache-2.0
#include "config/accepted_loader.hpp"

#include "common/calendar.hpp"

#include "config/file_context.hpp"
#include "config/indicator_schema.hpp"
#include "config/toml_source.hpp"
#include "config/toml_values.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <system_error>
#include <utility>

namespace vitals::detail {

namespace {

constexpr std::array<std::string_view, 6> kKeys = {"indicator", "criterion", "until",
                                                   "approver",  "rationale", "approved_on"};

class Reader {
 public:
  Reader(const Catalogue& catalogue, FileContext& ctx) : catalogue_(catalogue), ctx_(ctx) {}

  void read(const toml::table& root, LoadedAcceptances& out) {
    for (auto&& [key, node] : root) {
      if (key.str() == "accepted") continue;
      ctx_.error("config.unknown_key",
                 "unknown key '" + std::string(key.str()) +
                     "' in accepted.toml: it holds only [[accepted]] entries",
                 key.source());
    }
    const toml::node* list_node = root.get("accepted");
    if (list_node == nullptr) return;
    const toml::array* list = list_node->as_array();
    if (list == nullptr) {
      ctx_.error("config.type", type_message("accepted", "an array of tables ([[accepted]])", *list_node),
                 list_node->source());
      return;
    }
    std::map<std::pair<std::string, std::string>, SourceLocation> seen;
    for (std::size_t i = 0; i < list->size(); ++i) {
      const toml::node& node = *list->get(i);
      const toml::table* table = node.as_table();
      if (table == nullptr) {
        ctx_.error("config.type",
                   type_message("accepted[" + std::to_string(i) + "]", "a table", node),
                   node.source());
        continue;
      }
      std::optional<Acceptance> a = entry(*table);
      if (!a) continue;
      auto [it, inserted] = seen.emplace(std::make_pair(a->indicator_id, a->criterion), a->location);
      if (!inserted) {
        ctx_.error("accepted.duplicate",
                   "indicator '" + a->indicator_id + "'" +
                       (a->criterion.empty() ? std::string() : " (" + a->criterion + ")") +
                       " is already accepted at " + it->second.to_string(),
                   a->location);
        continue;
      }
      out.acceptances.push_back(std::move(*a));
    }
  }

 private:
  std::optional<Acceptance> entry(const toml::table& table) {
    const int errors_before = ctx_.error_count();
    Acceptance a;
    a.location = ctx_.location(table.source());
    for (auto&& [key, node] : table) {
      if (std::find(kKeys.begin(), kKeys.end(), key.str()) == kKeys.end()) {
        ctx_.error("config.unknown_key",
                   "unknown key '" + std::string(key.str()) +
                       "' in [[accepted]] (expected indicator, criterion, until, approver, "
                       "rationale, approved_on)",
                   key.source());
      }
    }
    if (auto id = text(table, "indicator", true)) {
      a.indicator_id = *id;
      if (!a.indicator_id.empty() && catalogue_.find_indicator(a.indicator_id) == nullptr) {
        ctx_.error("accepted.unknown_indicator",
                   "accepted exception for indicator '" + a.indicator_id +
                       "', which the catalogue does not define",
                   table.get("indicator")->source());
      }
    }
    if (auto criterion = text(table, "criterion", false)) a.criterion = *criterion;
    if (auto approver = text(table, "approver", true)) a.approver = *approver;
    if (auto rationale = text(table, "rationale", true)) a.rationale = *rationale;
    if (auto until = date(table, "until", true)) a.until = *until;
    if (auto approved = date(table, "approved_on", false)) a.approved_on = *approved;
    if (ctx_.error_count() != errors_before) return std::nullopt;
    return a;
  }

  void missing(const toml::table& table, std::string_view key) {
    ctx_.error("config.missing_key",
               "[[accepted]] is missing required key '" + std::string(key) + "'",
               ctx_.location(table.source()));
  }

  // A non-empty string value; nullopt (after reporting) when missing or bad.
  std::optional<std::string> text(const toml::table& table, std::string_view key, bool required) {
    const toml::node* node = table.get(key);
    if (node == nullptr) {
      if (required) missing(table, key);
      return std::nullopt;
    }
    if (!node->is_string()) {
      ctx_.error("config.type", type_message("accepted." + std::string(key), "a string", *node),
                 node->source());
      return std::nullopt;
    }
    std::string value = node->as_string()->get();
    if (value.empty()) {
      ctx_.error("config.bad_value", "accepted." + std::string(key) + " must not be empty",
                 node->source());
      return std::nullopt;
    }
    return value;
  }

  // A date, as a TOML date or "YYYY-MM-DD" text.
  std::optional<std::string> date(const toml::table& table, std::string_view key, bool required) {
    const toml::node* node = table.get(key);
    if (node == nullptr) {
      if (required) missing(table, key);
      return std::nullopt;
    }
    if (const toml::value<toml::date>* d = node->as_date()) return iso_date_text(d->get());
    if (node->is_string()) {
      const std::string& value = node->as_string()->get();
      if (is_iso_date(value)) return value;
      ctx_.error("config.bad_value",
                 "accepted." + std::string(key) + " is '" + value +
                     "'; expected a date such as 2017-06-30",
                 node->source());
      return std::nullopt;
    }
    ctx_.error("config.type",
               type_message("accepted." + std::string(key), "a date such as 2017-06-30", *node),
               node->source());
    return std::nullopt;
  }

  const Catalogue& catalogue_;
  FileContext& ctx_;
};

}  // namespace

std::filesystem::path acceptances_path(const Catalogue& catalogue) {
  return catalogue.root / "accepted.toml";
}

LoadedAcceptances load_acceptances(const Catalogue& catalogue) {
  LoadedAcceptances out;
  const std::filesystem::path path = acceptances_path(catalogue);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return out;
  std::optional<TomlSource> source = read_toml_source(path, out.diagnostics, catalogue.root);
  if (!source) return out;
  FileContext ctx(*source, out.diagnostics);
  std::optional<toml::table> root = parse_toml(ctx);
  if (!root) {
    sort_and_deduplicate(out.diagnostics);
    return out;
  }
  Reader(catalogue, ctx).read(*root, out);
  sort_and_deduplicate(out.diagnostics);
  return out;
}

}  // namespace vitals::detail

namespace vitals {

std::vector<Diagnostic> check_acceptances(const Catalogue& catalogue) {
  return detail::load_acceptances(catalogue).diagnostics;
}

}  // namespace vitals
