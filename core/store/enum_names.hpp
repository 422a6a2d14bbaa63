// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace vitals::detail {

/// The member of `all` whose name(e) is `text`, or nullopt. Enums are stored
/// by their stable public names, so a store file reads well in any SQLite
/// tool and does not depend on enumerator order.
template <typename E, std::size_t N>
std::optional<E> enum_from_name(std::string_view text, const std::array<E, N>& all,
                                const char* (*name)(E)) {
  for (E e : all) {
    if (text == name(e)) return e;
  }
  return std::nullopt;
}

}  // namespace vitals::detail
