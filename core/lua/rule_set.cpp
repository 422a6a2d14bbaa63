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
};

// The name of the rule folder as it starts chunk names: "rules" for
// "/srv/council/rules/" and for "rules/.".
std::string folder_name(const fs::path& dir) {
  std::error_code ec;
  fs::path absolute = fs::absolute(dir, ec);
  if (ec) absolute = dir;
  absolute = absolute.lexically_normal();
  if (absolute.filename().empty()) absolute = absolute.parent_path();
  std::string name = absolute.filename().generic_string();
  return name.empty() ? "rules" : name;
}

Diagnostic make_diagnostic(std::string code, std::string message,
                           std::optional<SourceLocation> location, std::string rule_id,
                           std::string indicator_id = {}) {
  Diagnostic d;
  d.severity = Severity::kError;
  d.code = std::move(code);
  d.message = std::move(message);
  d.location = std::move(location);
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

RuleSet RuleSet::load(const std::vector<fs::path>& dirs, const SandboxLimits& limits,
                      std::shared_ptr<spdlog::logger> logger,
                      std::vector<Diagnostic>& diagnostics) {
  auto impl = std::make_unique<Impl>();
  impl->logger = logger ? std::move(logger) : null_logger();

  std::vector<ModuleDir> module_dirs;
  std::vector<FoundRule> found;
  for (const fs::path& dir : dirs) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
      diagnostics.push_back(make_diagnostic(
          "rule.load_error", "rule folder '" + dir.generic_string() + "' does not exist",
          SourceLocation{dir.generic_string(), 0, 0}, {}));
      continue;
    }
    const std::string name = folder_name(dir);
    if (fs::is_directory(dir / "lib", ec))
      module_dirs.push_back(ModuleDir{dir / "lib", name + "/lib"});

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
      here.push_back(FoundRule{entry.path(),
                               name + "/" + entry.path().lexically_relative(dir).generic_string()});
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

  std::map<std::string, std::string> first_file_of;  // rule id -> chunk name
  for (FoundRule& rule : found) {
    RuleSource source{rule.file, rule.chunk_name, {}};
    std::string error;
    if (!read_text(rule.file, limits.max_bytes, source.text, error)) {
      diagnostics.push_back(make_diagnostic("rule.load_error", "could not load rule: " + error,
                                            SourceLocation{rule.chunk_name, 0, 0}, {}));
      continue;
    }
    SandboxConfig config{limits, impl->logger, module_dirs, rule.chunk_name};
    RuleFailure failure;
    std::unique_ptr<RuleScript> script =
        RuleScript::load(std::move(source), std::move(config), failure);
    if (!script) {
      if (!failure.traceback.empty()) impl->logger->debug("{}", failure.traceback);
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
    impl->logger->debug("loaded rule {} {} from {}", info.id, info.version, rule.chunk_name);
    impl->scripts.push_back(std::move(script));
  }

  std::sort(impl->scripts.begin(), impl->scripts.end(),
            [](const auto& a, const auto& b) { return a->info().id < b->info().id; });
  for (const auto& script : impl->scripts) impl->infos.push_back(script->info());
  return RuleSet(std::move(impl));
}

std::vector<RuleOutcome> RuleSet::evaluate(const RuleInput& input,
                                           std::vector<Diagnostic>& diagnostics) {
  std::vector<RuleOutcome> outcomes;
  if (!impl_ || input.indicator == nullptr) return outcomes;
  static const std::map<std::string, ParamValue> kNoParams;
  const IndicatorDefinition& indicator = *input.indicator;

  for (const auto& script : impl_->scripts) {
    const RuleInfo& info = script->info();
    auto params_it = indicator.rule_params.find(info.id);
    const auto& params = params_it == indicator.rule_params.end() ? kNoParams : params_it->second;
    RuleFailure failure;
    try {
      auto result = script->evaluate(input, params);
      if (auto* outcome = std::get_if<RuleOutcome>(&result)) {
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
