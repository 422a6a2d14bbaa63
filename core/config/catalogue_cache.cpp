// SPDX-License-Identifier: Apache-2.0
#include "config/catalogue_cache.hpp"

#include "common/output_file.hpp"
#include "common/sha256.hpp"

#include <dlfcn.h>
#include <link.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <system_error>
#include <type_traits>
#include <utility>

namespace vitals::detail {

namespace {

// The first bytes of a cache file, then the format. Raise kFormat whenever
// the encoding below changes.
constexpr char kMagic[] = "vitals catalogue cache\n";
constexpr std::uint32_t kFormat = 2;

// A cached catalogue must be the parsed one in every field: a field the
// encoding forgets would silently take its default on every cached load. So
// each struct the encoding writes is pinned to its size; one that changes
// fails the build here until the Writer and Decoder below write and read the
// new field (and kFormat is raised). The sizes are those of g++ on x86-64.
template <class T, std::size_t Size>
constexpr bool encoded_whole() {
  return sizeof(T) == Size;
}
static_assert(encoded_whole<IndicatorDefinition, 504>(), "a field of IndicatorDefinition is not cached");
static_assert(encoded_whole<Target, 40>(), "a field of Target is not cached");
static_assert(encoded_whole<TargetStep, 16>(), "a field of TargetStep is not cached");
static_assert(encoded_whole<Tolerance, 16>(), "a field of Tolerance is not cached");
static_assert(encoded_whole<RiskMechanism, 128>(), "a field of RiskMechanism is not cached");
static_assert(encoded_whole<CostDriver, 208>(), "a field of CostDriver is not cached");
static_assert(encoded_whole<SourceBinding, 64>(), "a field of SourceBinding is not cached");
static_assert(encoded_whole<DerivedDefinition, 96>(), "a field of DerivedDefinition is not cached");
static_assert(encoded_whole<DerivedInput, 200>(), "a field of DerivedInput is not cached");
static_assert(encoded_whole<Diagnostic, 184>(), "a field of Diagnostic is not cached");
static_assert(encoded_whole<SourceLocation, 40>(), "a field of SourceLocation is not cached");
static_assert(encoded_whole<RuleSettings, 128>(), "a field of RuleSettings is not cached");
static_assert(encoded_whole<RuleSettings::Value, 152>(), "a field of RuleSettings::Value is not cached");
constexpr std::size_t kMagicBytes = sizeof(kMagic) - 1;
constexpr std::size_t kHeaderBytes = kMagicBytes + 4 + 32 + 8;

// Little-endian fixed-size fields and length-prefixed texts.
class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}
  void u8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u32(std::uint32_t v) { raw(&v, sizeof v); }
  void i32(int v) { u32(static_cast<std::uint32_t>(v)); }
  void u64(std::uint64_t v) { raw(&v, sizeof v); }
  void f64(double v) { raw(&v, sizeof v); }
  void text(std::string_view s) {
    u32(static_cast<std::uint32_t>(s.size()));
    out_.append(s);
  }
  void raw(const void* p, std::size_t n) { out_.append(static_cast<const char*>(p), n); }

 private:
  static_assert(std::endian::native == std::endian::little, "the cache is written little-endian");
  std::string& out_;
};

// Every read is checked against what is left; after a failure ok() is false
// and every read gives zero.
class Reader {
 public:
  explicit Reader(std::string_view in) : p_(in.data()), end_(in.data() + in.size()) {}
  std::uint8_t u8() {
    std::uint8_t v = 0;
    raw(&v, 1);
    return v;
  }
  std::uint32_t u32() {
    std::uint32_t v = 0;
    raw(&v, sizeof v);
    return v;
  }
  int i32() { return static_cast<int>(u32()); }
  std::uint64_t u64() {
    std::uint64_t v = 0;
    raw(&v, sizeof v);
    return v;
  }
  double f64() {
    double v = 0;
    raw(&v, sizeof v);
    return v;
  }
  std::string_view view(std::size_t n) {
    if (!ok_ || static_cast<std::size_t>(end_ - p_) < n) {
      ok_ = false;
      return {};
    }
    std::string_view out(p_, n);
    p_ += n;
    return out;
  }
  std::string text() { return std::string(view(u32())); }
  // A count of items each at least `min_bytes` long: refused when more than
  // what is left could hold, so a damaged count cannot ask for memory.
  std::size_t count(std::size_t min_bytes) {
    std::size_t n = u32();
    if (n > static_cast<std::size_t>(end_ - p_) / min_bytes) ok_ = false;
    return ok_ ? n : 0;
  }
  template <typename Enum>
  Enum enumeration(Enum last) {
    std::uint8_t v = u8();
    if (v > static_cast<std::uint8_t>(last)) ok_ = false;
    return ok_ ? static_cast<Enum>(v) : Enum{};
  }
  void fail() { ok_ = false; }
  bool ok() const { return ok_; }
  bool at_end() const { return p_ == end_; }

 private:
  void raw(void* out, std::size_t n) {
    std::string_view v = view(n);
    if (ok_) std::memcpy(out, v.data(), n);
  }
  const char* p_;
  const char* end_;
  bool ok_ = true;
};

// Encoding and decoding, one function pair per type, fields in declaration order.
struct Encoder {
  Writer& w;
  const std::string& file;

  void location(const SourceLocation& loc) {
    if (loc.file == file) {
      w.u8(0);
    } else {
      w.u8(1);
      w.text(loc.file);
    }
    w.i32(loc.line);
    w.i32(loc.column);
  }
  void optional_location(const std::optional<SourceLocation>& loc) {
    w.u8(loc ? 1 : 0);
    if (loc) location(*loc);
  }
  void texts(const std::vector<std::string>& v) {
    w.u32(static_cast<std::uint32_t>(v.size()));
    for (const std::string& s : v) w.text(s);
  }
  void period(const Period& p) {
    w.u8(static_cast<std::uint8_t>(p.frequency()));
    w.i32(p.last_month_index());
  }
  void param(const ParamValue& v) {
    w.u8(static_cast<std::uint8_t>(v.index()));
    if (const bool* b = std::get_if<bool>(&v)) w.u8(*b ? 1 : 0);
    if (const std::int64_t* i = std::get_if<std::int64_t>(&v)) w.u64(static_cast<std::uint64_t>(*i));
    if (const double* d = std::get_if<double>(&v)) w.f64(*d);
    if (const std::string* s = std::get_if<std::string>(&v)) w.text(*s);
  }
  void binding(const SourceBinding& b) {
    w.text(b.source);
    w.text(b.series);
  }
  void diagnostic(const Diagnostic& d) {
    w.u8(static_cast<std::uint8_t>(d.severity));
    w.text(d.code);
    w.text(d.message);
    optional_location(d.location);
    w.text(d.indicator_id);
    w.text(d.rule_id);
  }
  void definition(const IndicatorDefinition& d) {
    w.text(d.id);
    w.text(d.title);
    w.text(d.description);
    w.u8(static_cast<std::uint8_t>(d.polarity));
    w.u8(static_cast<std::uint8_t>(d.unit));
    w.u8(d.decimals ? 1 : 0);
    w.i32(d.decimals.value_or(0));
    w.u8(static_cast<std::uint8_t>(d.frequency));
    w.u8(static_cast<std::uint8_t>(d.target.kind));
    w.f64(d.target.fixed_value);
    w.u32(static_cast<std::uint32_t>(d.target.profile.size()));
    for (const TargetStep& step : d.target.profile) {
      period(step.from);
      w.f64(step.value);
    }
    w.f64(d.tolerance.red_variance_pct);
    w.f64(d.tolerance.amber_variance_pct);
    w.i32(d.allowed_lag);
    w.text(d.lead_officer);
    w.text(d.data_owner);
    texts(d.budget_lines);
    texts(d.risks);
    w.u32(static_cast<std::uint32_t>(d.risk_mechanisms.size()));
    for (const RiskMechanism& m : d.risk_mechanisms) {
      w.text(m.risk_id);
      w.u8(static_cast<std::uint8_t>(m.measures));
      w.text(m.quote);
      w.u8(static_cast<std::uint8_t>(m.when));
      w.f64(m.threshold);
      location(m.location);
    }
    w.u8(d.cost_driver ? 1 : 0);
    if (const CostDriver* c = d.cost_driver.get()) {
      w.text(c->budget_line);
      w.f64(c->unit_cost);
      w.u8(static_cast<std::uint8_t>(c->per));
      w.u8(c->population ? 1 : 0);
      w.f64(c->population.value_or(0.0));
      w.text(c->population_label);
      w.text(c->unit_label);
      w.u8(c->unit_cost_illustrative ? 1 : 0);
      w.u8(c->population_illustrative ? 1 : 0);
      w.text(c->source);
      location(c->location);
    }
    binding(d.source);
    w.u8(d.derived ? 1 : 0);
    if (const DerivedDefinition* derived = d.derived.get()) {
      w.u8(static_cast<std::uint8_t>(derived->operation));
      w.u32(static_cast<std::uint32_t>(derived->inputs.size()));
      for (const DerivedInput& in : derived->inputs) {
        w.text(in.role);
        w.text(in.reference);
        w.text(in.indicator_id);
        binding(in.series);
        location(in.location);
      }
      texts(derived->sources);
      location(derived->location);
    }
    w.u32(static_cast<std::uint32_t>(d.rule_params.size()));
    for (const auto& [rule, params] : d.rule_params) {
      w.text(rule);
      w.u32(static_cast<std::uint32_t>(params.size()));
      for (const auto& [name, value] : params) {
        w.text(name);
        param(value);
      }
    }
    location(d.location);
  }
  void rule_settings(const RuleSettings& s) {
    w.text(s.rule_id);
    w.text(s.indicator_id);
    location(s.location);
    w.u32(static_cast<std::uint32_t>(s.values.size()));
    for (const RuleSettings::Value& v : s.values) {
      w.text(v.name);
      param(v.value);
      location(v.key_location);
      location(v.value_location);
    }
  }
};

struct Decoder {
  Reader& r;
  const std::string& file;

  SourceLocation location() {
    SourceLocation loc;
    std::uint8_t named = r.u8();
    if (named > 1) r.fail();
    loc.file = named == 1 ? r.text() : file;
    loc.line = r.i32();
    loc.column = r.i32();
    return loc;
  }
  std::optional<SourceLocation> optional_location() {
    if (flag()) return location();
    return std::nullopt;
  }
  bool flag() {
    std::uint8_t v = r.u8();
    if (v > 1) r.fail();
    return v == 1;
  }
  std::vector<std::string> texts() {
    std::vector<std::string> v(r.count(4));
    for (std::string& s : v) s = r.text();
    return v;
  }
  Period period() {
    Frequency f = r.enumeration(Frequency::kFinancialQuarterly);
    int last = r.i32();
    if (!r.ok()) return Period{};
    Period p = Period::ending(f, last);
    // Period::ending() rounds to its frequency: a value it changes was not written by us.
    if (p.last_month_index() != last) r.fail();
    return p;
  }
  ParamValue param() {
    switch (r.u8()) {
      case 0: return flag();
      case 1: return static_cast<std::int64_t>(r.u64());
      case 2: return r.f64();
      case 3: return r.text();
      default: r.fail(); return false;
    }
  }
  SourceBinding binding() {
    SourceBinding b;
    b.source = r.text();
    b.series = r.text();
    return b;
  }
  Diagnostic diagnostic() {
    Diagnostic d;
    d.severity = r.enumeration(Severity::kNote);
    d.code = r.text();
    d.message = r.text();
    d.location = optional_location();
    d.indicator_id = r.text();
    d.rule_id = r.text();
    return d;
  }
  IndicatorDefinition definition() {
    IndicatorDefinition d;
    d.id = r.text();
    d.title = r.text();
    d.description = r.text();
    d.polarity = r.enumeration(Polarity::kSmallerIsBetter);
    d.unit = r.enumeration(Unit::kNumber);
    const bool has_decimals = flag();
    const int decimals = r.i32();
    if (decimals < 0 || decimals > kMaxDecimals) r.fail();
    if (has_decimals) d.decimals = decimals;
    d.frequency = r.enumeration(Frequency::kFinancialQuarterly);
    d.target.kind = r.enumeration(Target::Kind::kProfiled);
    d.target.fixed_value = r.f64();
    d.target.profile.resize(r.count(13));
    for (TargetStep& step : d.target.profile) {
      step.from = period();
      step.value = r.f64();
    }
    d.tolerance.red_variance_pct = r.f64();
    d.tolerance.amber_variance_pct = r.f64();
    d.allowed_lag = r.i32();
    d.lead_officer = r.text();
    d.data_owner = r.text();
    d.budget_lines = texts();
    d.risks = texts();
    d.risk_mechanisms.resize(r.count(27));
    for (RiskMechanism& m : d.risk_mechanisms) {
      m.risk_id = r.text();
      m.measures = r.enumeration(RiskMechanism::Measures::kMitigation);
      m.quote = r.text();
      m.when = r.enumeration(RiskMechanism::When::kThreshold);
      m.threshold = r.f64();
      m.location = location();
    }
    if (flag()) {
      auto c = std::make_shared<CostDriver>();
      c->budget_line = r.text();
      c->unit_cost = r.f64();
      c->per = r.enumeration(CostDriver::Per::kOnce);
      bool has_population = flag();
      double population = r.f64();
      if (has_population) c->population = population;
      c->population_label = r.text();
      c->unit_label = r.text();
      c->unit_cost_illustrative = flag();
      c->population_illustrative = flag();
      c->source = r.text();
      c->location = location();
      d.cost_driver = std::move(c);
    }
    d.source = binding();
    if (flag()) {
      auto derived = std::make_shared<DerivedDefinition>();
      derived->operation = r.enumeration(DerivedOperation::kYearToDate);
      derived->inputs.resize(r.count(29));
      for (DerivedInput& in : derived->inputs) {
        in.role = r.text();
        in.reference = r.text();
        in.indicator_id = r.text();
        in.series = binding();
        in.location = location();
      }
      derived->sources = texts();
      derived->location = location();
      d.derived = std::move(derived);
    }
    std::size_t rules = r.count(8);
    for (std::size_t i = 0; i < rules && r.ok(); ++i) {
      std::map<std::string, ParamValue>& params = d.rule_params[r.text()];
      std::size_t n = r.count(5);
      for (std::size_t k = 0; k < n && r.ok(); ++k) {
        std::string name = r.text();
        params[std::move(name)] = param();
      }
    }
    d.location = location();
    return d;
  }
  RuleSettings rule_settings() {
    RuleSettings s;
    s.rule_id = r.text();
    s.indicator_id = r.text();
    s.location = location();
    s.values.resize(r.count(23));
    for (RuleSettings::Value& v : s.values) {
      v.name = r.text();
      v.value = param();
      v.key_location = location();
      v.value_location = location();
    }
    return s;
  }
};

ContentDigest digest_of(std::string_view bytes) {
  Sha256 h;
  h.update(bytes);
  return h.digest();
}

}  // namespace

std::string encode_parsed_file(const ParsedIndicatorFile& parsed, const std::string& file) {
  std::string out;
  Writer w(out);
  Encoder e{w, file};
  w.u32(static_cast<std::uint32_t>(parsed.diagnostics.size()));
  for (const Diagnostic& d : parsed.diagnostics) e.diagnostic(d);
  w.u32(static_cast<std::uint32_t>(parsed.indicators.size()));
  for (const ParsedIndicator& p : parsed.indicators) {
    e.definition(p.definition);
    e.optional_location(p.id_location);
    w.u32(static_cast<std::uint32_t>(p.rule_settings.size()));
    for (const RuleSettings& s : p.rule_settings) e.rule_settings(s);
  }
  return out;
}

std::optional<ParsedIndicatorFile> decode_parsed_file(std::string_view bytes,
                                                      const std::string& file) {
  Reader r(bytes);
  Decoder d{r, file};
  ParsedIndicatorFile parsed;
  parsed.diagnostics.resize(r.count(19));
  for (Diagnostic& diag : parsed.diagnostics) diag = d.diagnostic();
  parsed.indicators.resize(r.count(64));
  for (ParsedIndicator& p : parsed.indicators) {
    if (!r.ok()) break;
    p.definition = d.definition();
    p.id_location = d.optional_location();
    p.rule_settings.resize(r.count(21));
    for (RuleSettings& s : p.rule_settings) s = d.rule_settings();
  }
  if (!r.ok() || !r.at_end()) return std::nullopt;
  return parsed;
}

CatalogueCache CatalogueCache::read(const std::filesystem::path& path,
                                    const ContentDigest& context, std::string& problem) {
  CatalogueCache cache;
  std::ifstream in(path, std::ios::binary);
  if (!in) return cache;  // no cache yet
  std::string data;
  in.seekg(0, std::ios::end);
  const std::streamoff length = in.tellg();
  in.seekg(0, std::ios::beg);
  if (length > 0) {
    data.resize(static_cast<std::size_t>(length));
    in.read(data.data(), length);
  }
  if (length < 0 || in.gcount() != std::max<std::streamoff>(length, 0) || in.bad()) {
    problem = "it could not be read";
    return cache;
  }
  Reader header(data);
  if (header.view(kMagicBytes) != std::string_view(kMagic, kMagicBytes)) {
    problem = "it is not a catalogue cache";
    return cache;
  }
  if (header.u32() != kFormat) {
    problem = "it was written in another format";
    return cache;
  }
  std::string_view stated = header.view(32);
  std::uint64_t size = header.u64();
  if (!header.ok() || data.size() - kHeaderBytes != size) {
    problem = "it is truncated or has bytes added";
    return cache;
  }
  std::string_view payload = std::string_view(data).substr(kHeaderBytes);
  const ContentDigest actual = digest_of(payload);
  if (std::memcmp(actual.data(), stated.data(), actual.size()) != 0) {
    problem = "its checksum does not match its contents";
    return cache;
  }
  Reader r(payload);
  std::string_view made_in = r.view(32);
  if (!r.ok() || std::memcmp(made_in.data(), context.data(), context.size()) != 0) {
    // Another catalogue folder, catalogue.toml or build: every file is parsed again.
    problem = "it was made for another catalogue.toml, folder or build";
    return cache;
  }
  // The payload's bytes are referred to by the entries: keep them in place.
  cache.data_ = std::move(data);
  Reader entries(std::string_view(cache.data_).substr(kHeaderBytes + 32));
  std::size_t n = entries.count(40);
  for (std::size_t i = 0; i < n && entries.ok(); ++i) {
    std::string_view file = entries.view(entries.u32());
    std::string_view digest = entries.view(32);
    std::string_view bytes = entries.view(entries.u32());
    if (!entries.ok()) break;
    Found found;
    std::memcpy(found.digest.data(), digest.data(), found.digest.size());
    found.bytes = bytes;
    cache.entries_.emplace(std::string(file), found);
  }
  if (!entries.ok() || !entries.at_end()) {
    problem = "its entries are damaged";
    cache.entries_.clear();
    cache.data_.clear();
  }
  return cache;
}

std::optional<ParsedIndicatorFile> CatalogueCache::find(const std::string& file,
                                                        const ContentDigest& digest,
                                                        std::string_view& bytes) const {
  auto it = entries_.find(file);
  if (it == entries_.end() || it->second.digest != digest) return std::nullopt;
  std::optional<ParsedIndicatorFile> parsed = decode_parsed_file(it->second.bytes, file);
  if (parsed) bytes = it->second.bytes;
  return parsed;
}

bool CatalogueCache::write(const std::filesystem::path& path, const ContentDigest& context,
                           const std::vector<Entry>& entries, std::string& problem) {
  std::string payload;
  Writer w(payload);
  w.raw(context.data(), context.size());
  w.u32(static_cast<std::uint32_t>(entries.size()));
  for (const Entry& e : entries) {
    w.text(e.file);
    w.raw(e.digest.data(), e.digest.size());
    w.text(e.bytes);
  }
  std::string header;
  Writer h(header);
  h.raw(kMagic, kMagicBytes);
  h.u32(kFormat);
  const ContentDigest sum = digest_of(payload);
  h.raw(sum.data(), sum.size());
  h.u64(payload.size());

  // The cache can always be rebuilt, so it is not flushed to the disk.
  const Status written = detail::replace_file(
      path,
      [&header, &payload](std::ostream& out) {
        out.write(header.data(), static_cast<std::streamsize>(header.size()));
        out.write(payload.data(), static_cast<std::streamsize>(payload.size()));
        return static_cast<bool>(out);
      },
      detail::FileSync::kNone);
  if (!written.is_ok()) {
    problem = written.message();
    return false;
  }
  return true;
}

namespace {

void add_path(Sha256& h, const std::filesystem::path& path) { h.field(path.string()); }

}  // namespace

ContentDigest catalogue_cache_context(std::string_view version, std::string_view build,
                                      const std::filesystem::path& dir,
                                      const std::string* catalogue_text,
                                      const Catalogue* declared) {
  Sha256 h;
  h.field("vitals catalogue cache");
  h.field(version);
  h.field(build);
  h.field(dir.string());
  if (declared == nullptr || catalogue_text == nullptr) {
    h.field("no catalogue.toml");
    return h.digest();
  }
  h.field("catalogue.toml");
  h.field(*catalogue_text);
  add_path(h, declared->root);
  add_path(h, declared->report_templates);
  add_path(h, declared->meetings_dir);
  h.field("rule_dirs");
  for (const auto& p : declared->rule_dirs) add_path(h, p);
  h.field("data_dirs");
  for (const auto& p : declared->data_dirs) add_path(h, p);
  h.field("sources");
  for (const SourceDefinition& source : declared->sources) {
    h.field(source.name);
    add_path(h, source.base_dir);
    for (const auto& p : source.data_dirs) add_path(h, p);
  }
  return h.digest();
}

std::filesystem::path catalogue_cache_path(const std::filesystem::path& store_path) {
  if (store_path.empty() || store_path == ":memory:") return {};
  std::filesystem::path out = store_path;
  out += ".catalogue-cache";
  return out;
}

std::optional<std::string> running_build_identity() {
  Dl_info info{};
  link_map* map = nullptr;
  if (::dladdr1(reinterpret_cast<void*>(&running_build_identity), &info,
                reinterpret_cast<void**>(&map), RTLD_DL_LINKMAP) == 0 ||
      map == nullptr || map->l_name == nullptr) {
    return std::nullopt;
  }
  // The program itself has no name in its link map: its file is /proc/self/exe.
  const std::string file = map->l_name[0] == '\0' ? "/proc/self/exe" : map->l_name;
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) return std::nullopt;
  return std::to_string(st.st_dev) + "|" + std::to_string(st.st_ino) + "|" +
         std::to_string(st.st_size) + "|" + std::to_string(st.st_mtim.tv_sec) + "." +
         std::to_string(st.st_mtim.tv_nsec);
}

}  // namespace vitals::detail
