// SPDX-License-Identifier: Apache-2.0
// The bundled xlsx source plugin, loaded as Vitals loads it, reading a
// workbook: every outcome is data or located diagnostics, never a crash.
//
// Random bytes are almost never a zip archive, so most inputs are the
// workbook's XML parts instead, zipped here into a well-formed container
// (libzip's own reading is not what is under test):
//
//   byte 0: bit 0 reads the sheet in the wide layout rather than the long;
//           bit 1 makes the rest of the input the workbook file itself.
//   rest:   xl/workbook.xml, xl/_rels/workbook.xml.rels,
//           xl/worksheets/sheet1.xml, xl/sharedStrings.xml and xl/styles.xml,
//           separated by NUL bytes (which XML cannot hold); missing parts
//           are left out of the archive.
//
// The seeds (corpus/xlsx_plugin) are the committed test workbooks cut this
// way by tests/plugin/xlsx/make_workbooks.py.

#include "fuzz_support.hpp"
#include "plugin_fuzz_support.hpp"

#include <zip.h>

#include <array>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

constexpr std::string_view kPackageRels =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
    R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
    R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/)"
    R"(relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>)";

constexpr std::array<const char*, 5> kParts = {
    "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/worksheets/sheet1.xml",
    "xl/sharedStrings.xml", "xl/styles.xml"};

// Adds `bytes` to `archive` as `name`, stored (not compressed). libzip reads
// the bytes when the archive is closed: they must live until then.
void add(zip_t* archive, const char* name, std::string_view bytes) {
  zip_source_t* source = zip_source_buffer(archive, bytes.data(), bytes.size(), 0);
  if (source == nullptr) std::abort();
  zip_int64_t index = zip_file_add(archive, name, source, ZIP_FL_OVERWRITE);
  if (index < 0) std::abort();
  zip_set_file_compression(archive, static_cast<zip_uint64_t>(index), ZIP_CM_STORE, 0);
}

// Writes the parts in `text` (NUL-separated, in kParts' order) as a workbook.
void write_workbook(const std::filesystem::path& path, std::string_view text) {
  int error = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  if (archive == nullptr) std::abort();
  add(archive, "_rels/.rels", kPackageRels);
  for (const char* part : kParts) {
    if (text.empty()) break;
    auto [bytes, rest] = vitals::fuzz::split_at(text, std::string_view("\0", 1));
    add(archive, part, bytes);
    text = rest;
  }
  if (zip_close(archive) != 0) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool wide = (data[0] & 1) != 0;
  const bool whole_file = (data[0] & 2) != 0;
  std::string_view rest = vitals::fuzz::as_text(data + 1, size - 1);
  std::filesystem::path path = vitals::fuzz::scratch() / "data.xlsx";
  if (whole_file) {
    vitals::fuzz::write_file("data.xlsx", rest);
  } else {
    write_workbook(path, rest);
  }
  vitals::SourceDefinition source;
  source.name = "fuzz";
  source.plugin = "xlsx";
  source.settings = {{"path", "data.xlsx"}};
  if (wide) source.settings["layout"] = "wide";
  source.base_dir = vitals::fuzz::scratch();
  vitals::fuzz::fetch_source(vitals::fuzz::plugin_registry("xlsx_source.so"), source);
  return 0;
}
