// SPDX-License-Identifier: Apache-2.0
#include <vitals/engine.hpp>

#include <algorithm>

#include "common/stopwatch.hpp"
#include "config/catalogue_loader.hpp"
#include "config/commentary_loader.hpp"
#include "config/meetings_loader.hpp"
#include "engine/engine_impl.hpp"
#include "engine/source_skip.hpp"
#include "log/logging.hpp"

namespace vitals {

Engine::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Engine::Engine(Engine&&) noexcept = default;
Engine& Engine::operator=(Engine&&) noexcept = default;
Engine::~Engine() = default;

Result<Engine> Engine::open(const EngineOptions& options) {
  return detail::guard_api([&]() -> Result<Engine> {
    auto impl = std::make_unique<Impl>();
    impl->options = options;
    impl->sandbox = options.sandbox;
    impl->logger = detail::make_logger(options.log_level, options.log_sink);
    auto store = detail::HistoryStore::open(options.store_path);
    if (!store.ok()) return store.status();
    impl->store = std::move(*store);
    if (options.plugins.enabled) {
      impl->plugins = std::make_unique<detail::PluginRegistry>(impl->logger, options.plugins);
      for (const auto& dir : options.plugins.dirs) {
        impl->plugins->load_directory(dir, options.plugins.require_safe_permissions,
                                      impl->open_diagnostics);
      }
    }
    sort_and_deduplicate(impl->open_diagnostics);
    impl->diagnostics = impl->open_diagnostics;
    return Engine(std::move(impl));
  });
}

Status Engine::load_catalogue(const std::filesystem::path& dir) {
  return detail::guard_api([&]() -> Status {
    Impl& impl = *impl_;
    impl.catalogue.reset();
    impl.commentary = CommentarySet{};
    impl.meetings = MeetingSet{};
    impl.rules.reset();
    impl.invalid_sources.clear();
    impl.rule_settings_diagnostics.clear();
    impl.worker_rules.clear();
    impl.ingest_diagnostics.clear();
    impl.failed_sources.clear();
    impl.ingested = false;
    impl.unknown_series.clear();
    impl.diagnostics = impl.open_diagnostics;
    if (impl.options.read_series_early) detail::start_reading_series(impl);

    detail::Stopwatch took;
    const std::filesystem::path cache_file = detail::catalogue_cache_path(impl.options.store_path);
    detail::LoadedCatalogue loaded = detail::load_catalogue(
        dir, impl.options.threads > 0 ? static_cast<std::size_t>(impl.options.threads) : 0,
        impl.options.progress, cache_file);
    impl.logger->debug("read the catalogue's files in {:.2f} s", took.lap());
    if (!cache_file.empty()) {
      impl.logger->debug("catalogue cache {}: {} file(s) from the cache, {} parsed{}{}",
                         cache_file.string(), loaded.cache.reused, loaded.cache.parsed,
                         loaded.cache.written ? ", cache written" : "",
                         loaded.cache.problem.empty() ? "" : "; " + loaded.cache.problem);
    }
    impl.diagnostics.insert(impl.diagnostics.end(), loaded.diagnostics.begin(),
                            loaded.diagnostics.end());
    if (!loaded.catalogue) {
      sort_and_deduplicate(impl.diagnostics);
      auto errors = std::count_if(impl.diagnostics.begin(), impl.diagnostics.end(),
                                  [](const Diagnostic& d) { return d.severity == Severity::kError; });
      return Status(StatusCode::kValidationError,
                    "the catalogue in " + dir.string() + " has " + std::to_string(errors) +
                        " error(s)");
    }

    // Commentary errors refuse the catalogue too: carrying on would drop valid
    // commentary and print "commentary required" on cards that have it.
    detail::LoadedCommentary commentary = detail::load_commentary(*loaded.catalogue);
    impl.diagnostics.insert(impl.diagnostics.end(), commentary.diagnostics.begin(),
                            commentary.diagnostics.end());
    if (has_errors(commentary.diagnostics)) {
      sort_and_deduplicate(impl.diagnostics);
      return Status(StatusCode::kValidationError,
                    "the commentary in " + (dir / "commentary").string() + " has errors");
    }
    impl.commentary = std::move(commentary.commentary);
    // So do errors in the meeting files: a decision left out would drop its
    // follow-up from the report without a word.
    detail::LoadedMeetings meetings = detail::load_meetings(*loaded.catalogue);
    impl.diagnostics.insert(impl.diagnostics.end(), meetings.diagnostics.begin(),
                            meetings.diagnostics.end());
    if (has_errors(meetings.diagnostics)) {
      sort_and_deduplicate(impl.diagnostics);
      return Status(StatusCode::kValidationError,
                    "the meeting files in " + loaded.catalogue->meetings_dir.string() + " have errors");
    }
    impl.meetings = std::move(meetings.meetings);
    impl.comparators.clear();
    if (loaded.catalogue->comparators) {
      impl.comparators = detail::load_comparators(*loaded.catalogue->comparators,
                                                  loaded.catalogue->indicators, impl.diagnostics);
    }

    std::vector<std::filesystem::path> rule_dirs = loaded.catalogue->rule_dirs;
    if (rule_dirs.empty()) rule_dirs = impl.options.default_rule_dirs;
    impl.rule_dirs = rule_dirs;
    impl.sandbox = loaded.catalogue->sandbox.applied_to(impl.options.sandbox);
    impl.rules.emplace(detail::RuleSet::load(rule_dirs, impl.sandbox, impl.logger,
                                             impl.diagnostics));
    detail::check_rule_settings(*loaded.catalogue, impl.rules->rules(),
                                impl.rule_settings_diagnostics);
    impl.diagnostics.insert(impl.diagnostics.end(), impl.rule_settings_diagnostics.begin(),
                            impl.rule_settings_diagnostics.end());

    if (impl.plugins) {
      std::vector<std::string> names = impl.plugins->plugin_names();
      for (const SourceDefinition& source : loaded.catalogue->sources) {
        if (std::find(names.begin(), names.end(), source.plugin) != names.end()) continue;
        Diagnostic d;
        d.code = "source.unknown_plugin";
        d.location = source.location;
        std::string loaded_names;
        for (const std::string& n : names) loaded_names += (loaded_names.empty() ? "" : ", ") + n;
        d.message = "source '" + source.name + "' uses plugin '" + source.plugin +
                    "', which is not loaded (loaded: " +
                    (loaded_names.empty() ? std::string("none") : loaded_names) + ")";
        impl.diagnostics.push_back(std::move(d));
      }
      impl.invalid_sources =
          detail::validate_sources(*loaded.catalogue, *impl.plugins, impl.diagnostics);
    }
    impl.logger->debug("loaded the commentary, comparators and rules ({} indicators) in {:.2f} s",
                       loaded.catalogue->indicators.size(), took.lap());
    impl.catalogue = std::move(loaded.catalogue);
    sort_and_deduplicate(impl.diagnostics);
    return Status::ok();
  });
}

const Catalogue& Engine::catalogue() const { return *impl_->catalogue; }

const CommentarySet& Engine::commentary() const { return impl_->commentary; }

const MeetingSet& Engine::meetings() const { return impl_->meetings; }

const std::vector<Diagnostic>& Engine::diagnostics() const { return impl_->diagnostics; }

std::vector<std::string> Engine::rule_ids() const {
  std::vector<std::string> ids;
  if (impl_->rules) {
    for (const auto& rule : impl_->rules->rules()) ids.push_back(rule.id);
  }
  return ids;
}

std::vector<RuleModule> Engine::rule_modules() const {
  std::vector<RuleModule> modules;
  if (impl_->rules) {
    for (const auto& rule : impl_->rules->rules()) {
      for (const auto& m : rule.modules) modules.push_back(RuleModule{rule.id, m.name, m.file});
    }
  }
  return modules;
}

Result<IngestSummary> Engine::ingest() {
  return detail::guard_api([&]() -> Result<IngestSummary> {
    if (Status st = detail::require_catalogue(*impl_); !st.is_ok()) return st;
    impl_->series.reset();  // the store is the source of truth
    impl_->early_series = {};  // waits for a read begun before the ingest, and drops it
    IngestSummary summary = detail::ingest_sources(*impl_);
    detail::remember_source_outcomes(*impl_, summary);
    // The notes of sources not read again are the ingest's to tell: an
    // evaluation (and the run it records) shows what reading the same files
    // gave, exactly as when they were read.
    impl_->ingest_diagnostics.clear();
    for (const Diagnostic& d : summary.diagnostics) {
      if (d.code != detail::kSourceUnchangedCode) impl_->ingest_diagnostics.push_back(d);
    }
    impl_->failed_sources = summary.failed;
    impl_->ingested = true;
    impl_->unknown_series = summary.unknown_series;
    return summary;
  });
}

Result<IngestSummary> Engine::ingest_series(const std::string& source,
                                            const std::vector<Series>& series) {
  return detail::guard_api([&]() -> Result<IngestSummary> {
    if (Status st = detail::require_catalogue(*impl_); !st.is_ok()) return st;
    for (const SourceDefinition& def : impl_->catalogue->sources) {
      if (def.name != source) continue;
      impl_->series.reset();  // the store is the source of truth
      impl_->early_series = {};  // waits for a read begun before the ingest, and drops it
      return detail::ingest_pushed(*impl_, def, series);
    }
    return Status(StatusCode::kInvalidArgument,
                  "unknown source '" + source + "': it is not declared in the catalogue");
  });
}

Result<EvaluationReport> Engine::evaluate(const Period& period) {
  return evaluate(period, EvaluateOptions{});
}

Result<EvaluationReport> Engine::evaluate(const Period& period, const EvaluateOptions& options) {
  return detail::guard_api([&]() -> Result<EvaluationReport> {
    if (Status st = detail::require_catalogue(*impl_); !st.is_ok()) return st;
    for (const std::string& id : options.indicators) {
      if (impl_->catalogue->find_indicator(id) == nullptr) {
        return Status(StatusCode::kInvalidArgument,
                      "unknown indicator '" + id + "': it is not in the catalogue");
      }
    }
    return detail::evaluate_catalogue(*impl_, period, options);
  });
}

}  // namespace vitals
