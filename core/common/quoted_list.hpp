// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <vector>

namespace vitals::detail {

/// "'a', 'b' or 'c'": accepted values for a message.
std::string quoted_alternatives(const std::vector<std::string>& values);

}  // namespace vitals::detail
