// SPDX-License-Identifier: Apache-2.0
// Writes a synthetic national-scale workload for the benchmark: every English
// council with social-care responsibilities (150 by default) times 1,000
// monthly indicators over ten years, as a Vitals catalogue plus one long-format
// CSV, and the same definitions as plain CSV for the pandas reference.
//
//   vitals_bench_generate --out DIR [--councils 150] [--indicators 1000]
//                         [--months 120] [--end 2025-03] [--seed 20170619]
//                         --rules DIR
//
// The output is a pure function of the arguments (seeded, no clock).
#include "workload.hpp"

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <string_view>

namespace fs = std::filesystem;
using vitals::bench::WorkloadSpec;

namespace {

// A buffered writer: the CSV is hundreds of megabytes, so no iostreams.
class Out {
 public:
  explicit Out(const fs::path& path) : file_(std::fopen(path.c_str(), "wb")), path_(path) {
    if (!file_) {
      std::cerr << "vitals_bench_generate: cannot write " << path << "\n";
      std::exit(1);
    }
    buf_.reserve(kFlushAt + 4096);
  }
  ~Out() { close(); }
  Out(const Out&) = delete;
  Out& operator=(const Out&) = delete;

  Out& operator<<(std::string_view s) {
    buf_.append(s);
    if (buf_.size() >= kFlushAt) flush();
    return *this;
  }
  Out& operator<<(char c) {
    buf_.push_back(c);
    return *this;
  }
  Out& operator<<(long long n) {
    char tmp[32];
    auto r = std::to_chars(tmp, tmp + sizeof tmp, n);
    buf_.append(tmp, r.ptr);
    return *this;
  }
  // A figure with `decimals` digits after the point, as a spreadsheet exports it.
  void fixed(double v, int decimals) {
    char tmp[64];
    auto r = std::to_chars(tmp, tmp + sizeof tmp, v, std::chars_format::fixed, decimals);
    buf_.append(tmp, r.ptr);
  }
  void close() {
    if (!file_) return;
    flush();
    if (std::fclose(file_) != 0) {
      std::cerr << "vitals_bench_generate: cannot write " << path_ << "\n";
      std::exit(1);
    }
    file_ = nullptr;
  }

 private:
  static constexpr std::size_t kFlushAt = 1 << 20;
  void flush() {
    if (!buf_.empty() && std::fwrite(buf_.data(), 1, buf_.size(), file_) != buf_.size()) {
      std::cerr << "vitals_bench_generate: cannot write " << path_ << "\n";
      std::exit(1);
    }
    buf_.clear();
  }
  std::FILE* file_;
  fs::path path_;
  std::string buf_;
};

const char* arg_value(int& i, int argc, char** argv) {
  if (i + 1 >= argc) {
    std::cerr << "vitals_bench_generate: " << argv[i] << " needs a value\n";
    std::exit(2);
  }
  return argv[++i];
}

int to_int(const char* text, const char* what) {
  int v = 0;
  auto r = std::from_chars(text, text + std::strlen(text), v);
  if (r.ec != std::errc() || *r.ptr != '\0' || v <= 0) {
    std::cerr << "vitals_bench_generate: " << what << " must be a positive whole number\n";
    std::exit(2);
  }
  return v;
}

std::string toml_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

void write_catalogue_toml(const fs::path& dir, const fs::path& rules) {
  Out out(dir / "catalogue.toml");
  out << "# A synthetic national workload for the Vitals benchmark (bench/README.md).\n"
      << "[catalogue]\nname = \"National benchmark\"\n"
      << "committee = \"Adult social care, every council\"\n"
      << "rule_dirs = [" << toml_string(rules.generic_string()) << "]\n\n"
      << "[tolerance]\nred_variance_pct = 5.0\namber_variance_pct = 0.0\n\n"
      << "[rules.deterioration]\nrun = 3\n\n"
      << "[sources.national]\nplugin = \"csv\"\npath = \"data/observations.csv\"\n";
}

void write_indicators(const WorkloadSpec& spec, const fs::path& catalogue_dir,
                      const fs::path& reference_dir) {
  fs::create_directories(catalogue_dir / "indicators");
  Out meta(reference_dir / "indicators.csv");
  Out profiles(reference_dir / "target_profile.csv");
  meta << "indicator_id,polarity,red_variance_pct,allowed_lag,variance_pct,run,fixed_target\n";
  profiles << "indicator_id,from_period,target\n";
  for (int c = 1; c <= spec.councils; ++c) {
    Out toml(catalogue_dir / "indicators" / (vitals::bench::council_id(c) + ".toml"));
    toml << "# " << vitals::bench::council_name(c) << "\n";
    for (int i = 1; i <= spec.indicators; ++i) {
      vitals::bench::IndicatorSpec ind = vitals::bench::indicator_spec(spec, c, i);
      toml << "\n[[indicator]]\nid = \"" << ind.id << "\"\ntitle = " << toml_string(ind.title)
           << "\npolarity = \"" << (ind.bigger_is_better ? "bigger" : "smaller")
           << "\"\nunit = \"" << ind.unit << "\"\nfrequency = \"monthly\"\n";
      if (ind.target_kind == vitals::bench::TargetKind::kFixed) {
        toml << "target = ";
        toml.fixed(ind.fixed_target, 1);
        toml << '\n';
      } else if (ind.target_kind == vitals::bench::TargetKind::kProfiled) {
        toml << "target_profile = { ";
        for (std::size_t k = 0; k < ind.profile.size(); ++k) {
          if (k > 0) toml << ", ";
          toml << '"' << ind.profile[k].first << "\" = ";
          toml.fixed(ind.profile[k].second, 1);
        }
        toml << " }\n";
      }
      if (ind.red_variance_pct != 5.0) {
        toml << "tolerance = { red_variance_pct = ";
        toml.fixed(ind.red_variance_pct, 1);
        toml << " }\n";
      }
      if (ind.allowed_lag > 0) toml << "allowed_lag = " << static_cast<long long>(ind.allowed_lag) << '\n';
      toml << "lead_officer = \"Director of Adult Social Services\"\nsource = \"national\"\n";
      if (ind.variance_pct != 5.0) {
        toml << "\n[indicator.rules.off_target]\nvariance_pct = ";
        toml.fixed(ind.variance_pct, 1);
        toml << '\n';
      }
      if (ind.run != 3) {
        toml << "\n[indicator.rules.deterioration]\nrun = " << static_cast<long long>(ind.run)
             << '\n';
      }

      meta << ind.id << ',' << (ind.bigger_is_better ? "bigger" : "smaller") << ',';
      meta.fixed(ind.red_variance_pct, 1);
      meta << ',' << static_cast<long long>(ind.allowed_lag) << ',';
      meta.fixed(ind.variance_pct, 1);
      meta << ',' << static_cast<long long>(ind.run) << ',';
      if (ind.target_kind == vitals::bench::TargetKind::kFixed) meta.fixed(ind.fixed_target, 1);
      meta << '\n';
      if (ind.target_kind == vitals::bench::TargetKind::kProfiled) {
        for (const auto& [from, value] : ind.profile) {
          profiles << ind.id << ',' << from << ',';
          profiles.fixed(value, 1);
          profiles << '\n';
        }
      }
    }
  }
}

// Copies the two shipped rules the benchmark measures (off_target and
// deterioration, wherever they sit under `tree`) and the tree's lib/ into
// `to`, as a pack `to`/council beside `to`/lib. Returns the pack.
fs::path copy_rules(const fs::path& tree, const fs::path& to) {
  std::error_code ec;
  fs::remove_all(to, ec);
  fs::create_directories(to / "council");
  int found = 0;
  for (auto it = fs::recursive_directory_iterator(tree); it != fs::recursive_directory_iterator();
       ++it) {
    const std::string name = it->path().filename().string();
    if (it->is_regular_file() && (name == "off_target.lua" || name == "deterioration.lua")) {
      fs::copy_file(it->path(), to / "council" / name, fs::copy_options::overwrite_existing);
      ++found;
    }
  }
  if (found != 2 || !fs::is_directory(tree / "lib")) {
    std::cerr << "vitals_bench_generate: --rules must be the shipped rules folder (with lib/, "
                 "off_target.lua and deterioration.lua)\n";
    std::exit(2);
  }
  fs::copy(tree / "lib", to / "lib", fs::copy_options::recursive);
  return to / "council";
}

long long write_observations(const WorkloadSpec& spec, const fs::path& path) {
  Out out(path);
  out << "indicator_id,period,value,numerator,denominator,target\n";
  long long rows = 0;
  std::vector<vitals::bench::Row> series;
  for (int c = 1; c <= spec.councils; ++c) {
    for (int i = 1; i <= spec.indicators; ++i) {
      vitals::bench::IndicatorSpec ind = vitals::bench::indicator_spec(spec, c, i);
      vitals::bench::series_rows(spec, ind, series);
      for (const vitals::bench::Row& r : series) {
        out << ind.id << ',' << r.period << ',';
        if (r.has_value) out.fixed(r.value, ind.decimals);
        out << ',';
        if (r.has_fraction) out << static_cast<long long>(r.numerator);
        out << ',';
        if (r.has_fraction) out << static_cast<long long>(r.denominator);
        out << ',';
        if (r.has_target) out.fixed(r.target, 1);
        out << '\n';
        ++rows;
      }
    }
  }
  return rows;
}

}  // namespace

int main(int argc, char** argv) {
  WorkloadSpec spec;
  fs::path out_dir;
  fs::path rules;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--out") {
      out_dir = arg_value(i, argc, argv);
    } else if (a == "--councils") {
      spec.councils = to_int(arg_value(i, argc, argv), "--councils");
    } else if (a == "--indicators") {
      spec.indicators = to_int(arg_value(i, argc, argv), "--indicators");
    } else if (a == "--months") {
      spec.months = to_int(arg_value(i, argc, argv), "--months");
    } else if (a == "--end") {
      auto end = vitals::Period::parse(arg_value(i, argc, argv));
      if (!end.ok() || end->frequency() != vitals::Frequency::kMonthly) {
        std::cerr << "vitals_bench_generate: --end must be a month, e.g. 2025-03\n";
        return 2;
      }
      spec.end = *end;
    } else if (a == "--seed") {
      spec.seed = std::strtoull(arg_value(i, argc, argv), nullptr, 10);
    } else if (a == "--rules") {
      rules = arg_value(i, argc, argv);
    } else if (a == "--help" || a == "-h") {
      std::cout << "usage: vitals_bench_generate --out DIR --rules DIR [--councils N] "
                   "[--indicators N] [--months N] [--end YYYY-MM] [--seed N]\n";
      return 0;
    } else {
      std::cerr << "vitals_bench_generate: unknown argument " << a << "\n";
      return 2;
    }
  }
  if (out_dir.empty() || rules.empty()) {
    std::cerr << "vitals_bench_generate: --out and --rules are required\n";
    return 2;
  }
  if (spec.indicators > 9999 || spec.councils > 999) {
    std::cerr << "vitals_bench_generate: at most 999 councils and 9999 indicators\n";
    return 2;
  }
  if (!fs::is_directory(rules)) {
    std::cerr << "vitals_bench_generate: --rules " << rules.string()
              << " is not a folder (the project's rules/, e.g. --rules rules from the checkout)\n";
    return 2;
  }
  const fs::path catalogue_dir = out_dir / "catalogue";
  const fs::path reference_dir = out_dir / "reference";
  try {
    std::error_code ec;
    fs::remove_all(catalogue_dir, ec);
    fs::remove_all(reference_dir, ec);
    fs::create_directories(catalogue_dir / "data");
    fs::create_directories(reference_dir);

    const fs::path rule_pack = copy_rules(fs::absolute(rules).lexically_normal(), out_dir / "rules");
    write_catalogue_toml(catalogue_dir, fs::absolute(rule_pack).lexically_normal());
    write_indicators(spec, catalogue_dir, reference_dir);
    long long rows = write_observations(spec, catalogue_dir / "data" / "observations.csv");
    std::cout << "wrote " << spec.councils * static_cast<long long>(spec.indicators)
              << " indicators and " << rows << " observations to " << out_dir.string() << "\n";
  } catch (const fs::filesystem_error& e) {
    std::cerr << "vitals_bench_generate: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
