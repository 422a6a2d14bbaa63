// SPDX-License-Identifier: Apache-2.0
#include "store/record_store.hpp"

#include "common/record_fields.hpp"
#include "common/sha256.hpp"
#include "store/evidence_json.hpp"

#include <algorithm>
#include <set>
#include <tuple>
#include <utility>

namespace vitals::detail {

namespace {

Evidence to_evidence(const Record& r) {
  Evidence out;
  out.reserve(r.fields.size());
  for (const auto& [name, value] : r.fields) {
    if (const double* d = std::get_if<double>(&value)) {
      out.insert_or_assign(name, *d);
    } else {
      out.insert_or_assign(name, std::get<std::string>(value));
    }
  }
  return out;
}

std::string fields_json(const Record& r) { return evidence_to_json(to_evidence(r)); }

auto order_key(const Record& r) { return std::make_tuple(std::cref(r.kind), r.period, std::cref(r.key)); }

std::vector<const Record*> canonical_order(const std::vector<Record>& records) {
  std::vector<const Record*> sorted;
  sorted.reserve(records.size());
  for (const Record& r : records) sorted.push_back(&r);
  std::sort(sorted.begin(), sorted.end(),
            [](const Record* a, const Record* b) { return order_key(*a) < order_key(*b); });
  return sorted;
}

Status validate(const std::string& source, const std::vector<Record>& records) {
  auto invalid = [](std::string message) {
    return Status(StatusCode::kInvalidArgument, std::move(message));
  };
  if (source.empty()) return invalid("cannot store records under an empty source name");
  std::set<std::tuple<std::string_view, std::string, std::string_view>> seen;
  for (const Record& r : records) {
    if (r.kind.empty() || r.key.empty()) {
      return invalid("source '" + source + "' delivered a record with an empty " +
                     (r.kind.empty() ? "kind" : "key"));
    }
    if (!seen.emplace(r.kind, r.period.to_string(), r.key).second) {
      return invalid("source '" + source + "' delivered " + r.kind + " '" + r.key + "' for " +
                     r.period.to_string() + " more than once");
    }
    if (Status s = validate_record(r); !s.is_ok()) {
      return Status(StatusCode::kInvalidArgument, "source '" + source + "': " + s.message(),
                    s.location());
    }
  }
  return Status::ok();
}

}  // namespace

std::string records_digest(const std::vector<Record>& records) {
  Sha256 h;
  for (const Record* r : canonical_order(records)) {
    h.field(r->kind);
    h.field(r->period.to_string());
    h.field(r->key);
    h.field(fields_json(*r));
  }
  return h.hex_digest();
}

Result<RecordIngestCounts> store_records(Db& db, const std::string& source,
                                         const std::vector<Record>& records,
                                         std::int64_t ingested_at) {
  if (Status s = validate(source, records); !s.is_ok()) return s;
  RecordIngestCounts counts;
  counts.records = static_cast<int>(records.size());
  const std::string digest = records_digest(records);

  auto txn = Transaction::begin(db, Transaction::Mode::kImmediate);
  if (!txn.ok()) return txn.status();
  auto latest = db.prepare(
      "SELECT content_hash FROM record_snapshots WHERE source = ?1 ORDER BY id DESC LIMIT 1");
  if (!latest.ok()) return latest.status();
  latest->bind(1, source);
  auto row = latest->step();
  if (!row.ok()) return row.status();
  if (*row && latest->column_text(0) == digest) return counts;  // unchanged
  latest->reset();

  auto snapshot = db.prepare(
      "INSERT INTO record_snapshots (source, ingested_at, records, content_hash)"
      " VALUES (?1, ?2, ?3, ?4)");
  if (!snapshot.ok()) return snapshot.status();
  snapshot->bind(1, source);
  snapshot->bind(2, ingested_at);
  snapshot->bind(3, counts.records);
  snapshot->bind(4, digest);
  if (Status s = snapshot->run(); !s.is_ok()) return s;
  const std::int64_t snapshot_id = db.last_insert_rowid();

  auto insert = db.prepare(
      "INSERT INTO records (snapshot_id, kind, key, period, period_end, period_len, fields)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!insert.ok()) return insert.status();
  for (const Record* r : canonical_order(records)) {
    insert->reset();
    insert->bind(1, snapshot_id);
    insert->bind(2, r->kind);
    insert->bind(3, r->key);
    insert->bind(4, r->period.to_string());
    insert->bind(5, r->period.last_month_index());
    insert->bind(6, r->period.length_in_months());
    insert->bind(7, fields_json(*r));
    if (Status s = insert->run(); !s.is_ok()) return s;
  }
  if (Status s = txn->commit(); !s.is_ok()) return s;
  counts.stored = true;
  return counts;
}

Result<RecordSet> load_records(Db& db, const std::string& source, std::string_view kind,
                               const Period& period, bool before) {
  RecordSet out;
  // One snapshot for both reads.
  auto txn = Transaction::begin(db, Transaction::Mode::kDeferred);
  if (!txn.ok()) return txn.status();
  const char* bound = before
                          ? "(r.period_end < ?3 OR (r.period_end = ?3 AND r.period_len < ?4))"
                          : "(r.period_end < ?3 OR (r.period_end = ?3 AND r.period_len <= ?4))";
  auto pick = db.prepare(
      std::string("SELECT r.snapshot_id, r.period FROM records r JOIN record_snapshots s"
                  " ON s.id = r.snapshot_id WHERE s.source = ?1 AND r.kind = ?2 AND ") +
      bound + " ORDER BY r.period_end DESC, r.period_len DESC, r.snapshot_id DESC LIMIT 1");
  if (!pick.ok()) return pick.status();
  pick->bind(1, source);
  pick->bind(2, kind);
  pick->bind(3, period.last_month_index());
  pick->bind(4, period.length_in_months());
  auto row = pick->step();
  if (!row.ok()) return row.status();
  if (!*row) return out;
  const std::int64_t snapshot_id = pick->column_int64(0);
  const std::string period_text = pick->column_text(1);
  pick->reset();
  auto parsed = Period::parse(period_text);
  if (!parsed.ok()) {
    return db.error("records of source '" + source + "' hold a malformed period '" + period_text +
                    "'");
  }
  out.period = *parsed;

  auto read = db.prepare(
      "SELECT key, fields FROM records WHERE snapshot_id = ?1 AND kind = ?2 AND period = ?3"
      " ORDER BY key");
  if (!read.ok()) return read.status();
  read->bind(1, snapshot_id);
  read->bind(2, kind);
  read->bind(3, period_text);
  while (true) {
    auto next = read->step();
    if (!next.ok()) return next.status();
    if (!*next) break;
    Record r;
    r.kind = std::string(kind);
    r.key = read->column_text(0);
    r.period = *parsed;
    auto fields = evidence_from_json(read->column_text(1));
    if (!fields.ok()) {
      return db.error(r.kind + " '" + r.key + "' of source '" + source +
                      "' holds unreadable fields: " + fields.status().message());
    }
    for (auto& [name, value] : *fields) {
      if (const double* d = std::get_if<double>(&value)) {
        r.fields.emplace(name, *d);
      } else if (const std::string* t = std::get_if<std::string>(&value)) {
        r.fields.emplace(name, *t);
      }
    }
    out.records.push_back(std::move(r));
  }
  read->reset();
  if (Status s = txn->commit(); !s.is_ok()) return s;
  return out;
}

}  // namespace vitals::detail
