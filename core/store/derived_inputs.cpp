// SPDX-License-Identifier: Apache-2.0
// Where each derived value came from (table derived_inputs, schema version 6).
#include "store/derived_inputs.hpp"

#include <algorithm>

namespace vitals::detail {

Status record_derived_inputs(Db& db, const std::vector<DerivedProvenance>& provenance) {
  if (provenance.empty()) return Status::ok();
  auto txn = Transaction::begin(db, Transaction::Mode::kImmediate);
  if (!txn.ok()) return txn.status();
  // Two revisions stored within the same second share a time stamp: the
  // later one's inputs replace the earlier one's.
  auto forget = db.prepare(
      "DELETE FROM derived_inputs WHERE series = ?1 AND period = ?2 AND ingested_at = ?3");
  if (!forget.ok()) return forget.status();
  auto insert = db.prepare(
      "INSERT OR IGNORE INTO derived_inputs (series, period, ingested_at, input_source,"
      " input_series, input_period, input_ingested_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!insert.ok()) return insert.status();
  for (const DerivedProvenance& p : provenance) {
    const std::string period = p.period.to_string();
    forget->bind(1, p.series);
    forget->bind(2, period);
    forget->bind(3, p.ingested_at);
    if (Status s = forget->run(); !s.is_ok()) return s;
    forget->reset();
    for (const DerivedInputUse& input : p.inputs) {
      insert->bind(1, p.series);
      insert->bind(2, period);
      insert->bind(3, p.ingested_at);
      insert->bind(4, input.source);
      insert->bind(5, input.series);
      insert->bind(6, input.period.to_string());
      insert->bind(7, input.ingested_at);
      if (Status s = insert->run(); !s.is_ok()) return s;
      insert->reset();
    }
  }
  return txn->commit();
}

Result<std::vector<DerivedInputUse>> load_derived_inputs(Db& db, const std::string& series,
                                                         const Period& period,
                                                         std::int64_t ingested_at) {
  auto stmt = db.prepare(
      "SELECT input_source, input_series, input_period, input_ingested_at FROM derived_inputs"
      " WHERE series = ?1 AND period = ?2 AND ingested_at = ?3"
      " ORDER BY input_source, input_series");
  if (!stmt.ok()) return stmt.status();
  stmt->bind(1, series);
  stmt->bind(2, period.to_string());
  stmt->bind(3, ingested_at);
  std::vector<DerivedInputUse> out;
  while (true) {
    auto row = stmt->step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    auto input_period = Period::parse(stmt->column_text(2));
    if (!input_period.ok()) return input_period.status();
    out.push_back(DerivedInputUse{stmt->column_text(0), stmt->column_text(1), *input_period,
                                  stmt->column_int64(3)});
  }
  std::sort(out.begin(), out.end(), [](const DerivedInputUse& a, const DerivedInputUse& b) {
    if (a.source != b.source) return a.source < b.source;
    if (a.series != b.series) return a.series < b.series;
    return a.period < b.period;
  });
  return out;
}

}  // namespace vitals::detail
