// SPDX-License-Identifier: Apache-2.0
#include "store/run_delta.hpp"

#include <bit>
#include <type_traits>
#include <variant>

namespace vitals::detail {

void RowDigest::row(char table) {
  bytes_ += static_cast<char>(0xff);
  bytes_ += table;
}

void RowDigest::tag(int index, char type, std::uint64_t size) {
  char buf[2 + 8];
  buf[0] = static_cast<char>(index);
  buf[1] = type;
  for (int i = 0; i < 8; ++i) buf[2 + i] = static_cast<char>(size >> (8 * i));
  bytes_.append(buf, sizeof buf);
}

void RowDigest::operator()(int index, std::int64_t value) {
  tag(index, 'n', static_cast<std::uint64_t>(value));
}

void RowDigest::operator()(int index, double value) {
  tag(index, 'r', std::bit_cast<std::uint64_t>(value));
}

void RowDigest::operator()(int index, const std::optional<double>& value) {
  if (value) (*this)(index, *value);
}

void RowDigest::operator()(int index, std::string_view text) {
  tag(index, 't', text.size());
  bytes_ += text;
}

void RowDigest::operator()(int index, const Evidence& evidence) {
  tag(index, 'e', evidence.size());
  for (const auto& [key, value] : evidence) {
    tag(index, 'k', key.size());
    bytes_ += key;
    std::visit(
        [&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, bool>) {
            tag(index, 'b', v ? 1 : 0);
          } else if constexpr (std::is_same_v<T, double>) {
            tag(index, 'r', std::bit_cast<std::uint64_t>(v));
          } else {
            tag(index, 't', v.size());
            bytes_ += v;
          }
        },
        value);
  }
}

void RowDigest::finish(std::string& out) {
  Sha256 h;
  h.update(bytes_);
  const auto digest = h.digest();
  out.append(reinterpret_cast<const char*>(digest.data()), kPositionDigestSize);
  bytes_.clear();
}

namespace {

// The whole run behind `run_id` (itself, or its base when it is a delta) and
// that run's digests, when it has them.
Result<std::optional<DeltaBase>> base_of(Db& db, std::int64_t run_id) {
  auto stmt = db.prepare(
      "SELECT b.id, b.digests FROM runs r JOIN runs b ON b.id = coalesce(r.base_run, r.id)"
      " WHERE r.id = ?1 AND b.base_run IS NULL AND b.digests IS NOT NULL");
  if (!stmt.ok()) return stmt.status();
  stmt->bind(1, run_id);
  auto row = stmt->step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<DeltaBase>();
  return std::optional<DeltaBase>(DeltaBase{stmt->column_int64(0), stmt->column_blob(1)});
}

}  // namespace

Result<std::optional<DeltaBase>> find_delta_base(Db& db, const std::string& catalogue,
                                                 const Period& period) {
  // The run this one replaces, else the latest of an earlier period (the
  // lifecycle's previous run: store/run_history_store.hpp), by Period order.
  auto stmt = db.prepare(
      "SELECT id, period FROM runs WHERE catalogue = ?1 AND replaced_by IS NULL ORDER BY id DESC");
  if (!stmt.ok()) return stmt.status();
  stmt->bind(1, catalogue);
  std::optional<std::int64_t> same;
  std::optional<std::pair<Period, std::int64_t>> earlier;
  while (true) {
    auto row = stmt->step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    auto p = Period::parse(stmt->column_text(1));
    if (!p.ok()) continue;  // previous_run reports a malformed period; a delta just skips it
    const std::int64_t id = stmt->column_int64(0);
    if (*p == period) {
      if (!same) same = id;
    } else if (*p < period && (!earlier || earlier->first < *p)) {
      earlier = std::make_pair(*p, id);
    }
  }
  stmt->reset();
  for (std::optional<std::int64_t> candidate :
       {same, earlier ? std::optional<std::int64_t>(earlier->second) : std::nullopt}) {
    if (!candidate) continue;
    auto base = base_of(db, *candidate);
    if (!base.ok() || *base) return base;
  }
  return std::optional<DeltaBase>();
}

Status set_run_delta(Db& db, std::int64_t run_id, std::optional<std::int64_t> base_run,
                     const std::string& digests) {
  auto stmt = db.prepare("UPDATE runs SET base_run = ?2, digests = ?3 WHERE id = ?1");
  if (!stmt.ok()) return stmt.status();
  stmt->bind(1, run_id);
  if (base_run) stmt->bind(2, *base_run);
  stmt->bind_blob(3, digests);
  return stmt->run();
}

}  // namespace vitals::detail
