// SPDX-License-Identifier: Apache-2.0
#pragma once

// "did you mean 'path'?" for a misspelt key, field or option.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vitals::detail {

/// Optimal string alignment distance: insertions, deletions, substitutions and
/// transpositions of adjacent characters each cost 1.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to `word` when it is close enough to be a likely
/// typo (case-only differences always are), else nullopt. Ties go to the
/// earliest candidate.
std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates);

/// "; did you mean 'x'?" for the closest candidate, or "" when none is close.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace vitals::detail
