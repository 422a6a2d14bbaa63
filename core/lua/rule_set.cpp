// SPDX-License-Identifier: Apache-2.0
#include "lua/rule_set.hpp"

#include "log/logging.hpp"
#include "lua/rule_script.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <system_error>
#include <utility>

namespace vitals::detail {

namespace fs = std::filesystem;

struct RuleSet::Impl {
  std::vector<std::unique_ptr<RuleScript>> scripts;  // sorted by id
  std::vector<RuleInfo> infos;                       // the same order
  std::shared_ptr<spdlog::logger> logger;
};

namespace {

struct FoundRule {
  fs::path file;
  std::string chunk_name;
  std::vector<ModuleDir> module_dirs;  // what its require searches, in order
};

// The last component of `dir` made absolute: "rules" for "/srv/council/rules/"
// and for "rules/.".
fs::path normalised(const fs::path& dir) {
  std::error_code ec;
  fs::path absolute = fs::absolute(dir, ec);
  if (ec) absolute = dir;
  absolute = absolute.lexically_normal();
  if (absolute.filename().empty()) absolute = absolute.parent_path();
  return absolute;
}

std::string name_of(const fs::path& absolute, const char* fallback) {
  std::string name = absolute.filename().generic_string();
  return name.empty() ? fallback : name;
}

bool is_dir(const fs::path& path) {
  std::error_code ec;
  return fs::is_directory(path, ec);
}

// LuaLS definition files (---@meta) describe the rule API for editors; they
// are not rules.
bool is_definition_file(std::string_view text) {
  constexpr std::string_view kMeta = "---@meta";
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  return text.substr(0, kMeta.size()) == kMeta;
}

Diagnostic make_diagnostic(std::string code, std::string message,
                           std::optional<SourceLocation> location, std::string rule_id,
                           std::string indicator_id = {}) {
  Diagnostic d =
      Diagnostic::make(Severity::kError, std::move(code), std::move(message), std::move(location));
  d.rule_id = std::move(rule_id);
  d.indicator_id = std::move(indicator_id);
  return d;
}

bool read_text(const fs::path& file, std::size_t max_bytes, std::string& text, std::string& error) {
  std::error_code ec;
  auto size = fs::file_size(file, ec);
  if (ec) {
    error = "cannot read the rule file: " + ec.message();
    return false;
  }
  if (size > max_bytes) {
    error =
        "the rule file is larger than the memory limit of " + std::to_string(max_bytes) + " bytes";
    return false;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    error = "cannot open the rule file";
    return false;
  }
  text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return true;
}

}  // namespace

RuleSet::RuleSet(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RuleSet::RuleSet(RuleSet&&) noexcept = default;
RuleSet& RuleSet::operator=(RuleSet&&) noexcept = default;
RuleSet::~RuleSet() = default;

const std::vector<RuleInfo>& RuleSet::rules() const {
  static const std::vector<RuleInfo> kNone;
  return impl_ ? impl_->infos : kNone;
}

namespace {

void add_module_dirs(const std::vector<ModuleDir>& dirs, std::vector<ModuleDir>& module_dirs) {
  for (const ModuleDir& m : dirs) {
    bool known = std::any_of(module_dirs.begin(), module_dirs.end(),
                             [&](const ModuleDir& d) { return d.path == m.path; });
    if (!known) module_dirs.push_back(m);
  }
}

// The module files under `dir` ("series.lua", "a/b.lua"), sorted.
std::vector<std::string> module_files(const fs::path& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code type_ec;
    if (it->path().extension() == ".lua" && it->is_regular_file(type_ec)) {
      files.push_back(it->path().lexically_relative(dir).generic_string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// A warning for every module file found in more than one of `libraries`:
// each rule gets the one of its own folder, which may not be what its author
// expects.
void report_duplicate_modules(const std::vector<ModuleDir>& libraries,
                              std::vector<Diagnostic>& diagnostics) {
  std::map<std::string, std::string> first_of;  // module file -> the first library's display
  for (const ModuleDir& library : libraries) {
    for (const std::string& file : module_files(library.path)) {
      auto [it, inserted] = first_of.emplace(file, library.display);
      if (inserted) continue;
      std::string name = file.substr(0, file.size() - 4);
      std::replace(name.begin(), name.end(), '/', '.');
      Diagnostic d = Diagnostic::make(
          Severity::kWarning, "rule.duplicate_module",
          "module '" + name + "' is defined in both " + it->second + "/" + file + " and " +
              library.display + "/" + file +
              "; each rule gets the one of its own folder first, then the shared one",
          SourceLocation{library.display + "/" + file, 0, 0});
      diagnostics.push_back(std::move(d));
    }
  }
}

using Scripts = std::vector<std::unique_ptr<RuleScript>>;

// Loads `found` in order into `scripts` (then sorted by id).
void load_found(const std::vector<FoundRule>& found, const SandboxLimits& limits,
                const std::shared_ptr<spdlog::logger>& logger, Scripts& scripts,
                std::vector<Diagnostic>& diagnostics, LineCoverage* coverage);

}  // namespace

RuleFolder describe_rule_folder(const fs::path& dir) {
  RuleFolder folder;
  folder.dir = normalised(dir);
  const std::string name = name_of(folder.dir, "rules");
  if (is_dir(folder.dir / "lib")) {
    folder.display = name;
    folder.module_dirs.push_back(ModuleDir{folder.dir / "lib", name + "/lib"});
  } else if (fs::path parent = folder.dir.parent_path();
             parent != folder.dir && is_dir(parent / "lib")) {
    const std::string tree = name_of(parent, "rules");
    folder.display = tree + "/" + name;
    folder.module_dirs.push_back(ModuleDir{parent / "lib", tree + "/lib", true});
  } else {
    folder.display = name;
  }
  return folder;
}

bool RuleSet::is_definition_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string head(16, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(std::max<std::streamsize>(in.gcount(), 0)));
  return detail::is_definition_file(head);
}

RuleSet RuleSet::load(const std::vector<fs::path>& dirs, const SandboxLimits& limits,
                      std::shared_ptr<spdlog::logger> logger,
                      std::vector<Diagnostic>& diagnostics, LineCoverage* coverage) {
  auto impl = std::make_unique<Impl>();
  impl->logger = logger ? std::move(logger) : null_logger();

  std::vector<ModuleDir> libraries;  // every folder's, in the order of `dirs`
  std::vector<FoundRule> found;
  for (const fs::path& dir : dirs) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
      diagnostics.push_back(make_diagnostic(
          "rule.load_error", "rule folder '" + dir.generic_string() + "' does not exist",
          SourceLocation{dir.generic_string(), 0, 0}, {}));
      continue;
    }
    const RuleFolder folder = describe_rule_folder(dir);
    add_module_dirs(folder.module_dirs, libraries);

    std::vector<FoundRule> here;
    fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
    for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      const fs::directory_entry& entry = *it;
      std::error_code type_ec;
      if (entry.is_directory(type_ec)) {
        // Modules for require live in folders named lib; they are not rules.
        if (entry.path().filename() == "lib") it.disable_recursion_pending();
        continue;
      }
      if (entry.path().extension() != ".lua" || !entry.is_regular_file(type_ec)) continue;
      here.push_back(
          FoundRule{entry.path(),
                    folder.display + "/" + entry.path().lexically_relative(dir).generic_string(),
                    folder.module_dirs});
    }
    if (ec) {
      diagnostics.push_back(
          make_diagnostic("rule.load_error",
                          "cannot list rule folder '" + dir.generic_string() + "': " + ec.message(),
                          SourceLocation{dir.generic_string(), 0, 0}, {}));
    }
    std::sort(here.begin(), here.end(),
              [](const FoundRule& a, const FoundRule& b) { return a.file < b.file; });
    found.insert(found.end(), here.begin(), here.end());
  }
  // Each rule searches its own folder's lib, then the shared ones: a pack's
  // own lib never serves another folder's rules.
  std::vector<ModuleDir> shared;
  std::copy_if(libraries.begin(), libraries.end(), std::back_inserter(shared),
               [](const ModuleDir& d) { return d.shared; });
  for (FoundRule& rule : found) add_module_dirs(shared, rule.module_dirs);
  report_duplicate_modules(libraries, diagnostics);
  load_found(found, limits, impl->logger, impl->scripts, diagnostics, coverage);
  for (const auto& script : impl->scripts) impl->infos.push_back(script->info());
  return RuleSet(std::move(impl));
}

RuleSet RuleSet::load_file(const fs::path& file, const SandboxLimits& limits,
                           std::shared_ptr<spdlog::logger> logger,
                           std::vector<Diagnostic>& diagnostics, LineCoverage* coverage) {
  auto impl = std::make_unique<Impl>();
  impl->logger = logger ? std::move(logger) : null_logger();
  const RuleFolder folder = describe_rule_folder(file.parent_path());
  FoundRule rule{file, folder.display + "/" + file.filename().generic_string(),
                 folder.module_dirs};
  load_found({rule}, limits, impl->logger, impl->scripts, diagnostics, coverage);
  for (const auto& script : impl->scripts) impl->infos.push_back(script->info());
  return RuleSet(std::move(impl));
}

namespace {

void load_found(const std::vector<FoundRule>& found, const SandboxLimits& limits,
                const std::shared_ptr<spdlog::logger>& logger, Scripts& scripts,
                std::vector<Diagnostic>& diagnostics, LineCoverage* coverage) {
  std::map<std::string, std::string> first_file_of;  // rule id -> chunk name
  for (const FoundRule& rule : found) {
    RuleSource source{rule.file, rule.chunk_name, {}};
    std::string error;
    if (!read_text(rule.file, limits.max_bytes, source.text, error)) {
      diagnostics.push_back(make_diagnostic("rule.load_error", "could not load rule: " + error,
                                            SourceLocation{rule.chunk_name, 0, 0}, {}));
      continue;
    }
    if (is_definition_file(source.text)) continue;
    SandboxConfig config{limits, logger, rule.module_dirs, rule.chunk_name, coverage};
    RuleFailure failure;
    std::unique_ptr<RuleScript> script =
        RuleScript::load(std::move(source), std::move(config), failure);
    if (!script) {
      if (!failure.traceback.empty()) logger->debug("{}", failure.traceback);
      std::string message = failure.code == "rule.bad_contract"
                                ? "bad rule: " + failure.reason
                                : "could not load rule: " + failure.reason;
      diagnostics.push_back(
          make_diagnostic(failure.code, std::move(message), failure.location, failure.rule_id));
      continue;
    }
    const RuleInfo& info = script->info();
    auto [it, inserted] = first_file_of.emplace(info.id, rule.chunk_name);
    if (!inserted) {
      diagnostics.push_back(make_diagnostic(
          "rule.duplicate_id",
          "rule id '" + info.id + "' is already used by " + it->second + "; this file is ignored",
          SourceLocation{rule.chunk_name, 0, 0}, info.id));
      continue;
    }
    logger->debug("loaded rule {} {} from {}", info.id, info.version, rule.chunk_name);
    scripts.push_back(std::move(script));
  }
  std::sort(scripts.begin(), scripts.end(),
            [](const auto& a, const auto& b) { return a->info().id < b->info().id; });
}

}  // namespace

std::vector<RuleOutcome> RuleSet::evaluate(const RuleInput& input,
                                           std::vector<Diagnostic>& diagnostics) {
  std::vector<RuleOutcome> outcomes;
  if (!impl_ || input.indicator == nullptr) return outcomes;
  outcomes.reserve(impl_->scripts.size());
  static const std::map<std::string, ParamValue> kNoParams;
  const IndicatorDefinition& indicator = *input.indicator;

  for (const auto& script : impl_->scripts) {
    const RuleInfo& info = script->info();
    auto params_it = indicator.rule_params.find(info.id);
    const auto& params = params_it == indicator.rule_params.end() ? kNoParams : params_it->second;
    RuleFailure failure;
    try {
      thread_local std::vector<std::string> notes;
      notes.clear();
      auto result = script->evaluate(input, params, &notes);
      if (auto* outcome = std::get_if<RuleOutcome>(&result)) {
        for (std::string& note : notes) {
          Diagnostic d = make_diagnostic("rule.output_limited",
                                         "rule '" + info.id + "' for indicator '" + indicator.id +
                                             "': " + std::move(note),
                                         SourceLocation{info.file.generic_string(), 0, 0}, info.id,
                                         indicator.id);
          d.severity = Severity::kWarning;
          diagnostics.push_back(std::move(d));
        }
        outcomes.push_back(std::move(*outcome));
        continue;
      }
      failure = std::move(std::get<RuleFailure>(result));
    } catch (const std::exception& e) {
      failure = RuleFailure{"rule.runtime_error",
                            std::string("internal error: ") + e.what(),
                            SourceLocation{info.file.generic_string(), 0, 0},
                            info.id,
                            {}};
    }
    if (!failure.traceback.empty()) impl_->logger->debug("{}", failure.traceback);
    RuleOutcome outcome;
    outcome.rule_id = info.id;
    outcome.criterion = info.criterion;
    outcome.label = info.label;
    outcome.status = RuleOutcome::Status::kError;
    outcome.message = "could not evaluate: " + failure.reason;
    outcomes.push_back(std::move(outcome));
    diagnostics.push_back(make_diagnostic(failure.code,
                                          "rule '" + info.id + "' could not evaluate indicator '" +
                                              indicator.id + "': " + failure.reason,
                                          failure.location, info.id, indicator.id));
  }
  return outcomes;
}

}  // namespace vitals::detail
