// SPDX-License-Identifier: Apache-2.0
#include "store/observation_block.hpp"

#include "common/json_text.hpp"
#include "common/number_format.hpp"
#include "store/series_table.hpp"
#include "common/period_codes.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <optional>

namespace vitals::detail {

namespace {

std::optional<double> figure(double stored) {
  if (std::isnan(stored)) return std::nullopt;
  return stored;
}

// A block's text, read point by point.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  Status fail(std::string_view what) const {
    return Status(StatusCode::kInvalidArgument,
                  "observation block at byte " + std::to_string(pos_) + ": " + std::string(what));
  }
  bool consume(char c) {
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool at_end() {
    skip_space();
    return pos_ == text_.size();
  }
  // The characters of a string without escapes, or nullopt.
  std::optional<std::string_view> string() {
    if (!consume('"')) return std::nullopt;
    const std::size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] != '"') {
      const auto c = static_cast<unsigned char>(text_[pos_]);
      if (c == '\\' || c < 0x20) return std::nullopt;
      ++pos_;
    }
    if (pos_ == text_.size()) return std::nullopt;
    return text_.substr(start, pos_++ - start);
  }
  // A finite number or null (NaN); nullptr, or what is wrong.
  const char* figure(double& out) {
    skip_space();
    if (text_.substr(pos_, 4) == "null") {
      pos_ += 4;
      out = SeriesColumns::kBlank;
      return nullptr;
    }
    const std::size_t start = pos_;
    if (const char* error = read_json_number(text_, pos_, out)) return error;
    if (!std::isfinite(out)) {
      pos_ = start;
      return "a figure is too large";
    }
    return nullptr;
  }

 private:
  void skip_space() { pos_ = skip_json_space(text_, pos_); }
  std::string_view text_;
  std::size_t pos_ = 0;
};

// The packed form (observation_block.hpp).
constexpr char kPackedMagic[4] = {'V', 'O', 'B', '1'};
constexpr std::size_t kPackedHeader = 16;
constexpr unsigned kAllFigures = 0xF;

template <typename T>
T to_little(T v) {
  if constexpr (std::endian::native == std::endian::big) {
    auto bytes = std::bit_cast<std::array<unsigned char, sizeof(T)>>(v);
    std::reverse(bytes.begin(), bytes.end());
    return std::bit_cast<T>(bytes);
  }
  return v;
}

template <typename T>
void put(std::string& out, T v) {
  v = to_little(v);
  char bytes[sizeof(T)];
  std::memcpy(bytes, &v, sizeof(T));
  out.append(bytes, sizeof(T));
}

template <typename T>
T get(const char* at) {
  T v;
  std::memcpy(&v, at, sizeof(T));
  return to_little(v);
}

// A 64-bit checksum of `bytes`, eight at a time (multiply and fold, as
// xxHash and wyhash mix): a damaged byte changes it, at memory speed.
std::uint64_t packed_checksum(std::string_view bytes) {
  constexpr std::uint64_t kPrime = 0x9E3779B97F4A7C15ULL;
  std::uint64_t h = 0x5642A7C3D1E9F00DULL ^ (bytes.size() * kPrime);
  auto mix = [&](std::uint64_t word) {
    h ^= word;
    h *= kPrime;
    h ^= h >> 29;
  };
  std::size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) mix(get<std::uint64_t>(bytes.data() + i));
  if (i < bytes.size()) {
    std::uint64_t tail = 0;
    for (std::size_t k = 0; i + k < bytes.size(); ++k) {
      tail |= std::uint64_t{static_cast<unsigned char>(bytes[i + k])} << (8 * k);
    }
    mix(tail);
  }
  mix(bytes.size());
  return h;
}

void append_packed(std::string& packed, std::int32_t period, const std::array<double, 4>& figures) {
  if (packed.empty()) packed.assign(kPackedHeader, '\0');
  put(packed, period);
  const std::size_t mask_at = packed.size();
  packed += '\0';
  unsigned mask = 0;
  for (unsigned i = 0; i < figures.size(); ++i) {
    if (std::isnan(figures[i])) continue;
    mask |= 1u << i;
    put(packed, figures[i]);
  }
  packed[mask_at] = static_cast<char>(mask);
}

// Whether `code` is the packed form of a period (Period::ending() requires
// one), by building that period from its parts and reading its text back.
bool is_period_code(std::int32_t code) {
  if (code < 0 || (code & ((1 << kPeriodCodeRankBits) - 1)) > 4) return false;
  const Frequency f = period_code_frequency(code);
  const int end = period_code_end(code);
  // Month indexes of years 0000 to 9999, and the year after for the last
  // financial year.
  if (end > 10000 * 12 + 11) return false;
  const Period month = Period::month(0, 1).shifted(end);
  return month.latest_complete(f).last_month_index() == end;
}

}  // namespace

void append_packed_point(std::string& packed, const Observation& o) {
  const double blank = SeriesColumns::kBlank;
  append_packed(packed, pack_period(o.period),
                {o.value.value_or(blank), o.numerator.value_or(blank), o.denominator.value_or(blank),
                 o.target.value_or(blank)});
}

void finish_packed_block(std::string& packed) {
  if (packed.empty()) packed.assign(kPackedHeader, '\0');
  std::uint32_t count = 0;
  for (std::size_t at = kPackedHeader; at < packed.size();) {
    const auto mask = static_cast<unsigned char>(packed[at + 4]);
    at += 5 + 8 * static_cast<std::size_t>(std::popcount(mask));
    ++count;
  }
  std::string header(kPackedMagic, sizeof kPackedMagic);
  put(header, count);
  put(header, packed_checksum(std::string_view(packed).substr(kPackedHeader)));
  packed.replace(0, kPackedHeader, header);
}

bool strictly_ascending(const std::vector<BlockPoint>& points) {
  return std::adjacent_find(points.begin(), points.end(), [](const BlockPoint& a, const BlockPoint& b) {
           return a.period >= b.period;
         }) == points.end();
}

std::string pack_block(const std::vector<BlockPoint>& points) {
  std::string packed;
  for (const BlockPoint& p : points) {
    append_packed(packed, p.period, {p.value, p.numerator, p.denominator, p.target});
  }
  finish_packed_block(packed);
  return packed;
}

Status PackedReader::read(std::string_view packed, std::vector<BlockPoint>& out) {
  auto fail = [&](const std::string& what) {
    return Status(StatusCode::kInvalidArgument, "packed observation block: " + what);
  };
  if (packed.size() < kPackedHeader) return fail("shorter than its header");
  if (std::memcmp(packed.data(), kPackedMagic, sizeof kPackedMagic) != 0) {
    return fail("not a packed block (wrong magic)");
  }
  const auto count = get<std::uint32_t>(packed.data() + 4);
  const std::string_view body = packed.substr(kPackedHeader);
  if (get<std::uint64_t>(packed.data() + 8) != packed_checksum(body)) {
    return fail("its checksum does not match its bytes");
  }
  if (body.size() < std::size_t{count} * 5) return fail("shorter than its points");
  const std::size_t before = out.size();
  auto undo = [&](const std::string& what) {
    out.resize(before);
    return fail(what);
  };
  if (before == 0) out.reserve(count);  // later blocks of a series grow it as a vector does
  const char* at = body.data();
  const char* const end = body.data() + body.size();
  std::int32_t last = -1;
  for (std::uint32_t n = 0; n < count; ++n) {
    if (end - at < 5) return undo("point " + std::to_string(n) + " is cut short");
    BlockPoint point;
    point.period = get<std::int32_t>(at);
    const auto mask = static_cast<unsigned char>(at[4]);
    at += 5;
    if (mask > kAllFigures) return undo("point " + std::to_string(n) + " has unknown figures");
    if (point.period <= last) return undo("its periods are not in ascending order");
    last = point.period;
    const auto code = static_cast<std::size_t>(point.period);  // not negative: above `last`
    if (code >= valid_periods_.size() || !valid_periods_[code]) {
      if (!is_period_code(point.period)) return undo("point " + std::to_string(n) + " has no period");
      if (code >= valid_periods_.size()) valid_periods_.resize(code + 1);  // at most about 1 M bits
      valid_periods_[code] = true;
    }
    std::array<double*, 4> figures = {&point.value, &point.numerator, &point.denominator,
                                      &point.target};
    for (unsigned i = 0; i < figures.size(); ++i) {
      if ((mask & (1u << i)) == 0) {
        *figures[i] = SeriesColumns::kBlank;
        continue;
      }
      if (end - at < 8) return undo("point " + std::to_string(n) + " is cut short");
      *figures[i] = get<double>(at);
      at += 8;
      if (!std::isfinite(*figures[i])) {
        return undo("point " + std::to_string(n) + " has a figure that is not finite");
      }
    }
    out.push_back(point);
  }
  if (at != end) return undo("has bytes after its points");
  return Status::ok();
}

Observation BlockPoint::observation() const {
  return Observation{unpack_period(period), figure(value), figure(numerator), figure(denominator),
                     figure(target)};
}

BlockPoint BlockPoint::of(const Observation& o) {
  const double blank = SeriesColumns::kBlank;
  return BlockPoint{pack_period(o.period), o.value.value_or(blank), o.numerator.value_or(blank),
                    o.denominator.value_or(blank), o.target.value_or(blank)};
}

void append_block_point(std::string& block, std::string_view period_text, const Observation& o) {
  block += block.empty() ? "[[\"" : ",[\"";
  block += period_text;
  block += '"';
  const std::array<const std::optional<double>*, 4> figures = {&o.value, &o.numerator,
                                                                &o.denominator, &o.target};
  std::size_t written = figures.size();
  while (written > 0 && !*figures[written - 1]) --written;  // trailing blanks are left out
  for (std::size_t i = 0; i < written; ++i) {
    block += ',';
    if (*figures[i]) {
      // format_json_number()'s text, written in place: a block is built for
      // every series of every ingest. Finite: ingest refuses the rest.
      std::array<char, 64> buf{};
      auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), **figures[i]);
      if (ec == std::errc() && std::isfinite(**figures[i])) {
        block.append(buf.data(), end);
      } else {
        block += "null";
      }
    } else {
      block += "null";
    }
  }
  block += ']';
}

void finish_block(std::string& block) { block += block.empty() ? "[]" : "]"; }

Status BlockReader::read(std::string_view json, std::vector<BlockPoint>& out) {
  Cursor in(json);
  if (!in.consume('[')) return in.fail("expected '['");
  if (!in.consume(']')) {
    do {
      if (!in.consume('[')) return in.fail("expected '[' to begin a point");
      auto text = in.string();
      if (!text) return in.fail("expected a period in quotes");
      text_.assign(*text);
      auto known = periods_.find(text_);
      if (known == periods_.end()) {
        auto parsed = Period::parse(text_);
        if (!parsed.ok()) return in.fail("'" + text_ + "' is not a period");
        known = periods_.emplace(text_, pack_period(*parsed)).first;
      }
      BlockPoint point;
      point.period = known->second;
      std::array<double*, 4> figures = {&point.value, &point.numerator, &point.denominator,
                                        &point.target};
      std::size_t read = 0;
      for (; read < figures.size() && in.consume(','); ++read) {
        if (const char* error = in.figure(*figures[read])) return in.fail(error);
      }
      for (std::size_t i = read; i < figures.size(); ++i) *figures[i] = SeriesColumns::kBlank;
      if (!in.consume(']')) return in.fail("expected ']' to end a point of at most 5 items");
      out.push_back(point);
    } while (in.consume(','));
    if (!in.consume(']')) return in.fail("expected ',' or ']'");
  }
  if (!in.at_end()) return in.fail("unexpected text after the block");
  return Status::ok();
}

std::string unreadable_block(std::int64_t block_id, std::int64_t series_id, const Status& why) {
  return "block " + std::to_string(block_id) + " of series " + std::to_string(series_id) +
         " is unreadable: " + why.message();
}

void keep_current(std::vector<BlockPoint>& points) {
  auto before = [](const BlockPoint& a, const BlockPoint& b) { return a.period < b.period; };
  if (std::adjacent_find(points.begin(), points.end(), [](const BlockPoint& a, const BlockPoint& b) {
        return a.period >= b.period;
      }) == points.end()) {
    return;  // one block, or later blocks only add later periods
  }
  std::stable_sort(points.begin(), points.end(), before);  // a period's revisions stay in order
  std::size_t kept = 0;
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (i + 1 < points.size() && points[i + 1].period == points[i].period) continue;
    points[kept++] = points[i];
  }
  points.resize(kept);
}

}  // namespace vitals::detail
