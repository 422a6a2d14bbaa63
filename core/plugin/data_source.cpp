// SPDX-License-Identifier: Apache-2.0
#include "plugin/data_source.hpp"

#include <algorithm>
#include <iterator>
#include <utility>

namespace vitals::detail {

Status DataSource::fetch_streamed(FetchOutput& out, const SeriesBatchWriter& write,
                                  std::size_t batch_points) {
  FetchOutput all;
  Status status = fetch(all);
  out.diagnostics.insert(out.diagnostics.end(), std::make_move_iterator(all.diagnostics.begin()),
                         std::make_move_iterator(all.diagnostics.end()));
  if (!status.is_ok()) return status;
  out.records.insert(out.records.end(), std::make_move_iterator(all.records.begin()),
                     std::make_move_iterator(all.records.end()));
  out.series_count += all.series.size();

  const std::size_t limit = std::max<std::size_t>(batch_points, 1);
  std::vector<Series> batch;
  std::size_t points = 0;
  for (Series& s : all.series) {
    const std::size_t n = s.observations.size();
    std::size_t at = 0;
    do {
      if (points >= limit) {
        if (Status st = write(std::move(batch)); !st.is_ok()) return st;
        batch.clear();
        points = 0;
      }
      const std::size_t take = std::min(n - at, limit - points);
      auto first = s.observations.begin() + static_cast<std::ptrdiff_t>(at);
      batch.push_back(Series{s.key, std::vector<Observation>(
                                        first, first + static_cast<std::ptrdiff_t>(take))});
      points += take;
      at += take;
    } while (at < n);
  }
  if (!batch.empty()) return write(std::move(batch));
  return Status::ok();
}

}  // namespace vitals::detail
