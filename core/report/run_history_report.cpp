// SPDX-License-Identifier: Apache-2.0
// Rendering of the run history: the list of runs and the difference between
// two runs (`vitals runs`, `vitals diff`).
#include <vitals/run_history.hpp>

#include "common/user_text.hpp"
#include "common/utc_time.hpp"
#include "report/json_writer.hpp"

#include <exception>
#include <sstream>

namespace vitals {

namespace {

using detail::count_text;
using detail::utc_time;

std::string short_hash(const std::string& hash) {
  return hash.empty() ? std::string("-") : hash.substr(0, 12);
}

void runs_text(const std::vector<RunInfo>& runs, std::ostream& out) {
  if (runs.empty()) {
    out << "No runs are recorded in this store.\n";
    return;
  }
  for (const RunInfo& r : runs) {
    out << "run " << r.id << ": " << r.catalogue << ", " << r.period.label() << " ("
        << r.period.to_string() << "), recorded " << utc_time(r.created_at) << " UTC\n";
    out << "  " << count_text(static_cast<std::size_t>(r.exceptions), "exception", "exceptions") << " of " << r.indicators
        << " indicators, " << count_text(static_cast<std::size_t>(r.diagnostics), "diagnostic", "diagnostics") << "; "
        << (r.replaced_by ? "replaced by run " + std::to_string(*r.replaced_by) : "current")
        << (r.complete ? "" : "; INCOMPLETE: it could not read or evaluate everything") << "\n";
    const RunManifest& m = r.manifest;
    out << "  engine " << (m.engine_version.empty() ? "-" : m.engine_version) << "; catalogue "
        << short_hash(m.catalogue_hash) << "; rules " << short_hash(m.rules_hash) << "; plugins "
        << short_hash(m.plugins_hash) << "; data " << short_hash(m.data_hash) << "\n";
  }
}

void manifest_json(detail::JsonWriter& w, const RunManifest& m) {
  w.begin_object();
  w.field("engine_version", m.engine_version);
  w.field("catalogue_hash", m.catalogue_hash);
  w.field("rules_hash", m.rules_hash);
  w.field("plugins_hash", m.plugins_hash);
  w.field("data_hash", m.data_hash);
  w.end_object();
}

void run_json(detail::JsonWriter& w, const RunInfo& r) {
  w.begin_object();
  w.field("id", r.id);
  w.field("catalogue", r.catalogue);
  w.field("committee", r.committee);
  w.field("period", r.period.to_string());
  w.field("created_at", r.created_at);
  w.field("indicators", r.indicators);
  w.field("exceptions", r.exceptions);
  w.field("diagnostics", r.diagnostics);
  w.field("complete", r.complete);
  w.key("replaced_by");
  r.replaced_by ? w.value(*r.replaced_by) : w.null();
  w.key("manifest");
  manifest_json(w, r.manifest);
  w.end_object();
}

void runs_json(const std::vector<RunInfo>& runs, std::ostream& out) {
  detail::JsonWriter w(out);
  w.begin_object();
  w.field("format", "vitals.runs/1");
  w.key("runs").begin_array();
  for (const RunInfo& r : runs) run_json(w, r);
  w.end_array();
  w.end_object();
  out << "\n";
}

std::string joined(const std::vector<std::string>& items) {
  if (items.empty()) return "-";
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string run_label(const RunInfo& r) {
  return "run " + std::to_string(r.id) + " (" + r.catalogue + ", " + r.period.label() + ")";
}

void diff_text(const RunDiff& d, const RunInfo& a, const RunInfo& b, std::ostream& out) {
  out << "From " << run_label(a) << " to " << run_label(b) << ":\n";
  for (const RunInfo* r : {&a, &b}) {
    if (r->complete) continue;
    out << "  ! run " << r->id << " was incomplete (a source or rule failed): an exception it lacks "
        << "may be missing, not resolved; 'vitals runs' and its report say what was missing\n";
  }
  if (d.empty()) {
    out << "  no differences in exceptions or manifest\n";
    return;
  }
  for (const RunDiff::Change& c : d.added) {
    out << "  + " << c.indicator_id << " (" << c.title << "): now an exception ("
        << exception_state_name(c.after) << "; " << joined(c.criteria_after) << ")\n";
  }
  for (const RunDiff::Change& c : d.removed) {
    out << "  - " << c.indicator_id << " (" << c.title << "): no longer an exception (was "
        << exception_state_name(c.before) << "; " << joined(c.criteria_before) << ")\n";
  }
  for (const RunDiff::Change& c : d.changed) {
    out << "  ~ " << c.indicator_id << " (" << c.title << "): " << exception_state_name(c.before)
        << " -> " << exception_state_name(c.after);
    if (c.criteria_before != c.criteria_after) {
      out << "; criteria " << joined(c.criteria_before) << " -> " << joined(c.criteria_after);
    }
    out << "\n";
  }
  for (const RunDiff::ManifestChange& m : d.manifest) {
    out << "  manifest " << m.field << ": " << (m.before.empty() ? "-" : m.before) << " -> "
        << (m.after.empty() ? "-" : m.after) << "\n";
  }
}

void changes_json(detail::JsonWriter& w, std::string_view key,
                  const std::vector<RunDiff::Change>& changes) {
  w.key(key).begin_array();
  for (const RunDiff::Change& c : changes) {
    w.begin_object();
    w.field("indicator", c.indicator_id);
    w.field("title", c.title);
    w.field("before", exception_state_name(c.before));
    w.field("after", exception_state_name(c.after));
    w.key("criteria_before").begin_array();
    for (const std::string& s : c.criteria_before) w.value(s);
    w.end_array();
    w.key("criteria_after").begin_array();
    for (const std::string& s : c.criteria_after) w.value(s);
    w.end_array();
    w.end_object();
  }
  w.end_array();
}

void diff_json(const RunDiff& d, const RunInfo& a, const RunInfo& b, std::ostream& out) {
  detail::JsonWriter w(out);
  w.begin_object();
  w.field("format", "vitals.run_diff/1");
  w.key("run_a");
  run_json(w, a);
  w.key("run_b");
  run_json(w, b);
  changes_json(w, "added", d.added);
  changes_json(w, "removed", d.removed);
  changes_json(w, "changed", d.changed);
  w.key("manifest").begin_array();
  for (const RunDiff::ManifestChange& m : d.manifest) {
    w.begin_object();
    w.field("field", m.field);
    w.field("before", m.before);
    w.field("after", m.after);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  out << "\n";
}

template <typename Text, typename Json>
Status render_with(ReportFormat format, std::ostream& out, const char* what, Text text, Json json) {
  try {
    std::ostringstream buffer;
    if (format == ReportFormat::kText) {
      text(buffer);
    } else if (format == ReportFormat::kJson) {
      json(buffer);
    } else {
      return Status(StatusCode::kInvalidArgument,
                    std::string(what) + " is written as text or json");
    }
    out << buffer.str();
    if (!out) return Status(StatusCode::kIoError, std::string("cannot write ") + what);
    return Status::ok();
  } catch (const std::exception& e) {
    return Status(StatusCode::kInternal, std::string("cannot render ") + what + ": " + e.what());
  }
}

}  // namespace

std::string utc_time_text(std::int64_t unix_seconds) {
  return detail::utc_time(unix_seconds) + " UTC";
}

Status render_runs(const std::vector<RunInfo>& runs, ReportFormat format, std::ostream& out) {
  return render_with(
      format, out, "the list of runs", [&](std::ostream& o) { runs_text(runs, o); },
      [&](std::ostream& o) { runs_json(runs, o); });
}

Status render_run_diff(const RunDiff& diff, const RunInfo& a, const RunInfo& b,
                       ReportFormat format, std::ostream& out) {
  return render_with(
      format, out, "the difference between runs", [&](std::ostream& o) { diff_text(diff, a, b, o); },
      [&](std::ostream& o) { diff_json(diff, a, b, o); });
}

}  // namespace vitals
