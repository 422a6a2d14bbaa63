// SPDX-License-Identifier: Apache-2.0
#include "xlsx_archive.hpp"

#include <vitals/plugin/sdk.hpp>

#include <zip.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <vector>

namespace vitals::xlsx {
namespace {

// What the first bytes of a file that is not a zip archive say it is.
std::string what_it_looks_like(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  char head[8] = {};
  in.read(head, sizeof head);
  const std::size_t n = static_cast<std::size_t>(in.gcount());
  if (n == 0) return "the file is empty";
  if (n >= 4 && std::memcmp(head, "PK\x03\x04", 4) == 0) {
    return "it is a damaged zip archive (cut short, or partly overwritten); save the workbook "
           "from Excel again";
  }
  static const unsigned char kOle[] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
  if (n == 8 && std::memcmp(head, kOle, 8) == 0) {
    return "it is an old binary Excel file (.xls) or another OLE document; save it from Excel as "
           "an Excel Workbook (.xlsx)";
  }
  if (n >= 5 && std::memcmp(head, "<?xml", 5) == 0) {
    return "it is an XML file; an .xlsx workbook is a zip archive of XML files";
  }
  bool text = true;
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(head[i]);
    text = text && (c >= 0x20 || c == '\t' || c == '\r' || c == '\n' || c >= 0x80);
  }
  if (text) return "it looks like a text file (a CSV?); read CSV files with the csv plugin";
  return "it is not a zip archive";
}

}  // namespace

Archive::Archive(const std::filesystem::path& path) : label_(path.filename().string()) {
  int error = 0;
  zip_ = zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &error);
  if (zip_ != nullptr) return;
  zip_error_t e;
  zip_error_init_with_code(&e, error);
  std::string reason = zip_error_strerror(&e);
  zip_error_fini(&e);
  switch (error) {
    case ZIP_ER_OPEN:
    case ZIP_ER_READ:
    case ZIP_ER_NOENT:
      throw plugin::IoError("cannot open " + path.string() + ": " + reason);
    case ZIP_ER_NOZIP:
      throw plugin::DataError(path.string() + " is not an Excel workbook: " +
                              what_it_looks_like(path));
    default:
      throw plugin::DataError(path.string() + " is a damaged workbook (" + reason +
                              "); open it in Excel and save it again");
  }
}

Archive::~Archive() {
  if (zip_ != nullptr) zip_discard(zip_);
}

bool Archive::has(std::string_view name) const {
  return zip_name_locate(zip_, std::string(name).c_str(), 0) >= 0;
}

void Archive::read(std::string_view name, std::uint64_t limit,
                   const std::function<void(const char*, std::size_t, bool)>& consume) const {
  const std::string part(name);
  const zip_int64_t index = zip_name_locate(zip_, part.c_str(), 0);
  if (index < 0) throw plugin::DataError(label_ + " has no part " + part);
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat_index(zip_, static_cast<zip_uint64_t>(index), 0, &st) != 0 ||
      (st.valid & ZIP_STAT_SIZE) == 0 || (st.valid & ZIP_STAT_COMP_SIZE) == 0) {
    throw plugin::DataError(label_ + ": cannot read the size of part " + part);
  }
  limit = std::min(limit, kMaxPartBytes);
  if (st.size > limit) {
    throw plugin::DataError(label_ + ": part " + part + " would inflate to " +
                            std::to_string(st.size) + " bytes, more than the " +
                            std::to_string(limit) + " allowed; the file is refused");
  }
  if (st.size > kBombFloorBytes && st.size / std::max<zip_uint64_t>(st.comp_size, 1) >
                                       kMaxCompressionRatio) {
    throw plugin::DataError(label_ + ": part " + part + " would inflate " +
                            std::to_string(st.comp_size) + " bytes to " + std::to_string(st.size) +
                            ", a ratio no workbook has (a zip bomb?); the file is refused");
  }
  std::unique_ptr<zip_file_t, int (*)(zip_file_t*)> file(
      zip_fopen_index(zip_, static_cast<zip_uint64_t>(index), 0), &zip_fclose);
  if (!file) {
    throw plugin::DataError(label_ + ": cannot open part " + part + ": " + zip_strerror(zip_));
  }
  std::vector<char> buffer(std::size_t{1} << 16);
  zip_uint64_t total = 0;
  while (true) {
    const zip_int64_t n = zip_fread(file.get(), buffer.data(), buffer.size());
    if (n < 0) {
      throw plugin::DataError(label_ + ": part " + part + " is damaged (" +
                              zip_file_strerror(file.get()) + ")");
    }
    total += static_cast<zip_uint64_t>(n);
    if (total > st.size) {
      // The directory understated the size: the part is not what it claims.
      throw plugin::DataError(label_ + ": part " + part + " inflates to more than the " +
                              std::to_string(st.size) + " bytes its directory entry declares; " +
                              "the file is refused");
    }
    consume(buffer.data(), static_cast<std::size_t>(n), n == 0);
    if (n == 0) return;
  }
}

}  // namespace vitals::xlsx
