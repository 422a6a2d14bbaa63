// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>

namespace vitals::detail {

/// How the committee paper names a criterion in brackets after an
/// indicator's title: "off_target" -> "off target", "deterioration" ->
/// "deteriorating". Criteria a rule author invents read with their
/// underscores as spaces.
std::string criterion_label(std::string_view criterion);

/// The list letter for the n-th item (0-based): a, b, ..., z, aa, ab, ...
std::string list_letter(std::size_t n);

}  // namespace vitals::detail
