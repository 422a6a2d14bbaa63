// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <charconv>
#include <iostream>

#include "cli_common.hpp"

namespace vitals::cli {

namespace {

std::optional<std::int64_t> run_id(const std::string& text) {
  std::int64_t id = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || ptr != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

}  // namespace

const CommandSpec& diff_command() {
  static const CommandSpec spec = {
      "diff",
      "show what changed between two runs (vitals diff A B)",
      "vitals diff RUN_A RUN_B [--store FILE] [options]",
      "Shows what changed from run RUN_A to run RUN_B (ids as 'vitals runs' lists\n"
      "them): exceptions added, removed, or whose state (new, continuing, accepted,\n"
      "awaiting data) or criteria changed, and the manifest entries that differ\n"
      "(engine version, catalogue, rules, plugins, input data).\n",
      {
          {"format", "FORMAT", "text (default) or json", false, "text json"},
      },
      kStoreOption,
      "RUN_A RUN_B",
      false,
  };
  return spec;
}

int run_diff(int argc, char** argv) {
  Args args;
  if (int rc = parse(argc, argv, diff_command(), args); rc >= 0) return rc;
  const std::vector<std::string>& ids = args.operands;
  if (ids.size() != 2) {
    std::cerr << "vitals: diff needs two run ids (see 'vitals runs'), e.g. vitals diff 3 4\n";
    return kExitUsage;
  }
  std::optional<std::int64_t> a = run_id(ids[0]);
  std::optional<std::int64_t> b = run_id(ids[1]);
  if (!a || !b) {
    std::cerr << "vitals: '" << (!a ? ids[0] : ids[1]) << "' is not a run id\n";
    return kExitUsage;
  }
  auto format = parse_report_format(args.get("format").value_or("text"));
  if (!format.ok() || *format == ReportFormat::kMarkdown) {
    std::cerr << "vitals: differences are shown as text or json\n";
    return kExitUsage;
  }
  auto engine = Engine::open(engine_options(args, true));
  if (!engine.ok()) {
    std::cerr << "vitals: " << engine.status().to_string() << "\n";
    return kExitFailure;
  }
  auto runs = engine->runs();
  if (!runs.ok()) {
    std::cerr << "vitals: " << runs.status().to_string() << "\n";
    return kExitFailure;
  }
  auto info = [&](std::int64_t id) -> const RunInfo* {
    for (const RunInfo& r : *runs) {
      if (r.id == id) return &r;
    }
    return nullptr;
  };
  for (std::int64_t id : {*a, *b}) {
    if (info(id) == nullptr) {
      std::cerr << "vitals: there is no run " << id << " in the store (see 'vitals runs')\n";
      return kExitUsage;
    }
  }
  auto report_a = engine->load_run(*a);
  auto report_b = engine->load_run(*b);
  for (const auto* r : {&report_a, &report_b}) {
    if (!r->ok()) {
      std::cerr << "vitals: " << r->status().to_string() << "\n";
      return kExitFailure;
    }
  }
  RunDiff diff = diff_runs(*report_a, *report_b);
  if (Status st = render_run_diff(diff, *info(*a), *info(*b), *format, std::cout); !st.is_ok()) {
    std::cerr << "vitals: " << st.to_string() << "\n";
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace vitals::cli
