// SPDX-License-Identifier: Apache-2.0
#include "xlsx_workbook.hpp"

#include "xlsx_cells.hpp"
#include "xlsx_xml.hpp"

#include <vitals/plugin/sdk.hpp>

#include <charconv>
#include <map>
#include <utility>

namespace vitals::xlsx {
namespace {

constexpr std::string_view kOfficeDocument =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument";
constexpr std::string_view kStrictOfficeDocument =
    "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument";

bool ends_with(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

void parse_part(const Archive& archive, const std::string& part, std::uint64_t limit,
                XmlHandler& handler) {
  XmlStream xml(handler);
  archive.read(part, limit,
               [&](const char* data, std::size_t size, bool last) { xml.feed(data, size, last, part); });
}

// The folder of `part`, with its trailing slash: "xl/workbook.xml" -> "xl/".
std::string folder_of(std::string_view part) {
  const std::size_t slash = part.rfind('/');
  return slash == std::string_view::npos ? std::string() : std::string(part.substr(0, slash + 1));
}

// `target` of a relationship of a part in `folder`, as a part name.
std::string resolve_target(const std::string& folder, std::string_view target) {
  std::string joined = !target.empty() && target.front() == '/' ? std::string(target.substr(1))
                                                                : folder + std::string(target);
  std::vector<std::string> segments;
  std::size_t begin = 0;
  while (begin <= joined.size()) {
    std::size_t end = joined.find('/', begin);
    if (end == std::string::npos) end = joined.size();
    std::string segment = joined.substr(begin, end - begin);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(std::move(segment));
    }
    begin = end + 1;
  }
  std::string out;
  for (const std::string& s : segments) out += (out.empty() ? "" : "/") + s;
  return out;
}

// The relationships part of `part`: "xl/workbook.xml" -> "xl/_rels/workbook.xml.rels".
std::string rels_of(std::string_view part) {
  const std::string folder = folder_of(part);
  return folder + "_rels/" + std::string(part.substr(folder.size())) + ".rels";
}

struct Relationship {
  std::string type;
  std::string target;  // resolved to a part name
};

class RelsHandler final : public XmlHandler {
 public:
  explicit RelsHandler(std::string folder) : folder_(std::move(folder)) {}
  void start(std::string_view name, const char** a) override {
    if (name != "Relationship") return;
    const char* id = attribute(a, "Id");
    const char* type = attribute(a, "Type");
    const char* target = attribute(a, "Target");
    const char* mode = attribute(a, "TargetMode");
    if (id == nullptr || type == nullptr || target == nullptr) return;
    if (mode != nullptr && std::string_view(mode) == "External") return;
    by_id[id] = Relationship{type, resolve_target(folder_, target)};
  }
  void end(std::string_view) override {}
  std::map<std::string, Relationship> by_id;

 private:
  std::string folder_;
};

std::map<std::string, Relationship> read_rels(const Archive& archive, const std::string& part) {
  RelsHandler handler(folder_of(part));
  const std::string rels = rels_of(part);
  if (archive.has(rels)) parse_part(archive, rels, kMaxSmallPartBytes, handler);
  return std::move(handler.by_id);
}

bool truthy(const char* value) {
  return value != nullptr && (std::string_view(value) == "1" || std::string_view(value) == "true");
}

class WorkbookHandler final : public XmlHandler {
 public:
  void start(std::string_view name, const char** a) override {
    if (name == "workbookPr") {
      date1904 = truthy(attribute(a, "date1904"));
    } else if (name == "sheet") {
      const char* sheet_name = attribute(a, "name");
      const char* id = attribute(a, "id");  // r:id
      const char* state = attribute(a, "state");
      if (sheet_name == nullptr || id == nullptr) return;
      sheets.push_back({sheet_name, id, state != nullptr && std::string_view(state) != "visible"});
    }
  }
  void end(std::string_view) override {}
  struct Entry {
    std::string name;
    std::string rel_id;
    bool hidden;
  };
  std::vector<Entry> sheets;
  bool date1904 = false;
};

class SharedStringsHandler final : public XmlHandler {
 public:
  SharedStringsHandler(std::string& strings, std::vector<std::size_t>& ends, std::string part)
      : strings_(strings), ends_(ends), part_(std::move(part)) {}
  void start(std::string_view name, const char**) override {
    if (name == "si") {
      in_si_ = true;
    } else if (name == "rPh") {
      ++phonetic_;  // reading aids for East Asian text, not part of the string
    } else if (name == "t" && in_si_ && phonetic_ == 0) {
      in_t_ = true;
    }
  }
  void end(std::string_view name) override {
    if (name == "t") {
      in_t_ = false;
    } else if (name == "rPh") {
      --phonetic_;
    } else if (name == "si") {
      in_si_ = false;
      if (ends_.size() >= kMaxSharedStrings) {
        throw plugin::DataError(part_ + " holds more than " + std::to_string(kMaxSharedStrings) +
                                " strings; the file is refused");
      }
      ends_.push_back(strings_.size());
    }
  }
  void text(std::string_view t) override {
    if (!in_t_) return;
    if (strings_.size() + t.size() > kMaxSharedStringBytes) {
      throw plugin::DataError(part_ + " holds more than " +
                              std::to_string(kMaxSharedStringBytes >> 20) +
                              " MiB of text; the file is refused");
    }
    strings_.append(t);
  }

 private:
  std::string& strings_;
  std::vector<std::size_t>& ends_;
  std::string part_;
  bool in_si_ = false;
  bool in_t_ = false;
  int phonetic_ = 0;
};

class StylesHandler final : public XmlHandler {
 public:
  void start(std::string_view name, const char** a) override {
    if (name == "numFmt") {
      const char* id = attribute(a, "numFmtId");
      const char* code = attribute(a, "formatCode");
      if (id != nullptr && code != nullptr) formats[number(id)] = code;
    } else if (name == "cellXfs") {
      in_xfs_ = true;
    } else if (name == "xf" && in_xfs_) {
      const char* id = attribute(a, "numFmtId");
      xf_formats.push_back(id == nullptr ? 0 : number(id));
    }
  }
  void end(std::string_view name) override {
    if (name == "cellXfs") in_xfs_ = false;
  }
  std::map<int, std::string> formats;
  std::vector<int> xf_formats;

 private:
  static int number(std::string_view text) {
    int n = -1;
    std::from_chars(text.data(), text.data() + text.size(), n);
    return n;
  }
  bool in_xfs_ = false;
};

}  // namespace

Workbook::Workbook(const std::filesystem::path& path)
    : archive_(path), label_(path.filename().string()) {
  std::string workbook_part;
  for (const auto& [id, rel] : read_rels(archive_, "")) {
    if (rel.type == kOfficeDocument || rel.type == kStrictOfficeDocument) workbook_part = rel.target;
  }
  if (workbook_part.empty() && archive_.has("xl/workbook.xml")) workbook_part = "xl/workbook.xml";
  if (workbook_part.empty() || !archive_.has(workbook_part)) {
    throw plugin::DataError(path.string() +
                            " is a zip archive but not an Excel workbook (it has no workbook part)");
  }
  read_workbook(workbook_part);
}

void Workbook::read_workbook(const std::string& part) {
  WorkbookHandler handler;
  parse_part(archive_, part, kMaxSmallPartBytes, handler);
  date1904_ = handler.date1904;
  const auto rels = read_rels(archive_, part);
  for (const auto& entry : handler.sheets) {
    auto it = rels.find(entry.rel_id);
    // Chart sheets and dialog sheets have no cells: only worksheets are listed.
    if (it == rels.end() || !ends_with(it->second.type, "/worksheet")) continue;
    sheets_.push_back({entry.name, it->second.target, entry.hidden});
  }
  if (sheets_.empty()) throw plugin::DataError(label_ + " has no worksheet");
  for (const auto& [id, rel] : rels) {
    if (ends_with(rel.type, "/sharedStrings") && archive_.has(rel.target)) {
      read_shared_strings(rel.target);
    } else if (ends_with(rel.type, "/styles") && archive_.has(rel.target)) {
      read_styles(rel.target);
    }
  }
}

void Workbook::read_shared_strings(const std::string& part) {
  SharedStringsHandler handler(strings_, string_ends_, label_ + ": " + part);
  parse_part(archive_, part, kMaxPartBytes, handler);
}

void Workbook::read_styles(const std::string& part) {
  StylesHandler handler;
  parse_part(archive_, part, kMaxSmallPartBytes, handler);
  date_styles_.reserve(handler.xf_formats.size());
  for (int id : handler.xf_formats) {
    auto it = handler.formats.find(id);
    date_styles_.push_back(is_date_format(id, it == handler.formats.end() ? "" : it->second));
  }
}

const SheetInfo& Workbook::find_sheet(std::string_view wanted) const {
  wanted = trim_ascii(wanted);
  if (wanted.empty()) return sheets_.front();
  for (const SheetInfo& s : sheets_) {
    if (s.name == wanted) return s;
  }
  for (const SheetInfo& s : sheets_) {
    if (iequals(s.name, wanted)) return s;
  }
  std::size_t position = 0;
  auto [ptr, ec] = std::from_chars(wanted.data(), wanted.data() + wanted.size(), position);
  if (ec == std::errc() && ptr == wanted.data() + wanted.size() && position >= 1 &&
      position <= sheets_.size()) {
    return sheets_[position - 1];
  }
  std::string names;
  for (const SheetInfo& s : sheets_) names += (names.empty() ? "'" : ", '") + s.name + "'";
  throw plugin::ConfigError("setting 'sheet': " + label_ + " has no sheet '" +
                            std::string(wanted) + "'; its sheets are " + names +
                            " (or give a position, 1 to " + std::to_string(sheets_.size()) + ")");
}

}  // namespace vitals::xlsx
