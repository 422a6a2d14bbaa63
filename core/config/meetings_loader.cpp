// SPDX-License-Identifier: Apache-2.0
#include "config/meetings_loader.hpp"

#include "common/user_text.hpp"
#include "common/calendar.hpp"
#include "config/file_context.hpp"
#include "config/indicator_schema.hpp"
#include "config/toml_source.hpp"
#include "config/toml_values.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <exception>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

namespace fs = std::filesystem;

namespace vitals::detail {

namespace {

constexpr std::array kFileKeys = {
    KeySpec{"meeting", ValueKind::kTable, true, "a table ([meeting])"},
    KeySpec{"decision", ValueKind::kArray, false, "an array of tables ([[decision]])"},
    KeySpec{"report_back", ValueKind::kArray, false, "an array of tables ([[report_back]])"},
};
constexpr std::array kMeetingKeys = {
    KeySpec{"date", ValueKind::kDate, true},
    KeySpec{"committee", ValueKind::kString},
    KeySpec{"period", ValueKind::kString, false, "a period such as \"2017-03\""},
};
constexpr std::array kDecisionKeys = {
    KeySpec{"indicator", ValueKind::kString, true},
    KeySpec{"action", ValueKind::kString, true, "one of the six action ids, e.g. \"approve_actions\""},
    KeySpec{"actions", ValueKind::kString},
    KeySpec{"note", ValueKind::kString},
    KeySpec{"officer", ValueKind::kString},
    KeySpec{"report_back_on", ValueKind::kDate, true},
};
constexpr std::array kReportBackKeys = {
    KeySpec{"indicator", ValueKind::kString, true},
    KeySpec{"decided", ValueKind::kDate, true},
    KeySpec{"outcome", ValueKind::kString, true, "\"done\" or \"carried_forward\""},
    KeySpec{"report_back_on", ValueKind::kDate},
    KeySpec{"note", ValueKind::kString},
};
const TableSchema kFileSchema{kFileKeys};
const TableSchema kMeetingSchema{kMeetingKeys};
const TableSchema kDecisionSchema{kDecisionKeys};
const TableSchema kReportBackSchema{kReportBackKeys};

// A report-back with where its `decided` value is, for the checks across files.
struct PendingReportBack {
  ReportBack entry;
  SourceLocation decided_at;
};

struct PendingMeeting {
  Meeting meeting;
  SourceLocation date_at;
  std::vector<PendingReportBack> report_backs;
};

class Loader {
 public:
  explicit Loader(const Catalogue& catalogue) : catalogue_(catalogue) {
    for (const IndicatorDefinition& d : catalogue.indicators) ids_.push_back(d.id);
    for (FollowUpAction a : kFollowUpActionList) actions_.emplace_back(follow_up_action_id(a));
  }

  LoadedMeetings run() {
    const fs::path& dir = catalogue_.meetings_dir;
    if (dir.empty()) return {};
    std::error_code ec;
    std::vector<fs::directory_entry> entries;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) entries.push_back(*it);
    if (ec) {
      out_.diagnostics.push_back(Diagnostic::make(Severity::kError, "config.io_error",
                                                  "cannot list the meetings folder: " + ec.message(),
                                                  SourceLocation{dir.string(), 0, 0}));
    }
    std::sort(entries.begin(), entries.end(),
              [](const fs::directory_entry& a, const fs::directory_entry& b) { return a.path() < b.path(); });
    for (const fs::directory_entry& entry : entries) {
      const std::string name = entry.path().filename().string();
      if (name.empty() || name[0] == '.') continue;
      std::error_code type_ec;
      if (entry.path().extension() == ".toml" && entry.is_regular_file(type_ec)) {
        read_file(dir / name);
      } else {
        out_.diagnostics.push_back(Diagnostic::make(
            Severity::kWarning, "meeting.unexpected_file",
            "ignored: the meetings folder holds one <date>.toml file per meeting",
            SourceLocation{(dir / name).string(), 0, 0}));
      }
    }
    check_across_meetings();
    sort_and_deduplicate(out_.diagnostics);
    return std::move(out_);
  }

 private:
  void error(std::string code, std::string message, SourceLocation where, std::string indicator_id = {}) {
    Diagnostic d = Diagnostic::make(Severity::kError, std::move(code), std::move(message), std::move(where));
    d.indicator_id = std::move(indicator_id);
    out_.diagnostics.push_back(std::move(d));
  }

  // A date value ("config.type" was reported by check_table for other types).
  static std::optional<std::string> date_of(const toml::node* node, std::string_view what, FileContext& ctx) {
    if (node == nullptr) return std::nullopt;
    if (const toml::value<toml::date>* d = node->as_date()) {
      std::string text = iso_date_text(d->get());
      if (is_iso_date(text)) return text;
    } else if (node->is_string()) {
      const std::string& text = node->as_string()->get();
      if (is_iso_date(text)) return text;
      ctx.error("config.bad_value",
                std::string(what) + " is " + quote_user_text(text) + "; expected a date such as 2017-06-19",
                node->source());
      return std::nullopt;
    } else {
      return std::nullopt;
    }
    ctx.error("config.bad_value", std::string(what) + " is not a calendar date", node->source());
    return std::nullopt;
  }

  // Optional text; "" when absent. Empty text is refused.
  static std::string text_of(const toml::table& table, std::string_view key, std::string_view what,
                             FileContext& ctx) {
    const toml::node* node = table.get(key);
    if (node == nullptr || !node->is_string()) return "";
    std::string value = node->as_string()->get();
    if (value.find_first_not_of(" \t\r\n") == std::string::npos) {
      ctx.error("config.bad_value", std::string(what) + "." + std::string(key) + " must not be empty",
                node->source());
      return "";
    }
    return value;
  }

  bool known_indicator(const toml::table& table, std::string_view what, FileContext& ctx, std::string& id) {
    const toml::node* node = table.get("indicator");
    if (node == nullptr || !node->is_string()) return false;
    id = node->as_string()->get();
    if (std::find(ids_.begin(), ids_.end(), id) != ids_.end()) return true;
    ctx.error("meeting.unknown_indicator",
              std::string(what) + " for " + quote_user_text(id) + ", which the catalogue does not define" +
                  did_you_mean(id, ids_),
              node->source());
    return false;
  }

  // The report-back date must be a later meeting than the one on `meeting`.
  static void check_after(const std::string& date, const std::string& meeting, const toml::node* node,
                          std::string_view what, FileContext& ctx) {
    if (date.empty() || meeting.empty() || date > meeting) return;
    ctx.error("meeting.report_back_not_after",
              std::string(what) + " is " + date + ", not after the meeting on " + meeting +
                  ": a report-back is due at a later meeting",
              node->source());
  }

  const toml::table* entry_table(const toml::node& node, std::string_view what, std::size_t i,
                                 FileContext& ctx) {
    const toml::table* table = node.as_table();
    if (table == nullptr) {
      ctx.error("config.type", type_message(std::string(what) + "[" + std::to_string(i) + "]", "a table", node),
                node.source());
    }
    return table;
  }

  void read_file(const fs::path& path) {
    std::optional<TomlSource> source = read_toml_source(path, out_.diagnostics, catalogue_.root);
    if (!source) return;
    FileContext ctx(*source, out_.diagnostics);
    std::optional<toml::table> root = parse_toml(ctx);
    if (!root) return;
    check_table(*root, kFileSchema, "a meeting file", "", ctx);
    const toml::table* head = (*root)["meeting"].as_table();
    if (head == nullptr) return;
    check_table(*head, kMeetingSchema, "[meeting]", "meeting.", ctx);
    PendingMeeting pm;
    Meeting& m = pm.meeting;
    m.location = source->whole_file();
    if (auto date = date_of(head->get("date"), "meeting.date", ctx)) {
      m.date = *date;
      pm.date_at = ctx.location(head->get("date")->source());
    }
    m.committee = text_of(*head, "committee", "meeting", ctx);
    if (const toml::node* period = head->get("period"); period != nullptr && period->is_string()) {
      auto parsed = Period::parse(period->as_string()->get());
      if (!parsed.ok()) {
        ctx.error("meeting.bad_period", "meeting.period: " + parsed.status().message(), period->source());
      } else {
        m.period = *parsed;
      }
    }
    if (m.date.empty()) return;  // nothing else can be placed in time

    if (const toml::array* list = (*root)["decision"].as_array()) {
      std::map<std::string, SourceLocation> seen;
      for (std::size_t i = 0; i < list->size(); ++i) {
        const toml::table* table = entry_table(*list->get(i), "decision", i, ctx);
        if (table == nullptr) continue;
        std::optional<CommitteeDecision> d = decision(*table, m.date, ctx);
        if (!d) continue;
        auto [it, inserted] = seen.emplace(d->indicator_id, d->location);
        if (!inserted) {
          ctx.error("meeting.duplicate",
                    "a decision on '" + d->indicator_id + "' at this meeting is already recorded at " +
                        it->second.to_string(),
                    d->location);
          continue;
        }
        m.decisions.push_back(std::move(*d));
      }
    }
    if (const toml::array* list = (*root)["report_back"].as_array()) {
      for (std::size_t i = 0; i < list->size(); ++i) {
        const toml::table* table = entry_table(*list->get(i), "report_back", i, ctx);
        if (table == nullptr) continue;
        if (auto r = report_back(*table, m.date, ctx)) pm.report_backs.push_back(std::move(*r));
      }
    }
    pending_.push_back(std::move(pm));
  }

  std::optional<CommitteeDecision> decision(const toml::table& table, const std::string& meeting,
                                            FileContext& ctx) {
    const int errors = ctx.error_count();
    check_table(table, kDecisionSchema, "[[decision]]", "decision.", ctx);
    CommitteeDecision d;
    d.meeting = meeting;
    d.location = ctx.location(table.source());
    known_indicator(table, "a decision", ctx, d.indicator_id);
    if (const toml::node* action = table.get("action"); action != nullptr && action->is_string()) {
      const std::string& id = action->as_string()->get();
      if (auto parsed = parse_follow_up_action(id)) {
        d.action = *parsed;
      } else {
        ctx.error("meeting.unknown_action",
                  "unknown action " + quote_user_text(id) + did_you_mean(id, actions_) +
                      " (the actions are " + quoted_alternatives(actions_) + ")",
                  action->source());
      }
    }
    d.actions = text_of(table, "actions", "decision", ctx);
    d.note = text_of(table, "note", "decision", ctx);
    d.officer = text_of(table, "officer", "decision", ctx);
    if (auto date = date_of(table.get("report_back_on"), "decision.report_back_on", ctx)) {
      d.report_back_on = *date;
      check_after(d.report_back_on, meeting, table.get("report_back_on"), "decision.report_back_on", ctx);
    }
    if (ctx.error_count() != errors) return std::nullopt;
    return d;
  }

  std::optional<PendingReportBack> report_back(const toml::table& table, const std::string& meeting,
                                               FileContext& ctx) {
    const int errors = ctx.error_count();
    check_table(table, kReportBackSchema, "[[report_back]]", "report_back.", ctx);
    PendingReportBack p;
    ReportBack& r = p.entry;
    r.meeting = meeting;
    r.location = ctx.location(table.source());
    known_indicator(table, "a report-back", ctx, r.indicator_id);
    if (auto date = date_of(table.get("decided"), "report_back.decided", ctx)) {
      r.decided = *date;
      p.decided_at = ctx.location(table.get("decided")->source());
    }
    const toml::node* outcome = table.get("outcome");
    if (outcome != nullptr && outcome->is_string()) {
      const std::string& id = outcome->as_string()->get();
      static const std::vector<std::string> kOutcomes = {"done", "carried_forward"};
      if (id == "done") {
        r.outcome = ReportBackOutcome::kDone;
      } else if (id == "carried_forward") {
        r.outcome = ReportBackOutcome::kCarriedForward;
      } else {
        ctx.error("meeting.unknown_outcome",
                  "unknown outcome " + quote_user_text(id) + did_you_mean(id, kOutcomes) +
                      " (the outcomes are 'done' and 'carried_forward')",
                  outcome->source());
      }
    }
    r.note = text_of(table, "note", "report_back", ctx);
    const toml::node* due = table.get("report_back_on");
    if (auto date = date_of(due, "report_back.report_back_on", ctx)) {
      r.report_back_on = *date;
      check_after(r.report_back_on, meeting, due, "report_back.report_back_on", ctx);
    }
    if (ctx.error_count() == errors && r.outcome == ReportBackOutcome::kCarriedForward && due == nullptr) {
      ctx.error("meeting.report_back_date",
                "a report-back carried forward needs report_back_on, the meeting it is due at now",
                r.location);
    }
    if (ctx.error_count() == errors && r.outcome == ReportBackOutcome::kDone && due != nullptr) {
      ctx.error("meeting.report_back_date",
                "report_back_on is for an outcome of 'carried_forward'; a report-back that is 'done' "
                "closes the decision",
                due->source());
    }
    if (ctx.error_count() != errors) return std::nullopt;
    return p;
  }

  // Dates are unique; each report-back names a decision of an earlier meeting
  // that is still open when it is given.
  void check_across_meetings() {
    std::stable_sort(pending_.begin(), pending_.end(), [](const PendingMeeting& a, const PendingMeeting& b) {
      return a.meeting.date < b.meeting.date;
    });
    std::set<std::pair<std::string, std::string>> open;    // (indicator, decided)
    std::map<std::pair<std::string, std::string>, SourceLocation> closed;  // where it was reported done
    std::map<std::string, std::vector<std::string>> decided_on;  // indicator -> meeting dates
    std::map<std::string, std::string> files;                    // date -> file
    for (PendingMeeting& pm : pending_) {
      auto [first, inserted] = files.emplace(pm.meeting.date, pm.meeting.location.file);
      if (!inserted) {
        error("meeting.duplicate", "the meeting on " + pm.meeting.date + " is already recorded in " + first->second,
              pm.date_at);
        continue;
      }
      std::set<std::pair<std::string, std::string>> reported_here;
      for (PendingReportBack& p : pm.report_backs) {
        ReportBack& r = p.entry;
        const auto key = std::make_pair(r.indicator_id, r.decided);
        if (!reported_here.insert(key).second) {
          error("meeting.duplicate",
                "a report-back on the decision of " + r.decided + " on '" + r.indicator_id +
                    "' is already recorded at this meeting",
                r.location, r.indicator_id);
          continue;
        }
        if (open.count(key) == 0) {
          if (auto c = closed.find(key); c != closed.end()) {
            error("meeting.closed_decision",
                  "the decision of " + r.decided + " on '" + r.indicator_id + "' was reported done at " +
                      c->second.to_string(),
                  p.decided_at, r.indicator_id);
          } else {
            std::string message = "no meeting before " + pm.meeting.date + " recorded a decision on '" +
                                  r.indicator_id + "' on " + r.decided;
            const auto& dates = decided_on[r.indicator_id];
            if (!dates.empty()) message += did_you_mean(r.decided, dates);
            error("meeting.unknown_decision", std::move(message), p.decided_at, r.indicator_id);
          }
          continue;
        }
        if (r.outcome == ReportBackOutcome::kDone) {
          open.erase(key);
          closed.emplace(key, r.location);
        }
        pm.meeting.report_backs.push_back(std::move(r));
      }
      for (const CommitteeDecision& d : pm.meeting.decisions) {
        open.emplace(d.indicator_id, d.meeting);
        decided_on[d.indicator_id].push_back(d.meeting);
      }
      out_.meetings.meetings.push_back(std::move(pm.meeting));
    }
  }

  const Catalogue& catalogue_;
  std::vector<std::string> ids_;
  std::vector<std::string> actions_;
  std::vector<PendingMeeting> pending_;
  LoadedMeetings out_;
};

}  // namespace

LoadedMeetings load_meetings(const Catalogue& catalogue) {
  try {
    return Loader(catalogue).run();
  } catch (const std::exception& e) {
    LoadedMeetings out;
    out.diagnostics.push_back(Diagnostic::make(Severity::kError, "config.internal_error",
                                               std::string("loading the meetings failed: ") + e.what(),
                                               SourceLocation{catalogue.meetings_dir.string(), 0, 0}));
    return out;
  }
}

}  // namespace vitals::detail
