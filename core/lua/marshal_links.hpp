// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "lua/lua.hpp"
#include "lua/rule_set.hpp"

#include <cstddef>

namespace vitals::detail {

/// Sets ctx.budget_lines and ctx.risks on the table on top of the stack (the
/// ctx being built, before it is made read-only): read-only lists, in the
/// indicator's link order, of the linked budget lines and risks that
/// input.links holds figures for (empty lists when input.links is null).
/// See docs/rule-authoring.md for their fields.
void push_links(lua_State* L, const RuleInput& input, std::size_t max_string_bytes);

}  // namespace vitals::detail
