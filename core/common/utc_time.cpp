// SPDX-License-Identifier: Apache-2.0
#include "common/utc_time.hpp"

#include <ctime>

namespace vitals::detail {

std::string utc_time(std::int64_t seconds) {
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

}  // namespace vitals::detail
