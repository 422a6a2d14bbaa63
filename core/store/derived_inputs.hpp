// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "store/sqlite_db.hpp"

#include <vitals/indicator.hpp>
#include <vitals/period.hpp>
#include <vitals/status.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace vitals::detail {

using DerivedInputUse = vitals::DerivedInputUse;

/// The provenance of one revision of a derived value (table derived_inputs):
/// the derived indicator's id, the period, the time of the ingest that stored
/// that revision, and every input observation it was computed from.
struct DerivedProvenance {
  std::string series;
  Period period;
  std::int64_t ingested_at = 0;
  std::vector<DerivedInputUse> inputs;
};

/// Writes `provenance` in one transaction. Each entry replaces what was
/// recorded for the same series, period and ingest time (two revisions
/// stored within one second).
Status record_derived_inputs(Db& db, const std::vector<DerivedProvenance>& provenance);

/// The inputs of the revision of derived series `series` for `period` stored
/// at `ingested_at`, sorted by source, series and period; empty when none
/// were recorded.
Result<std::vector<DerivedInputUse>> load_derived_inputs(Db& db, const std::string& series,
                                                         const Period& period,
                                                         std::int64_t ingested_at);

}  // namespace vitals::detail
