// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>

#include <vitals/evaluation.hpp>

namespace vitals::detail {

/// How the committee paper names a criterion in brackets after an
/// indicator's title: "off_target" -> "off target", "deterioration" ->
/// "deteriorating". Criteria a rule author invents read with their
/// underscores as spaces.
std::string criterion_label(std::string_view criterion);

/// The reasons an indicator is reported, in brackets as the committee paper
/// prints them after its title: "(deteriorating, off target)". Each
/// criterion once, in rule order; "()" when there is none.
std::string reasons_label(const IndicatorResult& result);

/// Why an indicator is not rated for the period: "no data at or before the
/// period" or "latest figure is for Dec 2016". REQUIRES: data_state is not
/// kCurrent.
std::string late_data_text(const IndicatorResult& result);

/// Where an exception stands since the last report, e.g. "continuing since
/// Jan 2017 (3 periods)"; empty when the indicator is not an exception or the
/// run was not compared with another.
std::string lifecycle_text(const ExceptionLifecycle& lifecycle);

/// The list letter for the n-th item (0-based): a, b, ..., z, aa, ab, ...
std::string list_letter(std::size_t n);

}  // namespace vitals::detail
