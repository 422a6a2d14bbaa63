// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <vitals/evaluation.hpp>
#include <vitals/status.hpp>

#include <string>
#include <string_view>

namespace vitals::detail {

/// The evidence of a rule outcome as one JSON object, keys in Evidence (byte)
/// order: {"count":3,"met":true,"note":"a \"b\""}. Strings are escaped per
/// RFC 8259 (UTF-8 passes through; control characters become \uXXXX or their
/// short escapes). Doubles use the shortest text that reads back to the same
/// value. JSON has no NaN or infinity: +/-infinity is written 9e999 / -9e999
/// (numbers that overflow to infinity when read) and NaN as null, which is
/// otherwise never written, so every value reads back exactly.
std::string evidence_to_json(const Evidence& evidence);

/// Appends evidence_to_json(evidence) to `out`, without a string of its own.
void append_evidence_json(std::string& out, const Evidence& evidence);

/// Reads what evidence_to_json() writes (any JSON object whose members are
/// booleans, numbers, strings or null). kInvalidArgument naming the byte
/// offset for anything else.
Result<Evidence> evidence_from_json(std::string_view text);

}  // namespace vitals::detail
