// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>

namespace vitals::detail {

/// Unix seconds as "2017-05-04 09:30:00", in UTC (the caller adds " UTC"
/// where the reader needs it).
std::string utc_time(std::int64_t seconds);

}  // namespace vitals::detail
