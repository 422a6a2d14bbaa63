// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "lua/lua.hpp"

#include <vitals/indicator.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vitals::detail {

/// What a declared rule parameter holds. kList is text naming several of
/// `values`, separated by spaces or commas ("outside_limits shift").
enum class ParamType { kNumber, kInteger, kString, kBoolean, kList };

/// "number", "integer", "string", "boolean" or "list", as rule files spell them.
std::string_view param_type_name(ParamType type);

/// One parameter a rule declares in its `params` table, e.g.
/// run = { type = "integer", default = 3, min = 1, description = "..." }.
struct ParamSpec {
  std::string name;
  ParamType type = ParamType::kNumber;
  std::optional<ParamValue> default_value;  // nullopt: ctx.params has nil when not set
  std::optional<double> min;                // kNumber and kInteger only
  std::optional<double> max;
  std::vector<std::string> values;  // allowed words (kString, kList); empty: any text
  std::string description;
};

/// A rule's declared parameters, sorted by name. `declared` is false for a
/// rule without a `params` table: its parameters cannot be checked.
struct ParamDeclaration {
  bool declared = false;
  std::vector<ParamSpec> params;

  /// The declared parameter called `name`, or nullptr.
  const ParamSpec* find(std::string_view name) const;
  /// "'a', 'b' or 'c'", or "none" when there are no parameters.
  std::string names() const;
};

/// Reads the `params` field of the rule table at `index` with raw access
/// only, into `out`. Returns "" when it is absent (out.declared stays false)
/// or valid, else why it is not ("params.run: type must be ...").
std::string read_param_declaration(lua_State* L, int index, ParamDeclaration& out);

/// Why `value` does not fit `spec` ("must be a whole number of at least 1,
/// found 0"), or "" when it fits. The text completes a sentence that starts
/// with the parameter's name.
std::string param_problem(const ParamSpec& spec, const ParamValue& value);

/// `value` as a message quotes it: text in single quotes, numbers as written.
std::string quoted_param(const ParamValue& value);

/// Checks `given` against `declaration` and returns the first problem as one
/// sentence ("parameter 'runn' is not declared by the rule (its parameters:
/// 'run')", "parameter run must be ..."), or "" when all is well or the rule
/// declares nothing.
std::string check_params(const ParamDeclaration& declaration,
                         const std::map<std::string, ParamValue>& given);

/// The parameters a rule sees: `given` with each declared default that
/// `given` lacks added, and whole numbers written with a decimal point
/// (`run = 4.0`) made integers for integer parameters. Returns `given` itself
/// when nothing changes, else `scratch` filled.
/// REQUIRES: check_params(declaration, given) found no problem.
const std::map<std::string, ParamValue>& effective_params(
    const ParamDeclaration& declaration, const std::map<std::string, ParamValue>& given,
    std::map<std::string, ParamValue>& scratch);

}  // namespace vitals::detail
