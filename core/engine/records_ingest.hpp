// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <vector>

#include <vitals/engine.hpp>
#include <vitals/records.hpp>

#include "engine/engine_impl.hpp"

namespace vitals::detail {

/// Stores the records one fetch of `source` delivered (store/record_store.hpp)
/// and counts them in `summary`. False after adding a "store.ingest_failed"
/// diagnostic to `summary` when they could not be stored.
bool ingest_fetched_records(Engine::Impl& engine, const SourceDefinition& source,
                            const std::vector<Record>& records, IngestSummary& summary);

}  // namespace vitals::detail
