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

/// How reports name the criterion an outcome is for: the label its rule
/// declares, or criterion_label() of its criterion when the rule declares
/// none.
std::string reason_label(const RuleOutcome& outcome);

/// The reasons an indicator is reported, in brackets as the committee paper
/// prints them after its title: "(off target, deteriorating)". Each
/// criterion once, in the order of IndicatorResult::reasons() (the council's
/// criterion order); "()" when there is none. With ReasonsShown::kFirst, only
/// the first of them: "(off target)".
std::string reasons_label(const IndicatorResult& result, ReasonsShown shown);

/// A rule's message as a report card prints it after the reason's `label`
/// ("special cause concern: 7 points in a row..."): without the label when
/// the message already opens with it and a colon, so the label is not said
/// twice.
std::string reason_message(std::string_view label, std::string_view message);

/// Why an indicator is not rated for the period: "no data at or before the
/// period" or "latest figure is for Dec 2016". REQUIRES: data_state is not
/// kCurrent.
std::string late_data_text(const IndicatorResult& result);

/// What the committee report's notes say about an indicator whose data is
/// late, at reporting period `period`: when a figure was due and what the
/// rules could not judge without current data, e.g. "latest figure is for Jan
/// 2017 (expected Feb 2017 or later), so it could not be judged as
/// deteriorating or affecting a corporate risk". The criteria named are those
/// whose outcome is insufficient_data; rules still judge what they can (off
/// target judges the latest figure). `allowed_lag` is the indicator's.
/// REQUIRES: data_state is not kCurrent.
std::string late_data_note(const IndicatorResult& result, const Period& period, int allowed_lag);

/// Where an exception stands since the last report, e.g. "continuing since
/// Jan 2017 (3 periods)", or "accepted until 2017-06-30 by <approver>:
/// <rationale>" with the rationale's own closing full stop left off (the
/// report ends the sentence); empty when the indicator is not an exception or the
/// run was not compared with another.
std::string lifecycle_text(const ExceptionLifecycle& lifecycle);

/// The short form of lifecycle_text() the dashboard shows beside an
/// exception: "new this period", "continuing since Jan 2017 (3 periods)" or
/// "accepted until 2017-06-30" (the card gives the approver and rationale);
/// empty for other states.
std::string lifecycle_label(const ExceptionLifecycle& lifecycle);

/// What every output of an incomplete run opens with (the banner's heading).
inline constexpr std::string_view kIncompleteHeading =
    "This report is incomplete: results are missing";
/// The banner's first sentence, under kIncompleteHeading.
inline constexpr std::string_view kIncompleteIntro =
    "This run could not read or evaluate everything. Do not read the indicators below as on "
    "track: those marked \"no result\" have none, and the reasons are:";

/// "No result: source 'dashboard' failed; rule 'off_target' failed" for an
/// indicator the run could not complete, "" for one it could.
std::string no_result_text(const IndicatorResult& result);

/// The list letter for the n-th item (0-based): a, b, ..., z, aa, ab, ...
std::string list_letter(std::size_t n);

}  // namespace vitals::detail
