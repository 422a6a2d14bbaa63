// SPDX-License-Identifier: Apache-2.0
#include "plugin/elf_symbols.hpp"

#include <cstring>
#include <elf.h>
#include <fstream>
#include <iterator>
#include <link.h>

namespace vitals::detail {
namespace {

// ElfW(...) are the native (32- or 64-bit) types; plugins are always native.
using Ehdr = ElfW(Ehdr);
using Shdr = ElfW(Shdr);
using Sym = ElfW(Sym);

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
constexpr unsigned char kNativeData = ELFDATA2LSB;
#else
constexpr unsigned char kNativeData = ELFDATA2MSB;
#endif
constexpr unsigned char kNativeClass = sizeof(void*) == 8 ? ELFCLASS64 : ELFCLASS32;

template <typename T>
bool read_at(const std::string& bytes, std::size_t offset, T& out) {
  if (offset > bytes.size() || bytes.size() - offset < sizeof(T)) return false;
  std::memcpy(&out, bytes.data() + offset, sizeof(T));
  return true;
}

}  // namespace

Result<std::vector<std::string>> exported_dynamic_symbols(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status(StatusCode::kIoError, "cannot read " + file.string());
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return Status(StatusCode::kIoError, "cannot read " + file.string());

  Ehdr eh{};
  if (!read_at(bytes, 0, eh) || std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0) {
    return Status(StatusCode::kParseError, file.string() + " is not an ELF file");
  }
  if (eh.e_ident[EI_CLASS] != kNativeClass || eh.e_ident[EI_DATA] != kNativeData) {
    return Status(StatusCode::kParseError,
                  file.string() + " is an ELF file for another word size or byte order");
  }
  auto bad = [&] {
    return Status(StatusCode::kParseError, file.string() + " has a malformed section table");
  };
  if (eh.e_shentsize != sizeof(Shdr)) return bad();

  std::vector<std::string> names;
  for (std::size_t i = 0; i < eh.e_shnum; ++i) {
    Shdr sh{};
    if (!read_at(bytes, eh.e_shoff + i * sizeof(Shdr), sh)) return bad();
    if (sh.sh_type != SHT_DYNSYM) continue;
    Shdr strtab{};
    if (sh.sh_link >= eh.e_shnum || sh.sh_entsize != sizeof(Sym) ||
        !read_at(bytes, eh.e_shoff + sh.sh_link * sizeof(Shdr), strtab) ||
        strtab.sh_offset > bytes.size() || bytes.size() - strtab.sh_offset < strtab.sh_size) {
      return bad();
    }
    for (std::size_t k = 1; k < sh.sh_size / sizeof(Sym); ++k) {
      Sym sym{};
      if (!read_at(bytes, sh.sh_offset + k * sizeof(Sym), sym)) return bad();
      unsigned bind = ELF64_ST_BIND(sym.st_info);
      unsigned type = ELF64_ST_TYPE(sym.st_info);
      unsigned visibility = ELF64_ST_VISIBILITY(sym.st_other);
      if (sym.st_shndx == SHN_UNDEF) continue;
      if (bind != STB_GLOBAL && bind != STB_WEAK && bind != STB_GNU_UNIQUE) continue;
      if (visibility != STV_DEFAULT && visibility != STV_PROTECTED) continue;
      if (type == STT_SECTION || type == STT_FILE) continue;
      if (sym.st_name >= strtab.sh_size) return bad();
      const char* name = bytes.data() + strtab.sh_offset + sym.st_name;
      std::size_t max = strtab.sh_size - sym.st_name;
      std::size_t len = strnlen(name, max);
      if (len == 0 || len == max) continue;
      names.emplace_back(name, len);
    }
  }
  return names;
}

}  // namespace vitals::detail
