// SPDX-License-Identifier: Apache-2.0
#include "config/catalogue_loader.hpp"

#include "common/parallel.hpp"
#include "common/sha256.hpp"
#include "common/progress_meter.hpp"
#include "config/catalogue_parser.hpp"
#include "config/comparators_parser.hpp"
#include "config/derived_parser.hpp"
#include "config/file_context.hpp"
#include "config/indicator_parser.hpp"
#include "config/toml_source.hpp"

#include <vitals/version.hpp>

#include <toml++/toml.h>

#include <algorithm>
#include <map>
#include <string>
#include <system_error>
#include <utility>

namespace vitals::detail {

namespace {

Diagnostic make_error(std::string code, std::string message, SourceLocation where) {
  return Diagnostic::make(Severity::kError, std::move(code), std::move(message), std::move(where));
}

// Every regular *.toml file under `indicators`, sorted; problems walking it go to `out`.
std::vector<std::filesystem::path> indicator_files(const std::filesystem::path& indicators,
                                                   std::vector<Diagnostic>& out) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  if (!std::filesystem::is_directory(indicators, ec)) return files;
  std::filesystem::recursive_directory_iterator it(indicators, ec);
  std::filesystem::recursive_directory_iterator end;
  for (; !ec && it != end; it.increment(ec)) {
    const std::filesystem::path& path = it->path();
    std::error_code type_ec;
    if (path.extension() == ".toml" && it->is_regular_file(type_ec)) files.push_back(path);
  }
  if (ec) {
    out.push_back(make_error("config.io_error",
                             "cannot list '" + indicators.string() + "': " + ec.message(),
                             SourceLocation{indicators.string(), 0, 0}));
  }
  std::sort(files.begin(), files.end());
  return files;
}

// One indicator file once read: its parse, and for the cache the SHA-256
// of its text and its encoded parse (when the file could be read at all).
struct FileOutcome {
  ParsedIndicatorFile parsed;
  bool hashed = false;
  bool reused = false;
  ContentDigest digest{};
  std::string_view cached;  // the cache's bytes, when reused
  std::string encoded;      // encode_parsed_file(), when parsed for the cache
};

FileOutcome parse_file(const std::filesystem::path& file, const Catalogue* declared,
                       const std::filesystem::path& dir, const CatalogueCache* cache) {
  FileOutcome outcome;
  ParsedIndicatorFile& parsed = outcome.parsed;
  std::optional<TomlSource> source = read_toml_source(file, parsed.diagnostics, dir);
  if (!source) return outcome;
  if (cache != nullptr) {
    Sha256 h;
    h.update(source->text());
    outcome.digest = h.digest();
    outcome.hashed = true;
    if (std::optional<ParsedIndicatorFile> found =
            cache->find(source->file(), outcome.digest, outcome.cached)) {
      outcome.parsed = std::move(*found);
      outcome.reused = true;
      return outcome;
    }
  }
  FileContext ctx(*source, parsed.diagnostics);
  if (std::optional<toml::table> root = parse_toml(ctx)) {
    parsed.indicators = parse_indicator_file(*root, declared, ctx);
  }
  if (cache != nullptr) outcome.encoded = encode_parsed_file(parsed, source->file());
  return outcome;
}

// Every file of `files` parsed, on up to `threads` threads (0: one per
// core); each file is read by one thread, and the results are in file order.
std::vector<FileOutcome> parse_files(const std::vector<std::filesystem::path>& files,
                                     const Catalogue* declared, const std::filesystem::path& dir,
                                     const CatalogueCache* cache, std::size_t threads,
                                     const ProgressSink& sink) {
  std::vector<FileOutcome> parsed(files.size());
  ProgressMeter progress(sink, "loading the catalogue", "files", files.size());
  // run_parallel rethrows the first exception; load_catalogue reports it.
  run_parallel(worker_count(static_cast<int>(threads), files.size(), 1), files.size(), 1,
               [&](std::size_t, std::size_t i) {
                 parsed[i] = parse_file(files[i], declared, dir, cache);
                 progress.add();
               });
  return parsed;
}

// Rewrites the cache when what it holds is not what was read: a file parsed
// (new or changed) or a file gone.
void update_cache(const std::filesystem::path& cache_file, const ContentDigest& context,
                  const CatalogueCache& cache, const std::vector<std::filesystem::path>& files,
                  const std::vector<FileOutcome>& outcomes, CatalogueCacheUse& use) {
  std::size_t hashed = 0;
  for (const FileOutcome& o : outcomes) hashed += o.hashed ? 1 : 0;
  if (use.parsed == 0 && hashed == cache.size()) return;
  std::vector<CatalogueCache::Entry> entries;
  entries.reserve(hashed);
  for (std::size_t i = 0; i < files.size(); ++i) {
    const FileOutcome& o = outcomes[i];
    if (!o.hashed) continue;
    entries.push_back({files[i].string(), o.digest,
                       o.reused ? std::string(o.cached) : o.encoded});
  }
  use.written = CatalogueCache::write(cache_file, context, entries, use.problem);
}

void load(const std::filesystem::path& dir, std::size_t threads, const ProgressSink& progress,
          const std::filesystem::path& cache_file, LoadedCatalogue& result) {
  std::vector<Diagnostic>& diagnostics = result.diagnostics;

  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    diagnostics.push_back(make_error("config.missing_file",
                                     "catalogue directory '" + dir.string() + "' does not exist",
                                     SourceLocation{dir.string(), 0, 0}));
    return;
  }

  std::optional<CatalogueFile> catalogue_file;
  std::optional<std::string> catalogue_text;
  const std::filesystem::path catalogue_path = dir / "catalogue.toml";
  if (!std::filesystem::exists(catalogue_path, ec)) {
    diagnostics.push_back(
        make_error("config.missing_file",
                   "no catalogue.toml in '" + dir.string() +
                       "': a catalogue directory needs a catalogue.toml with a [catalogue] table",
                   SourceLocation{catalogue_path.string(), 0, 0}));
  } else if (std::optional<TomlSource> source =
                 read_toml_source(catalogue_path, diagnostics, dir)) {
    FileContext ctx(*source, diagnostics);
    if (std::optional<toml::table> root = parse_toml(ctx)) {
      catalogue_file = parse_catalogue_file(*root, dir, ctx);
      catalogue_text = source->text();
    }
  }
  // Without a readable catalogue.toml, indicators are still checked on their
  // own; references to it are skipped rather than all reported as unknown.
  const Catalogue* declared = catalogue_file ? &catalogue_file->catalogue : nullptr;

  std::optional<ContentDigest> context;
  if (!cache_file.empty()) {
    if (std::optional<std::string> build = running_build_identity()) {
      context = catalogue_cache_context(version_string(), *build, dir,
                                        catalogue_text ? &*catalogue_text : nullptr, declared);
    }
  }
  CatalogueCache cache;
  if (context) cache = CatalogueCache::read(cache_file, *context, result.cache.problem);

  std::vector<IndicatorDefinition> indicators;
  std::vector<RuleSettings> indicator_rule_settings;
  std::map<std::string, SourceLocation> first_definition;
  // A file that failed to parse may hold indicators: no "no indicators"
  // warning while any indicator file has errors.
  const std::size_t diagnostics_before = diagnostics.size();
  const std::vector<std::filesystem::path> files = indicator_files(dir / "indicators", diagnostics);
  // The files are parsed in parallel; what they hold is then taken in file
  // order, so diagnostics and duplicates come out as a serial read finds them.
  std::vector<FileOutcome> outcomes =
      parse_files(files, declared, dir, context ? &cache : nullptr, threads, progress);
  for (const FileOutcome& o : outcomes) {
    if (!o.hashed) continue;
    (o.reused ? result.cache.reused : result.cache.parsed) += 1;
  }
  if (context) update_cache(cache_file, *context, cache, files, outcomes, result.cache);
  for (FileOutcome& outcome : outcomes) {
    ParsedIndicatorFile& file = outcome.parsed;
    diagnostics.insert(diagnostics.end(), std::make_move_iterator(file.diagnostics.begin()),
                       std::make_move_iterator(file.diagnostics.end()));
    for (ParsedIndicator& parsed : file.indicators) {
      IndicatorDefinition& def = parsed.definition;
      if (parsed.id_location) {
        auto [it, inserted] = first_definition.emplace(def.id, def.location);
        if (!inserted) {
          SourceLocation first{it->second.file, it->second.line, 0};
          Diagnostic d =
              make_error("config.duplicate_id",
                         "indicator id '" + def.id + "' is already defined at " + first.to_string(),
                         *parsed.id_location);
          d.indicator_id = def.id;
          diagnostics.push_back(std::move(d));
        }
      }
      indicators.push_back(std::move(def));
      for (RuleSettings& settings : parsed.rule_settings) {
        indicator_rule_settings.push_back(std::move(settings));
      }
    }
  }

  const bool indicator_errors = std::any_of(
      diagnostics.begin() + static_cast<std::ptrdiff_t>(diagnostics_before), diagnostics.end(),
      [](const Diagnostic& d) { return d.severity == Severity::kError; });
  if (indicators.empty() && !indicator_errors) {
    Diagnostic d;
    d.severity = Severity::kWarning;
    d.code = "config.no_indicators";
    d.message =
        "the catalogue defines no indicators: add [[indicator]] tables to .toml files "
        "under " +
        (dir / "indicators").string();
    d.location =
        catalogue_file ? catalogue_file->header : SourceLocation{catalogue_path.string(), 0, 0};
    diagnostics.push_back(std::move(d));
  }

  resolve_derived(indicators, diagnostics);
  if (catalogue_file) resolve_period_forms(catalogue_file->catalogue.sources, indicators, diagnostics);
  if (catalogue_file) check_report_order(*catalogue_file, indicators, diagnostics);
  if (catalogue_file && catalogue_file->catalogue.comparators) {
    check_comparator_indicators(*catalogue_file->catalogue.comparators, indicators, diagnostics);
  }

  if (catalogue_file && !has_errors(diagnostics)) {
    Catalogue catalogue = std::move(catalogue_file->catalogue);
    std::sort(
        indicators.begin(), indicators.end(),
        [](const IndicatorDefinition& a, const IndicatorDefinition& b) { return a.id < b.id; });
    catalogue.indicators = std::move(indicators);
    // In the order of the indicators, as the catalogue's contract says.
    std::stable_sort(indicator_rule_settings.begin(), indicator_rule_settings.end(),
                     [](const RuleSettings& a, const RuleSettings& b) {
                       return a.indicator_id < b.indicator_id;
                     });
    for (RuleSettings& settings : indicator_rule_settings) {
      catalogue.rule_settings.push_back(std::move(settings));
    }
    result.catalogue = std::move(catalogue);
  }
}

}  // namespace

LoadedCatalogue load_catalogue(const std::filesystem::path& dir, std::size_t threads,
                               const ProgressSink& progress,
                               const std::filesystem::path& cache_file) {
  LoadedCatalogue result;
  try {
    load(dir, threads, progress, cache_file, result);
  } catch (const std::exception& e) {
    // Out of memory or a library failure: report it rather than throw.
    result.catalogue.reset();
    result.diagnostics.push_back(make_error(
        "config.internal_error", std::string("loading the catalogue failed: ") + e.what(),
        SourceLocation{dir.string(), 0, 0}));
  }
  sort_and_deduplicate(result.diagnostics);
  return result;
}

}  // namespace vitals::detail
