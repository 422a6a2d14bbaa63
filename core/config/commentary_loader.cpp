// SPDX-License-Identifier: Apache-2.0
#include "config/commentary_loader.hpp"

#include "common/ascii_text.hpp"
#include "common/number_format.hpp"
#include "common/user_text.hpp"
#include "config/file_context.hpp"
#include "config/indicator_schema.hpp"
#include "config/toml_source.hpp"
#include "config/toml_values.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <exception>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

namespace fs = std::filesystem;

namespace vitals::detail {

namespace {

constexpr std::array kCommentaryFileKeys = {
    KeySpec{"commentary", ValueKind::kArray, false, "an array of tables ([[commentary]])"},
};
constexpr std::string_view kBeforeFirstEntry = "commentary keys belong after a [[commentary]] line";
constexpr std::array kCommentaryFileHints = {
    KeyHint{"from", kBeforeFirstEntry},
    KeyHint{"explanation", kBeforeFirstEntry},
    KeyHint{"success", kBeforeFirstEntry},
    KeyHint{"actions", kBeforeFirstEntry},
};
constexpr std::array kEntryKeys = {
    KeySpec{"from", ValueKind::kString, true, "a period such as \"2017-03\""},
    KeySpec{"explanation", ValueKind::kString},
    KeySpec{"success", ValueKind::kString},
    KeySpec{"actions", ValueKind::kString},
    KeySpec{"stated_targets", ValueKind::kTable, false,
            "a table of period = target, e.g. { \"2017-03\" = 5.0 }"},
};
const TableSchema kCommentaryFileSchema{kCommentaryFileKeys, kCommentaryFileHints};
const TableSchema kEntrySchema{kEntryKeys};

Diagnostic make(Severity severity, std::string code, std::string message, SourceLocation where,
                std::string indicator_id) {
  Diagnostic d = Diagnostic::make(severity, std::move(code), std::move(message), std::move(where));
  d.indicator_id = std::move(indicator_id);
  return d;
}

bool blank(std::string_view s) { return trim_ascii_space(s).empty(); }

// Collects entries and diagnostics for the whole directory.
class Loader {
 public:
  Loader(const Catalogue& catalogue, fs::path dir)
      : catalogue_(catalogue), root_(catalogue.root), dir_(std::move(dir)) {
    for (const IndicatorDefinition& d : catalogue.indicators) ids_.push_back(d.id);
  }

  LoadedCommentary run() {
    std::error_code ec;
    if (!fs::is_directory(dir_, ec)) return {};
    std::vector<fs::directory_entry> entries;
    for (fs::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) entries.push_back(*it);
    if (ec) {
      out_.diagnostics.push_back(make(Severity::kError, "config.io_error",
                                      "cannot list the commentary directory: " + ec.message(),
                                      SourceLocation{dir_.string(), 0, 0}, ""));
    }
    std::sort(entries.begin(), entries.end(),
              [](const fs::directory_entry& a, const fs::directory_entry& b) { return a.path() < b.path(); });
    // TOML files first, so that a Markdown file for the same period is the
    // one reported as the duplicate (and kept), whatever the names' order.
    std::vector<std::pair<std::string, fs::path>> directories;
    for (const fs::directory_entry& entry : entries) {
      const std::string name = entry.path().filename().string();
      if (name.empty() || name[0] == '.') continue;
      const fs::path shown = dir_ / name;
      std::error_code type_ec;
      if (entry.is_directory(type_ec)) {
        if (known_id(name, shown)) directories.emplace_back(name, shown);
      } else if (entry.path().extension() == ".toml" && entry.is_regular_file(type_ec)) {
        std::string id = entry.path().stem().string();
        if (known_id(id, shown)) read_toml(id, shown);
      } else {
        unexpected(shown, "commentary/ holds <indicator id>.toml files and <indicator id>/ directories");
      }
    }
    for (const auto& [id, shown] : directories) read_markdown_dir(id, shown);
    finish();
    return std::move(out_);
  }

 private:
  bool known_id(const std::string& id, const fs::path& shown) {
    if (std::find(ids_.begin(), ids_.end(), id) != ids_.end()) return true;
    out_.diagnostics.push_back(make(Severity::kError, "commentary.unknown_indicator",
                                    quote_user_text(id) + " is not an indicator of the catalogue" +
                                        did_you_mean(id, ids_),
                                    SourceLocation{shown.string(), 0, 0}, ""));
    return false;
  }

  void unexpected(const fs::path& shown, std::string_view what) {
    out_.diagnostics.push_back(make(Severity::kWarning, "commentary.unexpected_file",
                                    "ignored: " + std::string(what), SourceLocation{shown.string(), 0, 0}, ""));
  }

  void add(Commentary c, bool from_markdown) {
    auto key = std::make_pair(c.indicator_id, c.from.to_string());
    auto found = seen_.find(key);
    if (found != seen_.end()) {
      Commentary& earlier = entries_[found->second];
      std::string message = "commentary for '" + c.indicator_id + "' from " + c.from.to_string() +
                            " is already given at " + earlier.location.to_string();
      if (from_markdown) message += "; this file is used until one of them is removed";
      out_.diagnostics.push_back(make(Severity::kError, "commentary.duplicate", std::move(message), c.location,
                                      c.indicator_id));
      if (from_markdown) earlier = std::move(c);
      return;
    }
    seen_.emplace(std::move(key), entries_.size());
    entries_.push_back(std::move(c));
  }

  void warn_if_empty(const Commentary& c) {
    bool empty = true;
    for (CommentarySection s : kCommentarySections) empty = empty && blank(c.section(s));
    if (!empty) return;
    out_.diagnostics.push_back(make(Severity::kWarning, "commentary.empty",
                                    "this commentary has no text, so the card still asks for it", c.location,
                                    c.indicator_id));
  }

  void read_toml(const std::string& id, const fs::path& shown) {
    std::optional<TomlSource> source = read_toml_source(shown, out_.diagnostics, root_);
    if (!source) return;
    FileContext ctx(*source, out_.diagnostics);
    ctx.set_indicator_id(id);
    std::optional<toml::table> root = parse_toml(ctx);
    if (!root) return;
    check_table(*root, kCommentaryFileSchema, "a commentary file", "", ctx);
    const toml::array* list = (*root)["commentary"].as_array();
    if (list == nullptr) return;
    for (std::size_t i = 0; i < list->size(); ++i) {
      const toml::node& node = *list->get(i);
      const toml::table* table = node.as_table();
      if (table == nullptr) {
        ctx.error("config.type", type_message("commentary[" + std::to_string(i) + "]", "a table", node),
                  node.source());
        continue;
      }
      const int errors = ctx.error_count();
      check_table(*table, kEntrySchema, "[[commentary]]", "", ctx);
      Commentary c;
      c.indicator_id = id;
      c.location = ctx.location(table->source());
      if (const toml::node* from = table->get("from"); from != nullptr && from->is_string()) {
        auto period = Period::parse(from->as_string()->get());
        if (!period.ok()) {
          ctx.error("commentary.bad_period", "from: " + period.status().message(), from->source());
        } else {
          c.from = *period;
        }
      }
      if (ctx.error_count() != errors) continue;
      for (CommentarySection s : kCommentarySections) {
        if (auto text = (*table)[commentary_section_key(s)].value<std::string>()) {
          std::string& field = s == CommentarySection::kExplanation ? c.explanation
                               : s == CommentarySection::kSuccess   ? c.success
                                                                    : c.actions;
          field = std::string(trim_ascii_space(*text));
        }
      }
      warn_if_empty(c);
      if (const toml::table* stated = (*table)["stated_targets"].as_table()) {
        check_stated_targets(id, *stated, ctx);
      }
      add(std::move(c), false);
    }
  }

  // Two different figures of `indicator` as its cards write them ("5.0%" and
  // "4.0%"), with more decimals while they would read the same ("4.02%" and
  // "4.00%", not "4.0%" twice).
  static std::pair<std::string, std::string> distinct_figures(double a, double b,
                                                              const IndicatorDefinition& indicator) {
    int decimals = shown_decimals(indicator.unit, indicator.decimals);
    std::pair<std::string, std::string> texts;
    do {
      texts = {format_figure(a, indicator.unit, decimals), format_figure(b, indicator.unit, decimals)};
    } while (texts.first == texts.second && ++decimals <= kMaxDecimals);
    return texts;
  }

  // The targets the card's text states (`stated_targets`), each against the
  // catalogue's target for that period: two targets for one indicator in one
  // period is a mistake in one of them, and the committee would read both.
  void check_stated_targets(const std::string& id, const toml::table& stated, FileContext& ctx) {
    const IndicatorDefinition* indicator = catalogue_.find_indicator(id);
    for (const auto& [key, node] : stated) {
      auto period = Period::parse(key.str());
      if (!period.ok()) {
        ctx.error("commentary.bad_period", "stated_targets: " + period.status().message(),
                  key.source());
        continue;
      }
      const std::optional<double> value = number_value(node);
      if (!value) {
        ctx.error("config.type",
                  type_message("stated_targets." + std::string(key.str()), "a number", node),
                  node.source());
        continue;
      }
      const std::optional<double> own =
          indicator != nullptr ? indicator->target.value_at(*period) : std::nullopt;
      if (!own || std::fabs(*own - *value) <= 1e-9 * std::max(1.0, std::fabs(*own))) continue;
      const auto [stated_text, own_text] = distinct_figures(*value, *own, *indicator);
      ctx.warning("commentary.target_conflict",
                  "the commentary states a target of " + stated_text + " for " + period->label() +
                      ", where the catalogue's target for '" + id + "' is " + own_text +
                      "; reports show the catalogue's: correct whichever is wrong",
                  ctx.location(key.source()));
    }
  }

  void read_markdown_dir(const std::string& id, const fs::path& shown_dir) {
    std::error_code ec;
    std::vector<fs::directory_entry> files;
    for (fs::directory_iterator it(shown_dir, ec), end; !ec && it != end; it.increment(ec)) files.push_back(*it);
    std::sort(files.begin(), files.end(),
              [](const fs::directory_entry& a, const fs::directory_entry& b) { return a.path() < b.path(); });
    for (const fs::directory_entry& entry : files) {
      const std::string name = entry.path().filename().string();
      if (name.empty() || name[0] == '.') continue;
      const fs::path shown = shown_dir / name;
      std::error_code type_ec;
      if (entry.path().extension() != ".md" || !entry.is_regular_file(type_ec)) {
        unexpected(shown, "commentary/<indicator id>/ holds <period>.md files");
        continue;
      }
      std::string period_text = entry.path().stem().string();
      std::replace(period_text.begin(), period_text.end(), '_', '/');
      auto period = Period::parse(period_text);
      if (!period.ok()) {
        out_.diagnostics.push_back(make(Severity::kError, "commentary.bad_period",
                                        "the file name must be a period followed by .md (2017-03.md, "
                                        "2017-Q1.md, 2017.md, or 2016_17.md for 2016/17): " +
                                            period.status().message(),
                                        SourceLocation{shown.string(), 0, 0}, id));
        continue;
      }
      read_markdown(id, *period, shown);
    }
  }

  // Which section a "## " heading opens, by its text (case, a trailing "?"
  // and closing #s do not matter).
  static std::optional<CommentarySection> section_for(std::string_view heading) {
    std::string h = lower_ascii(trim_ascii_space(heading));
    while (!h.empty() && (h.back() == '#' || h.back() == ' ')) h.pop_back();
    if (!h.empty() && h.back() == '?') h.pop_back();
    for (CommentarySection s : kCommentarySections) {
      std::string want = lower_ascii(commentary_section_heading(s));
      if (!want.empty() && want.back() == '?') want.pop_back();
      if (h == want) return s;
    }
    return std::nullopt;
  }

  void read_markdown(const std::string& id, const Period& from, const fs::path& shown) {
    std::optional<TomlSource> source = read_toml_source(shown, out_.diagnostics, root_);
    if (!source) return;
    const std::string file = shown.string();
    Commentary c;
    c.indicator_id = id;
    c.from = from;
    c.location = SourceLocation{file, 1, 1};
    std::array<int, 3> heading_line{};  // where each section was opened, 0: not yet
    enum class State { kPreamble, kSection, kSkipping } state = State::kPreamble;
    std::string* target = nullptr;
    bool errors = false;
    bool warned_outside = false;
    for (int line = 1; line <= source->line_count(); ++line) {
      std::string_view text = source->line_text(line);
      if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
      if (text.rfind("## ", 0) == 0 || text == "##") {
        std::string_view heading = text.substr(2);
        auto section = section_for(heading);
        if (!section) {
          std::vector<std::string> names;
          for (CommentarySection s : kCommentarySections) names.emplace_back(commentary_section_heading(s));
          out_.diagnostics.push_back(make(
              Severity::kError, "commentary.unknown_section",
              "unknown section '" + std::string(trim_ascii_space(heading)) +
                  "'; the sections are " + quoted_alternatives(names),
              SourceLocation{file, line, 1}, id));
          errors = true;
          state = State::kSkipping;
          continue;
        }
        auto index = static_cast<std::size_t>(*section);
        if (heading_line[index] != 0) {
          out_.diagnostics.push_back(make(Severity::kError, "commentary.duplicate_section",
                                          "section '" + std::string(commentary_section_heading(*section)) +
                                              "' is already given at line " + std::to_string(heading_line[index]),
                                          SourceLocation{file, line, 1}, id));
          errors = true;
          state = State::kSkipping;
          continue;
        }
        heading_line[index] = line;
        state = State::kSection;
        target = *section == CommentarySection::kExplanation ? &c.explanation
                 : *section == CommentarySection::kSuccess   ? &c.success
                                                             : &c.actions;
        continue;
      }
      if (state == State::kSection) {
        *target += std::string(text) + "\n";
        continue;
      }
      // Before the first section only a "# title" line and blank lines belong.
      if (state == State::kSkipping || blank(text) || text.rfind("# ", 0) == 0 || warned_outside) continue;
      out_.diagnostics.push_back(make(Severity::kWarning, "commentary.text_outside_section",
                                      "text before the first section is not shown on the card",
                                      SourceLocation{file, line, 1}, id));
      warned_outside = true;
    }
    if (errors) return;
    for (CommentarySection s : kCommentarySections) {
      std::string& field = s == CommentarySection::kExplanation ? c.explanation
                           : s == CommentarySection::kSuccess   ? c.success
                                                                : c.actions;
      field = std::string(trim_ascii_space(field));
    }
    warn_if_empty(c);
    add(std::move(c), true);
  }

  void finish() {
    std::sort(entries_.begin(), entries_.end(), [](const Commentary& a, const Commentary& b) {
      if (a.indicator_id != b.indicator_id) return a.indicator_id < b.indicator_id;
      return a.from < b.from;
    });
    out_.commentary.entries = std::move(entries_);
    sort_and_deduplicate(out_.diagnostics);
  }

  const Catalogue& catalogue_;
  fs::path root_;  // the catalogue folder: no file is read from outside it
  fs::path dir_;
  std::vector<std::string> ids_;
  std::vector<Commentary> entries_;
  std::map<std::pair<std::string, std::string>, std::size_t> seen_;
  LoadedCommentary out_;
};

}  // namespace

LoadedCommentary load_commentary(const Catalogue& catalogue) {
  try {
    return Loader(catalogue, catalogue.root / "commentary").run();
  } catch (const std::exception& e) {
    LoadedCommentary out;
    out.diagnostics.push_back(make(Severity::kError, "config.internal_error",
                                   std::string("loading the commentary failed: ") + e.what(),
                                   SourceLocation{(catalogue.root / "commentary").string(), 0, 0}, ""));
    return out;
  }
}

}  // namespace vitals::detail
