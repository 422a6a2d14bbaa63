// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <vitals/records.hpp>

#include <map>
#include <string>

namespace vitals::detail {

/// The budget lines and risks as at a reporting period, for every indicator
/// of a run; rules see those their indicator links to (ctx.budget_lines,
/// ctx.risks). Built once per evaluation, then read-only.
struct LinkedRecords {
  std::map<std::string, BudgetLine> budget_lines;  // by id, savings attached
  std::map<std::string, Risk> risks;               // by id, previous_score set
};

}  // namespace vitals::detail
