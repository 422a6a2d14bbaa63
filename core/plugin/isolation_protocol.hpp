// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

/// The messages between the host and an isolated plugin's process
/// (vitals-plugin-host). One stream socket carries frames both ways: a
/// 4-byte little-endian payload length, a 1-byte type, then the payload.
/// Numbers are little-endian; a text is its length (8 bytes), a presence
/// byte (TextState) and, when present, its bytes. The host requests one
/// entry point at a time (one message type per entry point); while it runs,
/// the plugin's host API calls arrive as frames (one type per host
/// function), and the call ends with a kReply.
namespace vitals::detail::isolation {

enum class Frame : std::uint8_t {
  // Host to plugin process.
  kLoad = 1,      // text path, u8 require_safe_permissions
  kCreate = 2,    // text source_name, text base_dir, u64 n, n x (text key, text value),
                  // u64 m, m x text data_dir

  kDescribe = 3,  // (nothing)
  kFetch = 4,     // (nothing)
  kDestroy = 5,   // (nothing)
  kStop = 6,      // a host function returned non-zero: sink functions now return non-zero
  kValidate = 7,  // as kCreate: the configuration validate checks

  // Plugin process to host: the host API, one type per function.
  kLog = 20,            // i32 level, u8 with_call, text message
  kSetError = 21,       // i32 code, text message
  kBeginSeries = 22,    // text key
  kPushPoint = 23,      // u64 struct_size, u32 flags, f64 value/numerator/denominator/target,
                        // i64 line, i64 column, text period, text file, text field
  kEndSeries = 24,      // (nothing)
  kReportProblem = 25,  // u64 struct_size, i32 severity, i64 line, i64 column,
                        // text code, text message, text file, text setting
  kBeginRecord = 26,    // u64 struct_size, i64 line, text kind, key, period, file
  kRecordText = 27,     // text name, text value
  kRecordNumber = 28,   // text name, f64 value
  kEndRecord = 29,      // (nothing)
  kReply = 40,          // i32 rc, u8 has_instance, text message (kLoad's failure)
};

/// Whether a text's bytes follow its length.
enum class TextState : std::uint8_t {
  kNull = 0,     // the plugin passed NULL
  kPresent = 1,  // the bytes follow
  kTooLong = 2,  // over its limit: only the length the plugin claimed is sent
};

inline constexpr std::size_t kHeaderBytes = 5;
/// The largest payload either side accepts. Every text a plugin passes is at
/// most kMaxPluginTextBytes (64 KiB) or it is not sent, so a frame from a
/// working plugin process is far smaller; a larger length is a broken or
/// hostile process, and the host stops it instead of allocating.
inline constexpr std::size_t kMaxPayloadBytes = std::size_t{1} << 20;

/// Appends one frame to a buffer; finish() writes its length.
class FrameWriter {
 public:
  FrameWriter(std::string& out, Frame type);
  FrameWriter& u8(std::uint8_t v);
  FrameWriter& u32(std::uint32_t v);
  FrameWriter& i32(std::int32_t v) { return u32(static_cast<std::uint32_t>(v)); }
  FrameWriter& u64(std::uint64_t v);
  FrameWriter& i64(std::int64_t v) { return u64(static_cast<std::uint64_t>(v)); }
  FrameWriter& f64(double v);
  /// A text from the plugin: its bytes are read only when `len` <= `limit`.
  FrameWriter& text(const char* data, std::size_t len, std::size_t limit);
  FrameWriter& text(std::string_view s) { return text(s.data(), s.size(), s.size()); }
  /// Writes the payload's length into the header. REQUIRES: called once, last.
  void finish();

 private:
  std::string& buf_;
  std::size_t start_;
};

/// Reads one frame's payload; every read is checked against what is left.
/// After a failed read, ok() is false and every later read returns zero.
class FrameReader {
 public:
  FrameReader(const char* data, std::size_t len) : p_(data), end_(data + len) {}
  std::uint8_t u8();
  std::uint32_t u32();
  std::int32_t i32() { return static_cast<std::int32_t>(u32()); }
  std::uint64_t u64();
  std::int64_t i64() { return static_cast<std::int64_t>(u64()); }
  double f64();
  /// A text as the plugin passed it: data is NULL for kNull; for kTooLong it
  /// is a pointer the reader must never dereference (see too_long_text()),
  /// with the length the plugin claimed.
  struct Text {
    const char* data = nullptr;
    std::size_t len = 0;
  };
  Text text();
  bool ok() const { return ok_; }

 private:
  bool take(void* out, std::size_t n);
  const char* p_;
  const char* end_;
  bool ok_ = true;
};

/// Stands for a text that was over its limit and so never sent: the host's
/// functions check every length against its limit before reading a byte, so
/// they refuse it exactly as they refuse the plugin's own pointer in-process.
const char* too_long_text();

/// Writes all of `data` to `fd`, retrying on EINTR; never raises SIGPIPE.
/// False when the peer is gone.
bool write_all(int fd, const char* data, std::size_t len);

}  // namespace vitals::detail::isolation
