// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <vitals/catalogue.hpp>
#include <vitals/diagnostic.hpp>
#include <vitals/export.hpp>
#include <vitals/period.hpp>
#include <vitals/source_location.hpp>

namespace vitals {

/// Where an indicator's exception stands compared with the previous run of the
/// same catalogue (the latest current run for an earlier period).
enum class ExceptionState {
  kNone,          // not reported by exception
  kNew,           // reported now, not in the previous run
  kContinuing,    // reported now and in the previous run
  kAccepted,      // reported now, and an officer accepted it until a date not yet passed
  kAwaitingData,  // reported before, but its data is now late or the run could not
                  // complete its result: neither resolved nor continuing
  kResolved,      // reported in the previous run, not now (EvaluationReport::resolved)
};
/// "none", "new", "continuing", "accepted", "awaiting_data" or "resolved".
VITALS_API const char* exception_state_name(ExceptionState state);

/// An officer's record that an exception is accepted (accepted.toml in the
/// catalogue directory): it is still reported, as accepted, until `until`.
struct Acceptance {
  std::string indicator_id;
  /// The criterion accepted (e.g. "off_target"); empty for every criterion.
  std::string criterion;
  /// The last day the acceptance holds, "YYYY-MM-DD". It applies to a
  /// reporting period that ends on or before that day, so re-running an old
  /// period gives the same answer as at the time.
  std::string until;
  std::string approver;
  std::string rationale;
  std::string approved_on;  // "YYYY-MM-DD", or empty
  SourceLocation location;  // where accepted.toml declares it
};

/// Reads and checks the catalogue's accepted.toml (<catalogue.root>/accepted.toml)
/// as a run does, without evaluating anything: its errors and warnings, sorted,
/// each located at file:line:column. None when there is no accepted.toml. (A
/// run reports the same diagnostics and leaves out the entries in error.)
VITALS_API std::vector<Diagnostic> check_acceptances(const Catalogue& catalogue);

/// An indicator's exception across runs.
struct ExceptionLifecycle {
  ExceptionState state = ExceptionState::kNone;
  /// The period the exception was first reported in: this run's for kNew;
  /// nullopt for kNone.
  std::optional<Period> first_reported;
  /// How many runs (one per period) have reported it, this one included; 0
  /// for kNone. For kAwaitingData, the count before the data went late.
  int periods_reported = 0;
  /// The acceptance in force (kAccepted only).
  std::optional<Acceptance> acceptance;
};

/// An indicator reported by exception in the previous run and not now.
struct ResolvedException {
  std::string indicator_id;
  std::string title;
  Period first_reported;
  Period last_reported;  // the previous run's period
  int periods_reported = 0;
  std::vector<std::string> criteria;  // what it was last reported for
};

/// What a run read, so that a published report can be reproduced and
/// audited: hex SHA-256 digests (see docs/adr/0003-budget-risk-lifecycle.md
/// for exactly what each covers). Empty for runs stored before they existed.
struct RunManifest {
  std::string engine_version;
  std::string catalogue_hash;  // catalogue.toml, indicators/**/*.toml, accepted.toml
  std::string rules_hash;      // every rule and lib file of the rule folders used
  std::string plugins_hash;    // name, version and file of each plugin the sources use
  std::string data_hash;       // the observations and records the run evaluated

  friend bool operator==(const RunManifest&, const RunManifest&) = default;
};

}  // namespace vitals
