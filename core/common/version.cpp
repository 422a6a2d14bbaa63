// SPDX-License-Identifier: Apache-2.0
#include <vitals/version.hpp>

namespace vitals {

std::string version_string() { return VITALS_VERSION_STRING; }

}  // namespace vitals
