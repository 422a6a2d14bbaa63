// SPDX-License-Identifier: Apache-2.0
// The run manifest: SHA-256 digests of everything a run read, so that a
// published report can be reproduced and audited (docs/adr/0003).
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <set>
#include <system_error>

#include <vitals/version.hpp>

#include "common/period_codes.hpp"
#include "common/sha256.hpp"
#include "config/accepted_loader.hpp"
#include "engine/lifecycle.hpp"

namespace vitals::detail {

namespace {

namespace fs = std::filesystem;

// Adds the file's name (as given) and its bytes; a missing or unreadable
// file adds its name and a marker, so that its absence counts too.
void add_file(Sha256& h, const std::string& name, const fs::path& path) {
  h.field(name);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    h.field("<unreadable>");
    return;
  }
  char buf[1 << 16];
  std::uint64_t size = 0;
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    h.update(buf, static_cast<std::size_t>(in.gcount()));
    size += static_cast<std::uint64_t>(in.gcount());
  }
  h.field(std::to_string(size));
}

// Regular files under `dir` with `extension`, sorted by their path relative to `dir`.
std::vector<fs::path> files_under(const fs::path& dir, const std::string& extension) {
  std::vector<fs::path> out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code type_ec;
    if (it->path().extension() == extension && it->is_regular_file(type_ec)) {
      out.push_back(it->path().lexically_relative(dir));
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string catalogue_hash(const Catalogue& catalogue) {
  Sha256 h;
  add_file(h, "catalogue.toml", catalogue.root / "catalogue.toml");
  for (const fs::path& rel : files_under(catalogue.root / "indicators", ".toml")) {
    add_file(h, "indicators/" + rel.generic_string(), catalogue.root / "indicators" / rel);
  }
  std::error_code ec;
  if (fs::exists(acceptances_path(catalogue), ec)) {
    add_file(h, "accepted.toml", acceptances_path(catalogue));
  }
  return h.hex_digest();
}

// Each folder's rules and the lib folder its rules require from (its own, or
// its parent's), named from the folder so that the digest does not depend on
// where the rules are installed.
std::string rules_hash(const std::vector<fs::path>& dirs) {
  Sha256 h;
  std::set<fs::path> seen;
  auto add_tree = [&](const fs::path& dir) {
    std::error_code ec;
    fs::path absolute = fs::weakly_canonical(dir, ec);
    if (ec) absolute = dir.lexically_normal();
    if (!seen.insert(absolute).second) return;
    const std::string name = absolute.filename().generic_string();
    h.field("folder " + name);
    for (const fs::path& rel : files_under(absolute, ".lua")) {
      add_file(h, name + "/" + rel.generic_string(), absolute / rel);
    }
  };
  for (const fs::path& dir : dirs) {
    add_tree(dir);
    std::error_code ec;
    fs::path parent_lib = fs::absolute(dir, ec).lexically_normal().parent_path() / "lib";
    if (!fs::is_directory(dir / "lib", ec) && fs::is_directory(parent_lib, ec)) {
      add_tree(parent_lib);
    }
  }
  return h.hex_digest();
}

std::string plugins_hash(Engine::Impl& engine) {
  Sha256 h;
  for (const SourceDefinition& source : engine.catalogue->sources) {
    h.field(source.name);
    h.field(source.plugin);
    std::shared_ptr<const PluginLibrary> library =
        engine.plugins ? engine.plugins->find(source.plugin) : nullptr;
    if (!library) {
      h.field("<not loaded>");
      continue;
    }
    h.field(library->version());
    add_file(h, library->path().filename().string(), library->path());
  }
  return h.hex_digest();
}

// Observations as fixed-width bytes, little-endian whatever the machine: the
// period's last month (4 bytes) and length in months (1 byte), a mask of the
// figures present (1 byte: value, numerator, denominator, target), then each
// present figure's IEEE-754 bits (8 bytes each). No text formatting, so
// hashing a national workload costs little more than reading it. The bytes
// are gathered 64 KiB at a time and handed to the hash in one call; on a
// little-endian machine each field is copied as it lies in memory.
class ObservationHasher {
 public:
  explicit ObservationHasher(Sha256& h) : h_(h) {}
  ~ObservationHasher() { flush(); }
  ObservationHasher(const ObservationHasher&) = delete;
  ObservationHasher& operator=(const ObservationHasher&) = delete;

  void add(const Observation& o) {
    const double figures[4] = {o.value.value_or(0.0), o.numerator.value_or(0.0),
                               o.denominator.value_or(0.0), o.target.value_or(0.0)};
    const unsigned mask = (o.value ? 1u : 0u) | (o.numerator ? 2u : 0u) |
                          (o.denominator ? 4u : 0u) | (o.target ? 8u : 0u);
    add(o.period.last_month_index(), o.period.length_in_months(), mask, figures);
  }

  // The points of `columns` whose period ends by month `last`: as add()
  // would put each of columns.observation(i), without making it.
  void add_columns(const SeriesColumns& columns, int last) {
    // Periods ascend by code, whose high bits are the last month.
    const auto end = std::upper_bound(columns.periods.begin(), columns.periods.end(),
                                      static_cast<std::int32_t>(((last + 1) << kPeriodCodeRankBits) - 1));
    const std::size_t count = static_cast<std::size_t>(end - columns.periods.begin());
    const double* column[4] = {columns.values.empty() ? nullptr : columns.values.data(),
                               columns.numerators.empty() ? nullptr : columns.numerators.data(),
                               columns.denominators.empty() ? nullptr : columns.denominators.data(),
                               columns.targets.empty() ? nullptr : columns.targets.data()};
    for (std::size_t i = 0; i < count; ++i) {
      const std::int32_t code = columns.periods[i];
      double figures[4];
      unsigned mask = 0;
      for (int c = 0; c < 4; ++c) {
        figures[c] = column[c] != nullptr ? column[c][i] : SeriesColumns::kBlank;
        if (!std::isnan(figures[c])) mask |= 1u << c;
      }
      add(period_code_end(code), kMonthsByRank[code & ((1 << kPeriodCodeRankBits) - 1)], mask,
          figures);
    }
  }

  // Hands what is gathered to the hash: before anything else is added to it.
  void flush() {
    if (n_ > 0) h_.update(buf_, n_);
    n_ = 0;
  }

 private:
  static constexpr std::size_t kMaxObservation = 6 + 4 * 8;
  // length_in_months() by frequency_rank() (common/period_codes.hpp).
  static constexpr unsigned char kMonthsByRank[8] = {1, 3, 3, 12, 12, 0, 0, 0};
  static constexpr bool kLittleEndian = std::endian::native == std::endian::little;

  // One observation; `figures[i]` is put only where bit i of `mask` is set.
  void add(int last_month, int months, unsigned mask, const double (&figures)[4]) {
    if (n_ + kMaxObservation > sizeof buf_) flush();
    put(static_cast<std::uint32_t>(last_month));
    buf_[n_++] = static_cast<unsigned char>(months);
    buf_[n_++] = static_cast<unsigned char>(mask);
    for (int i = 0; i < 4; ++i) {
      if ((mask & (1u << i)) != 0) put(std::bit_cast<std::uint64_t>(figures[i]));
    }
  }

  template <typename Word>
  void put(Word v) {
    if constexpr (kLittleEndian) {
      std::memcpy(buf_ + n_, &v, sizeof v);
      n_ += sizeof v;
    } else {
      for (std::size_t i = 0; i < sizeof v; ++i) buf_[n_++] = static_cast<unsigned char>(v >> (8 * i));
    }
  }

  Sha256& h_;
  unsigned char buf_[1 << 16];
  std::size_t n_ = 0;
};

}  // namespace

DataHashInputs gather_data_hash_inputs(Engine::Impl& engine,
                                       std::vector<const IndicatorDefinition*> indicators,
                                       std::vector<const SeriesColumns*> columns) {
  DataHashInputs in;
  in.stored.resize(indicators.size());
  for (std::size_t i = 0; i < indicators.size(); ++i) {
    if (columns[i] != nullptr) continue;
    const IndicatorDefinition& def = *indicators[i];
    auto observations = engine.store->load_series(def.source.source, def.source.series);
    if (observations.ok()) in.stored[i] = std::move(*observations);
  }
  in.indicators = std::move(indicators);
  in.columns = std::move(columns);
  return in;
}

// The observations each evaluated indicator read (those up to the reporting
// period) and the records the rules saw.
std::string compute_data_hash(const DataHashInputs& in, const Period& period,
                              const std::string& records_digest,
                              const std::function<void(std::size_t)>& hashed) {
  Sha256 h;
  const int last = period.last_month_index();
  for (std::size_t k = 0; k < in.indicators.size(); ++k) {
    const IndicatorDefinition& def = *in.indicators[k];
    h.field(def.id);
    h.field(def.source.source);
    h.field(def.source.series);
    ObservationHasher add(h);
    if (const SeriesColumns* columns = in.columns[k]) {
      add.add_columns(*columns, last);
      if (hashed) hashed(k);
      continue;
    }
    if (!in.stored[k]) {
      h.field("<unreadable>");
      continue;
    }
    for (const Observation& o : *in.stored[k]) {
      if (o.period.last_month_index() > last) continue;
      add.add(o);
    }
  }
  h.field("records");
  h.field(records_digest);
  return h.hex_digest();
}

RunManifest compute_manifest(Engine::Impl& engine, std::string data_hash,
                             const std::vector<fs::path>& rule_dirs) {
  RunManifest m;
  m.engine_version = version_string();
  m.catalogue_hash = catalogue_hash(*engine.catalogue);
  m.rules_hash = rules_hash(rule_dirs);
  m.plugins_hash = plugins_hash(engine);
  m.data_hash = std::move(data_hash);
  return m;
}

}  // namespace vitals::detail
