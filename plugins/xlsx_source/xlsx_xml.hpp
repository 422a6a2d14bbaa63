// SPDX-License-Identifier: Apache-2.0
#pragma once

// Streaming XML with expat, hardened for files from outside: a document
// type declaration (the only way to declare entities, hence "billion
// laughs" and external entities) is refused before anything in it is read,
// since no part of a workbook has one.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace vitals::xlsx {

/// What an XmlStream calls. Element names have their namespace prefix
/// removed ("x:c" -> "c"); attributes are expat's null-terminated
/// name/value array with the same treatment left to attribute().
class XmlHandler {
 public:
  virtual ~XmlHandler() = default;
  virtual void start(std::string_view name, const char** attributes) = 0;
  virtual void end(std::string_view name) = 0;
  /// Character data, in pieces: join them until the element ends.
  virtual void text(std::string_view) {}
};

/// The value of attribute `name` (without namespace prefix) or nullptr.
const char* attribute(const char** attributes, std::string_view name);

/// The element name without its namespace prefix.
std::string_view local_name(const char* name);

/// Feeds a document to expat piece by piece.
class XmlStream {
 public:
  explicit XmlStream(XmlHandler& handler);
  ~XmlStream();
  XmlStream(const XmlStream&) = delete;
  XmlStream& operator=(const XmlStream&) = delete;

  /// Parses the next piece (`last` for the final one). Throws DataError
  /// naming `part` and expat's line when the XML is malformed or declares a
  /// document type; rethrows what a handler throws.
  void feed(const char* data, std::size_t size, bool last, const std::string& part);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vitals::xlsx
