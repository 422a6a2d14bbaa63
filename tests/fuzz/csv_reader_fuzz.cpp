// SPDX-License-Identifier: Apache-2.0
// The CSV reader the csv plugins share: any bytes split into records or
// located record errors, rows never going backwards, and reading always ends.

#include "csv_reader.hpp"
#include "fuzz_support.hpp"

#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The first byte picks the reader's chunk size (4 to 67 bytes), so records
  // cross chunk boundaries and the refill and grow paths run.
  if (size == 0) return 0;
  const std::size_t chunk = 4 + (data[0] & 0x3F);
  ++data;
  --size;
  // fmemopen may refuse a zero-length buffer; an empty file is an empty temporary file.
  std::FILE* file = size == 0 ? std::tmpfile()
                              : ::fmemopen(const_cast<std::uint8_t*>(data), size, "rb");
  if (file == nullptr) std::abort();
  {
    vitals::csv::CsvReader reader(file, vitals::csv::Encoding::kUtf8, chunk);
    vitals::csv::Record record;
    std::int64_t last_row = 0;
    std::size_t field_bytes = 0;
    for (;;) {
      vitals::csv::CsvReader::Next next = reader.next(record);
      if (next == vitals::csv::CsvReader::Next::kEnd) break;
      std::int64_t row = next == vitals::csv::CsvReader::Next::kRecord ? record.row
                                                                       : reader.error().row;
      if (row < last_row || row < 1) std::abort();
      last_row = row;
      if (next == vitals::csv::CsvReader::Next::kRecord) {
        for (std::string_view f : record.fields) field_bytes += f.size();
        // Unquoting only removes bytes: the fields cannot hold more than the file.
        if (field_bytes > size) std::abort();
        field_bytes = 0;
      }
    }
  }
  std::fclose(file);
  return 0;
}
