// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "common/sha256.hpp"
#include "store/sqlite_db.hpp"

#include <vitals/evaluation.hpp>
#include <vitals/period.hpp>
#include <vitals/status.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace vitals::detail {

/// A run stored as a delta (schema version 9, docs/adr/0008): each indicator
/// position of a run has a digest of everything stored for it (its
/// run_indicators row, its findings, its run_exceptions row), and a run whose
/// base_run is set stores rows only for the positions whose digest differs
/// from base_run's. Readers take every other position below the run's
/// indicator count from base_run, which is always a run stored whole.

/// The bytes of one position's digest in runs.digests.
inline constexpr std::size_t kPositionDigestSize = 16;

/// Digest of the values stored for one indicator position. Fed the same
/// (parameter index, value) pairs that are bound to the insert statements,
/// each tagged with its index and type, and a table mark before each row, so
/// that two positions digest alike only when every stored value is alike.
/// The bytes are gathered and hashed in one call by finish(), which then
/// starts the next position's digest, so that one RowDigest serves a run.
class RowDigest {
 public:
  /// Starts the row of `table` ('i' run_indicators, 'f' findings, 'e' run_exceptions).
  void row(char table);
  void operator()(int index, std::int64_t value);
  void operator()(int index, int value) { (*this)(index, static_cast<std::int64_t>(value)); }
  void operator()(int index, double value);
  /// nullopt is stored as NULL, which is digested as a parameter left unbound.
  void operator()(int index, const std::optional<double>& value);
  void operator()(int index, std::string_view text);
  void operator()(int index, const char* text) { (*this)(index, std::string_view(text)); }
  void operator()(int index, const std::string& text) { (*this)(index, std::string_view(text)); }
  /// Evidence by its entries, in order, each key with its value's type and
  /// value: equal digests mean equal entries, and so equal JSON text
  /// (evidence_to_json), without making the text.
  void operator()(int index, const Evidence& evidence);
  /// Appends the first kPositionDigestSize bytes of the digest of what was
  /// given since the last finish() to `out`, and starts again.
  void finish(std::string& out);

 private:
  void tag(int index, char type, std::uint64_t size);
  std::string bytes_;  // what is digested, since the last finish()
};

/// Binds each (index, value) it is given to a statement, for the same field
/// lists RowDigest reads. Text held by a named string or a C string (the
/// fields of a result or row, enum names) is bound without a copy; text made
/// for the call (a temporary std::string) is copied.
/// REQUIRES: every string and C string given by reference outlives the
/// statement's next step.
struct StatementFields {
  Statement& stmt;
  template <typename T>
  void operator()(int index, T&& value) {
    using V = std::remove_cvref_t<T>;
    if constexpr (std::is_same_v<V, std::string> && std::is_lvalue_reference_v<T>) {
      stmt.bind_static(index, value);
    } else if constexpr (std::is_same_v<V, const char*> || std::is_same_v<V, char*>) {
      stmt.bind_static(index, std::string_view(value));
    } else {
      stmt.bind(index, std::forward<T>(value));
    }
  }
};

/// The run a new run is stored as a delta against.
struct DeltaBase {
  std::int64_t id = 0;
  std::string digests;  // kPositionDigestSize bytes per position
};

/// The base for a new run of `catalogue` for `period`: the run it replaces
/// (the newest not replaced of that catalogue and period) or else the run it
/// is compared with (the latest earlier period's), or the base of that run
/// when it is itself a delta. nullopt when there is none with digests (none
/// yet, or stored before schema version 9). Call before the run's own row is
/// inserted.
Result<std::optional<DeltaBase>> find_delta_base(Db& db, const std::string& catalogue,
                                                 const Period& period);

/// Stores the run's digests and base (nullopt: stored whole).
Status set_run_delta(Db& db, std::int64_t run_id, std::optional<std::int64_t> base_run,
                     const std::string& digests);

}  // namespace vitals::detail
