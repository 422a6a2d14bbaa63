// SPDX-License-Identifier: Apache-2.0
#include <vitals/evaluation.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <stdexcept>

namespace vitals {

namespace {

// Up to this many entries a binary insertion sort is used: evidence is a
// handful of entries, and unlike std::stable_sort it allocates nothing.
constexpr std::size_t kInsertionSortMax = 32;

bool key_less(const Evidence::value_type& a, const Evidence::value_type& b) {
  return a.first < b.first;
}

[[noreturn]] void throw_missing(std::string_view key) {
  throw std::out_of_range("Evidence::at: no key '" + std::string(key) + "'");
}

}  // namespace

Evidence::Evidence(std::vector<value_type> entries) : entries_(std::move(entries)) {
  auto not_before = [](const value_type& a, const value_type& b) { return !(a.first < b.first); };
  if (std::adjacent_find(entries_.begin(), entries_.end(), not_before) == entries_.end()) return;
  // A stable sort keeps equal keys in their given order, so the last of them
  // is the one to keep.
  if (entries_.size() <= kInsertionSortMax) {
    // Sort the positions (an insertion sort, stable), then move each entry
    // once into place by following the permutation's cycles.
    const std::size_t n = entries_.size();
    std::array<std::uint8_t, kInsertionSortMax> order;
    for (std::size_t i = 0; i < n; ++i) {
      const auto item = static_cast<std::uint8_t>(i);
      std::size_t j = i;
      for (; j > 0 && entries_[item].first < entries_[order[j - 1]].first; --j) order[j] = order[j - 1];
      order[j] = item;
    }
    std::array<bool, kInsertionSortMax> placed{};
    for (std::size_t start = 0; start < n; ++start) {
      if (placed[start] || order[start] == start) continue;
      value_type held = std::move(entries_[start]);
      std::size_t at = start;
      for (std::size_t from = order[at]; from != start; at = from, from = order[at]) {
        entries_[at] = std::move(entries_[from]);
        placed[at] = true;
      }
      entries_[at] = std::move(held);
      placed[at] = true;
    }
  } else {
    std::stable_sort(entries_.begin(), entries_.end(), key_less);
  }
  auto out = entries_.begin();
  for (auto it = entries_.begin(); it != entries_.end();) {
    auto last = it;
    while (last + 1 != entries_.end() && (last + 1)->first == it->first) ++last;
    if (out != last) *out = std::move(*last);
    ++out;
    it = last + 1;
  }
  entries_.erase(out, entries_.end());
}

Evidence::Evidence(std::initializer_list<value_type> entries)
    : Evidence(std::vector<value_type>(entries)) {}

Evidence::size_type Evidence::lower_bound(std::string_view key) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), key,
                             [](const value_type& e, std::string_view k) { return e.first < k; });
  return static_cast<size_type>(it - entries_.begin());
}

Evidence::size_type Evidence::index_of(std::string_view key) const {
  size_type i = lower_bound(key);
  return i < entries_.size() && entries_[i].first == key ? i : entries_.size();
}

Evidence::const_iterator Evidence::find(std::string_view key) const {
  return entries_.begin() + static_cast<std::ptrdiff_t>(index_of(key));
}

const EvidenceValue& Evidence::at(std::string_view key) const {
  size_type i = index_of(key);
  if (i == entries_.size()) throw_missing(key);
  return entries_[i].second;
}

EvidenceValue& Evidence::at(std::string_view key) {
  size_type i = index_of(key);
  if (i == entries_.size()) throw_missing(key);
  return entries_[i].second;
}

EvidenceValue& Evidence::operator[](std::string_view key) {
  size_type i = lower_bound(key);
  if (i == entries_.size() || entries_[i].first != key) {
    entries_.emplace(entries_.begin() + static_cast<std::ptrdiff_t>(i), std::string(key),
                     EvidenceValue());
  }
  return entries_[i].second;
}

std::pair<Evidence::const_iterator, bool> Evidence::insert_or_assign(std::string key,
                                                                     EvidenceValue value) {
  size_type i =
      entries_.empty() || entries_.back().first < key ? entries_.size() : lower_bound(key);
  if (i < entries_.size() && entries_[i].first == key) {
    entries_[i].second = std::move(value);
    return {entries_.begin() + static_cast<std::ptrdiff_t>(i), false};
  }
  auto it = entries_.emplace(entries_.begin() + static_cast<std::ptrdiff_t>(i), std::move(key),
                             std::move(value));
  return {it, true};
}

}  // namespace vitals
