// SPDX-License-Identifier: Apache-2.0
#include "store/observation_block.hpp"

#include "common/json_text.hpp"
#include "common/number_format.hpp"
#include "store/series_table.hpp"

#include <algorithm>
#include <array>
#include <cmath>
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

}  // namespace

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
      block += format_json_number(**figures[i]);  // finite: ingest refuses the rest
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
