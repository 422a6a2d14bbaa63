// SPDX-License-Identifier: Apache-2.0
#include "store/series_stage.hpp"

#include "store/series_table.hpp"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <utility>

namespace vitals::detail {
namespace {

// One batch: u64 payload bytes, then u32 series; per series u32 key bytes,
// the key, u32 observations; per observation i32 packed period, u8 presence
// bits (value, numerator, denominator, target), then the present figures.
template <typename T>
void put(std::string& out, T v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

template <typename T>
bool get(const char*& p, const char* end, T& v) {
  if (static_cast<std::size_t>(end - p) < sizeof v) return false;
  std::memcpy(&v, p, sizeof v);
  p += sizeof v;
  return true;
}

void encode(const std::vector<Series>& batch, std::string& out) {
  const std::size_t start = out.size();
  put<std::uint64_t>(out, 0);
  put(out, static_cast<std::uint32_t>(batch.size()));
  for (const Series& s : batch) {
    put(out, static_cast<std::uint32_t>(s.key.size()));
    out += s.key;
    put(out, static_cast<std::uint32_t>(s.observations.size()));
    for (const Observation& o : s.observations) {
      put(out, pack_period(o.period));
      const std::optional<double>* figures[] = {&o.value, &o.numerator, &o.denominator, &o.target};
      std::uint8_t present = 0;
      for (int i = 0; i < 4; ++i) present |= figures[i]->has_value() ? (1u << i) : 0u;
      put(out, present);
      for (const std::optional<double>* f : figures) {
        if (f->has_value()) put(out, **f);
      }
    }
  }
  const std::uint64_t payload = out.size() - start - sizeof(std::uint64_t);
  std::memcpy(out.data() + start, &payload, sizeof payload);
}

bool decode(const char* p, const char* end, std::vector<Series>& batch) {
  std::uint32_t count = 0;
  if (!get(p, end, count)) return false;
  batch.clear();
  batch.reserve(count);
  for (std::uint32_t n = 0; n < count; ++n) {
    std::uint32_t key_len = 0;
    std::uint32_t obs = 0;
    if (!get(p, end, key_len) || static_cast<std::size_t>(end - p) < key_len) return false;
    Series s;
    s.key.assign(p, key_len);
    p += key_len;
    if (!get(p, end, obs)) return false;
    s.observations.resize(obs);
    for (Observation& o : s.observations) {
      std::int32_t code = 0;
      std::uint8_t present = 0;
      if (!get(p, end, code) || !get(p, end, present)) return false;
      o.period = unpack_period(code);
      std::optional<double>* figures[] = {&o.value, &o.numerator, &o.denominator, &o.target};
      for (int i = 0; i < 4; ++i) {
        if ((present & (1u << i)) == 0) continue;
        double v = 0;
        if (!get(p, end, v)) return false;
        *figures[i] = v;
      }
    }
    batch.push_back(std::move(s));
  }
  return p == end;
}

Status io_error(const std::string& what) {
  return Status(
      StatusCode::kIoError,
      "cannot " + what + " the temporary file holding a source's data: " + std::strerror(errno));
}

// Hands each frame (u64 length, then that many bytes) of `data` to `read`.
Status replay_buffer(const std::string& data,
                     const std::function<Status(const char*, const char*)>& read) {
  const char* p = data.data();
  const char* end = p + data.size();
  while (p < end) {
    std::uint64_t len = 0;
    if (!get(p, end, len) || static_cast<std::uint64_t>(end - p) < len) {
      return Status(StatusCode::kInternal, "a staged batch of a source's data is damaged");
    }
    if (Status s = read(p, p + len); !s.is_ok()) return s;
    p += len;
  }
  return Status::ok();
}

}  // namespace

SeriesStage::SeriesStage(std::size_t memory_limit) : memory_limit_(memory_limit) {}

SeriesStage::~SeriesStage() {
  if (file_ != nullptr) std::fclose(file_);
}

Status SeriesStage::spill() {
  if (file_ == nullptr) {
    file_ = std::tmpfile();
    if (file_ == nullptr) return io_error("create");
  }
  if (std::fwrite(memory_.data(), 1, memory_.size(), file_) != memory_.size()) {
    return io_error("write");
  }
  memory_.clear();
  return Status::ok();
}

Status SeriesStage::kept() {
  if (memory_.size() >= memory_limit_) failed_ = spill();
  return failed_;
}

Status SeriesStage::add(const std::vector<Series>& batch) {
  if (!failed_.is_ok()) return failed_;
  encode(batch, memory_);
  for (const Series& s : batch) observations_ += s.observations.size();
  return kept();
}

Status SeriesStage::add_record(std::string_view record) {
  if (!failed_.is_ok()) return failed_;
  // Spilled before it would pass the limit, into a buffer of the limit's
  // size, so that the memory held stays within the limit (a growing string
  // would double past it).
  const std::size_t framed = sizeof(std::uint64_t) + record.size();
  if (!memory_.empty() && memory_.size() + framed > memory_limit_) {
    if (failed_ = spill(); !failed_.is_ok()) return failed_;
  }
  if (memory_.capacity() < memory_limit_) memory_.reserve(memory_limit_);
  put(memory_, static_cast<std::uint64_t>(record.size()));
  memory_.append(record);
  return kept();
}

Status SeriesStage::replay(const std::function<Status(std::vector<Series>&&)>& write) {
  std::vector<Series> batch;
  return replay_frames([&](const char* p, const char* end) {
    if (!decode(p, end, batch)) {
      return Status(StatusCode::kInternal, "a staged batch of a source's data is damaged");
    }
    Status s = write(std::move(batch));
    batch = {};
    return s;
  });
}

Status SeriesStage::replay_records(const std::function<Status(std::string_view)>& read) {
  return replay_frames([&](const char* p, const char* end) {
    return read(std::string_view(p, static_cast<std::size_t>(end - p)));
  });
}

Status SeriesStage::replay_frames(const std::function<Status(const char*, const char*)>& read) {
  if (!failed_.is_ok()) return failed_;
  if (file_ != nullptr) {
    if (std::fflush(file_) != 0 || std::fseek(file_, 0, SEEK_SET) != 0) return io_error("read");
    // Read back a megabyte at a time; each whole frame is handed on from
    // where it was read, so only the frame being read is held beside it.
    std::string rest;
    std::vector<char> buf(std::size_t{1} << 20);
    std::size_t n = 0;
    while ((n = std::fread(buf.data(), 1, buf.size(), file_)) > 0) {
      rest.append(buf.data(), n);
      std::size_t at = 0;
      while (rest.size() - at >= sizeof(std::uint64_t)) {
        std::uint64_t len = 0;
        std::memcpy(&len, rest.data() + at, sizeof len);
        if (rest.size() - at - sizeof len < len) break;
        const char* frame = rest.data() + at + sizeof len;
        if (Status s = read(frame, frame + len); !s.is_ok()) return s;
        at += sizeof len + len;
      }
      rest.erase(0, at);
    }
    if (std::ferror(file_)) return io_error("read");
    if (Status s = replay_buffer(rest, read); !s.is_ok()) return s;
  }
  return replay_buffer(memory_, read);
}

}  // namespace vitals::detail
