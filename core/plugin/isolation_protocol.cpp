// SPDX-License-Identifier: Apache-2.0
#include "plugin/isolation_protocol.hpp"

#include <cerrno>
#include <cstring>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

namespace vitals::detail::isolation {

namespace {

void put(std::string& buf, std::uint64_t v, int bytes) {
  char b[8];
  for (int i = 0; i < bytes; ++i) b[i] = static_cast<char>((v >> (8 * i)) & 0xff);
  buf.append(b, static_cast<std::size_t>(bytes));
}

}  // namespace

FrameWriter::FrameWriter(std::string& out, Frame type) : buf_(out), start_(out.size()) {
  buf_.append(4, '\0');
  buf_.push_back(static_cast<char>(type));
}

FrameWriter& FrameWriter::u8(std::uint8_t v) {
  buf_.push_back(static_cast<char>(v));
  return *this;
}

FrameWriter& FrameWriter::u32(std::uint32_t v) {
  put(buf_, v, 4);
  return *this;
}

FrameWriter& FrameWriter::u64(std::uint64_t v) {
  put(buf_, v, 8);
  return *this;
}

FrameWriter& FrameWriter::f64(double v) {
  std::uint64_t bits = 0;
  std::memcpy(&bits, &v, sizeof bits);
  return u64(bits);
}

FrameWriter& FrameWriter::text(const char* data, std::size_t len, std::size_t limit) {
  u64(len);
  if (data == nullptr) return u8(static_cast<std::uint8_t>(TextState::kNull));
  if (len > limit) return u8(static_cast<std::uint8_t>(TextState::kTooLong));
  u8(static_cast<std::uint8_t>(TextState::kPresent));
  buf_.append(data, len);
  return *this;
}

void FrameWriter::finish() {
  const std::uint64_t payload = buf_.size() - start_ - kHeaderBytes;
  for (std::size_t i = 0; i < 4; ++i) {
    buf_[start_ + i] = static_cast<char>((payload >> (8 * i)) & 0xff);
  }
}

bool FrameReader::take(void* out, std::size_t n) {
  if (!ok_ || static_cast<std::size_t>(end_ - p_) < n) {
    ok_ = false;
    std::memset(out, 0, n);
    return false;
  }
  std::memcpy(out, p_, n);
  p_ += n;
  return true;
}

std::uint8_t FrameReader::u8() {
  unsigned char b = 0;
  take(&b, 1);
  return b;
}

std::uint32_t FrameReader::u32() {
  unsigned char b[4];
  if (!take(b, 4)) return 0;
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | b[i];
  return v;
}

std::uint64_t FrameReader::u64() {
  unsigned char b[8];
  if (!take(b, 8)) return 0;
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | b[i];
  return v;
}

double FrameReader::f64() {
  std::uint64_t bits = u64();
  double v = 0;
  std::memcpy(&v, &bits, sizeof v);
  return v;
}

FrameReader::Text FrameReader::text() {
  Text t;
  const std::uint64_t len = u64();
  const auto state = static_cast<TextState>(u8());
  if (!ok_) return {};
  switch (state) {
    case TextState::kNull:
      t.len = static_cast<std::size_t>(len);
      return t;
    case TextState::kTooLong:
      t.data = too_long_text();
      t.len = static_cast<std::size_t>(len);
      return t;
    case TextState::kPresent:
      if (static_cast<std::uint64_t>(end_ - p_) < len) break;
      t.data = p_;
      t.len = static_cast<std::size_t>(len);
      p_ += len;
      return t;
  }
  ok_ = false;
  return {};
}

const char* too_long_text() {
  static const char kNeverRead = '\0';
  return &kNeverRead;
}

bool write_all(int fd, const char* data, std::size_t len) {
  while (len > 0) {
    ssize_t n = ::send(fd, data, len, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += n;
    len -= static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace vitals::detail::isolation
