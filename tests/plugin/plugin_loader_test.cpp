// SPDX-License-Identifier: Apache-2.0
#include "plugin/plugin_loader.hpp"

#include "catch.hpp"
#include "plugin/elf_symbols.hpp"
#include "plugin/plugin_registry.hpp"
#include "plugin_test_support.hpp"
#include "support/temp_dir.hpp"

#include <vitals/plugin/abi.h>

#include <cstddef>
#include <filesystem>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;
using vitals::Diagnostic;
using vitals::StatusCode;
using vitals::detail::PluginRegistry;
using vitals::testing::CapturedLog;
using vitals::testing::fixture_plugin;
using vitals::testing::TempDir;

namespace {

// Loads one file into a fresh registry; returns its single diagnostic.
Diagnostic load_failure(const fs::path& file, bool require_safe = true) {
  CapturedLog log;
  PluginRegistry registry(log.logger());
  std::vector<Diagnostic> diagnostics;
  vitals::Status status = registry.load_file(file, require_safe, diagnostics);
  REQUIRE_FALSE(status.is_ok());
  CHECK(status.code() == StatusCode::kPluginError);
  REQUIRE(diagnostics.size() == 1);
  CHECK(status.message() == diagnostics[0].message);
  CHECK(diagnostics[0].severity == vitals::Severity::kError);
  REQUIRE(diagnostics[0].location.has_value());
  CHECK(diagnostics[0].location->file == file.string());
  CHECK(registry.plugin_names().empty());
  return diagnostics[0];
}

// A copy of a fixture in a private directory, with exact permissions.
fs::path private_copy(const TempDir& dir, const std::string& name,
                      fs::perms perms = fs::perms::owner_read | fs::perms::owner_write |
                                        fs::perms::group_read | fs::perms::others_read) {
  fs::path target = dir.path() / (name + ".so");
  fs::copy_file(fixture_plugin(name), target, fs::copy_options::overwrite_existing);
  fs::permissions(target, perms, fs::perm_options::replace);
  return target;
}

std::string build_info_of(const fs::path& file) {
  PluginRegistry registry(vitals::detail::null_logger());
  std::vector<Diagnostic> diagnostics;
  REQUIRE(registry.load_file(file, false, diagnostics).is_ok());
  return registry.find(registry.plugin_names().front())->build_info();
}

}  // namespace

TEST_CASE("a well-formed plugin loads and reports its identity", "[plugin][loader]") {
  CapturedLog log;
  PluginRegistry registry(log.logger());
  std::vector<Diagnostic> diagnostics;
  REQUIRE(registry.load_file(fixture_plugin("good"), true, diagnostics).is_ok());
  CHECK(diagnostics.empty());
  CHECK(registry.plugin_names() == std::vector<std::string>{"good"});

  auto good = registry.find("good");
  REQUIRE(good != nullptr);
  CHECK(good->path() == fixture_plugin("good"));
  CHECK(good->version() == "1.0.0");
  CHECK(good->build_info().find("; vitals plugin SDK 1.3.0 (ABI 1.3)") != std::string::npos);
  CHECK(good->build_info().rfind("gcc ", 0) == 0);
  CHECK(good->capabilities() == (VITALS_CAP_DETERMINISTIC | VITALS_CAP_THREAD_SAFE));
  CHECK(good->abi_minor_required() == 0);
  CHECK(good->has_describe());
  CHECK(registry.find("nope") == nullptr);
  CHECK(log.contains("loaded " + good->label() + " (ABI 1.0 required)"));
}

TEST_CASE("a plugin built for another ABI major is refused by its entry symbol",
          "[plugin][loader]") {
  fs::path file = fixture_plugin("abi_major_mismatch");
  Diagnostic d = load_failure(file);
  CHECK(d.code == "plugin.abi_mismatch");
  CHECK(d.message == "plugin " + file.string() +
                         " was built for another plugin ABI major: it exports "
                         "vitals_plugin_entry_v2 but not vitals_plugin_entry_v1; this host "
                         "supports plugin ABI major 1. Rebuild the plugin against this version's "
                         "<vitals/plugin/abi.h>");
}

TEST_CASE("a plugin requiring a newer ABI minor is refused naming both versions",
          "[plugin][loader]") {
  fs::path file = fixture_plugin("abi_minor_too_new");
  Diagnostic d = load_failure(file);
  CHECK(d.code == "plugin.abi_too_new");
  CHECK(d.message == "plugin " + file.string() +
                         " (name 'abi_minor_too_new', version '2.0.0', build 'future SDK') "
                         "requires plugin ABI 1.4 but this host provides 1.3; upgrade Vitals or "
                         "rebuild the plugin against an older SDK");
}

TEST_CASE("a descriptor too small for the host's fields is refused", "[plugin][loader]") {
  fs::path file = fixture_plugin("bad_descriptor");
  Diagnostic d = load_failure(file);
  CHECK(d.code == "plugin.bad_descriptor");
  CHECK(d.message ==
        "plugin " + file.string() +
            " (name 'bad_descriptor', version '1.0.0', build 'truncated descriptor'): its "
            "descriptor's struct_size (" +
            std::to_string(offsetof(vitals_plugin_descriptor, create)) +
            " bytes) is smaller than the " +
            std::to_string(offsetof(vitals_plugin_descriptor, destroy) + sizeof(void*)) +
            " bytes of plugin ABI 1.0");
}

TEST_CASE("a library without the entry symbol is not a Vitals plugin", "[plugin][loader]") {
  fs::path file = fixture_plugin("not_a_plugin");
  Diagnostic d = load_failure(file);
  CHECK(d.code == "plugin.load_error");
  CHECK(d.message == "plugin " + file.string() +
                         " is not a Vitals source plugin: it does not export "
                         "vitals_plugin_entry_v1 (nor another ABI major's entry point)");
}

TEST_CASE("an undefined symbol is caught at load time with the loader's message",
          "[plugin][loader]") {
  fs::path file = fixture_plugin("undefined_symbol");
  Diagnostic d = load_failure(file);
  CHECK(d.code == "plugin.load_error");
  CHECK(d.message == "cannot load plugin " + file.string() +
                         ": undefined symbol: vitals_fixture_symbol_that_does_not_exist");
}

TEST_CASE("a second plugin with a taken name is refused naming both files", "[plugin][loader]") {
  PluginRegistry registry(vitals::detail::null_logger());
  std::vector<Diagnostic> diagnostics;
  REQUIRE(registry.load_file(fixture_plugin("good"), true, diagnostics).is_ok());
  fs::path dup = fixture_plugin("good_duplicate");
  vitals::Status status = registry.load_file(dup, true, diagnostics);
  CHECK(status.code() == StatusCode::kPluginError);
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0].code == "plugin.duplicate_name");
  CHECK(diagnostics[0].message ==
        "plugin " + dup.string() + " (name 'good', version '1.0.0', build '" + build_info_of(dup) +
            "') was not loaded: the name 'good' is already taken by " +
            fixture_plugin("good").string());
  CHECK(diagnostics[0].location->file == dup.string());
  CHECK(registry.plugin_names() == std::vector<std::string>{"good"});
  CHECK(registry.find("good")->path() == fixture_plugin("good"));
}

TEST_CASE("a plugin file named twice, or its folder loaded twice, is loaded once",
          "[plugin][loader]") {
  TempDir dir;
  fs::create_directories(dir / "plugins");
  fs::copy_file(fixture_plugin("good"), dir / "plugins/good.so");
  fs::create_directory_symlink(dir / "plugins", dir / "linked");
  PluginRegistry registry(vitals::detail::null_logger());
  std::vector<Diagnostic> diagnostics;
  registry.load_directory(dir / "plugins", false, diagnostics);
  registry.load_directory(dir / "plugins", false, diagnostics);
  registry.load_directory(dir / "linked", false, diagnostics);
  CHECK(registry.load_file(dir / "plugins/../plugins/good.so", false, diagnostics).is_ok());
  CHECK(diagnostics.empty());
  CHECK(registry.plugin_names() == std::vector<std::string>{"good"});
  CHECK(registry.find("good")->path() == dir / "plugins/good.so");
}

TEST_CASE("only existing .so files are loaded", "[plugin][loader]") {
  TempDir dir;
  SECTION("another extension") {
    fs::path file = dir.path() / "good.dll";
    fs::copy_file(fixture_plugin("good"), file);
    Diagnostic d = load_failure(file);
    CHECK(d.code == "plugin.load_error");
    CHECK(d.message ==
          "cannot load plugin " + file.string() + ": plugin files must have the .so extension");
  }
  SECTION("a missing file") {
    fs::path file = dir.path() / "missing.so";
    Diagnostic d = load_failure(file);
    CHECK(d.code == "plugin.load_error");
    CHECK(d.message == "cannot load plugin " + file.string() + ": no such file");
  }
  SECTION("a file that is not a shared library") {
    fs::path file = dir.write("text.so", std::string(4096, 'x'));
    Diagnostic d = load_failure(file);
    CHECK(d.code == "plugin.load_error");
    CHECK(d.message == "cannot load plugin " + file.string() + ": invalid ELF header");
  }
  SECTION("a directory") {
    fs::path file = dir.path() / "dir.so";
    fs::create_directory(file);
    Diagnostic d = load_failure(file);
    CHECK(d.message == "cannot load plugin " + file.string() + ": it is not a regular file");
  }
}

TEST_CASE("plugins writable by others or in a writable directory are refused",
          "[plugin][loader][permissions]") {
  TempDir dir;
  const std::string tail =
      "; plugin files and their directory must be owned by root or the user running Vitals and "
      "writable only by their owner";

  SECTION("a private copy loads") {
    PluginRegistry registry(vitals::detail::null_logger());
    std::vector<Diagnostic> diagnostics;
    CHECK(registry.load_file(private_copy(dir, "good"), true, diagnostics).is_ok());
    CHECK(diagnostics.empty());
  }
  SECTION("a group-writable file") {
    fs::path file = private_copy(dir, "good");
    fs::permissions(file, fs::perms::group_write, fs::perm_options::add);
    Diagnostic d = load_failure(file);
    CHECK(d.code == "plugin.unsafe_permissions");
    CHECK(d.message == "refusing to load plugin " + file.string() + ": " + file.string() +
                           " is writable by its group (mode 0664)" + tail);

    // The check is policy: an embedder may turn it off.
    PluginRegistry registry(vitals::detail::null_logger());
    std::vector<Diagnostic> diagnostics;
    CHECK(registry.load_file(file, false, diagnostics).is_ok());
  }
  SECTION("a world-writable file") {
    fs::path file = private_copy(dir, "good");
    fs::permissions(file, fs::perms::others_write, fs::perm_options::add);
    Diagnostic d = load_failure(file);
    CHECK(d.code == "plugin.unsafe_permissions");
    CHECK(d.message == "refusing to load plugin " + file.string() + ": " + file.string() +
                           " is writable by anyone (mode 0646)" + tail);
  }
  SECTION("a group-writable directory") {
    fs::path file = private_copy(dir, "good");
    fs::permissions(dir.path(), fs::perms::owner_all | fs::perms::group_all,
                    fs::perm_options::replace);
    Diagnostic d = load_failure(file);
    CHECK(d.code == "plugin.unsafe_permissions");
    CHECK(d.message == "refusing to load plugin " + file.string() + ": " + dir.path().string() +
                           " is writable by its group (mode 0770)" + tail);

    PluginRegistry registry(vitals::detail::null_logger());
    std::vector<Diagnostic> diagnostics;
    registry.load_directory(dir.path(), true, diagnostics);
    REQUIRE(diagnostics.size() == 1);
    CHECK(diagnostics[0].code == "plugin.unsafe_permissions");
    CHECK(diagnostics[0].message ==
          "refusing to load plugins from directory " + dir.path().string() + ": " +
              dir.path().string() +
              " is writable by its group (mode 0770); a plugin directory must be owned by root "
              "or the user running Vitals and writable only by its owner");
    CHECK(diagnostics[0].location->file == dir.path().string());
    CHECK(registry.plugin_names().empty());
  }
  SECTION("a symlink is checked where it lives and where it points") {
    TempDir unsafe;
    fs::permissions(unsafe.path(), fs::perms::owner_all | fs::perms::group_all,
                    fs::perm_options::replace);
    fs::path target = private_copy(unsafe, "good");
    fs::path link = dir.path() / "good.so";
    fs::create_symlink(target, link);
    Diagnostic d = load_failure(link);
    CHECK(d.code == "plugin.unsafe_permissions");
    CHECK(d.message == "refusing to load plugin " + link.string() + ": " + unsafe.path().string() +
                           " is writable by its group (mode 0770)" + tail);

    fs::path safe_target = private_copy(dir, "c_source");
    fs::path unsafe_link = unsafe.path() / "c_source.so";
    fs::create_symlink(safe_target, unsafe_link);
    Diagnostic d2 = load_failure(unsafe_link);
    CHECK(d2.message == "refusing to load plugin " + unsafe_link.string() + ": " +
                            unsafe.path().string() + " is writable by its group (mode 0770)" +
                            tail);
  }
  SECTION("a file owned by another user") {
    if (::geteuid() == 0) {  // only root can give a file away
      fs::path file = private_copy(dir, "good");
      REQUIRE(::chown(file.c_str(), 4242, 4242) == 0);
      Diagnostic d = load_failure(file);
      CHECK(d.code == "plugin.unsafe_permissions");
      CHECK(d.message == "refusing to load plugin " + file.string() + ": " + file.string() +
                             " is owned by uid 4242, neither root nor the user running Vitals "
                             "(uid 0)" +
                             tail);
    }
  }
}

TEST_CASE("loading a directory of good and broken plugins loads the good ones",
          "[plugin][loader]") {
  TempDir dir;
  for (const char* name :
       {"abi_major_mismatch", "abi_minor_too_new", "bad_descriptor", "c_source", "good",
        "good_duplicate", "hello_plugin", "not_a_plugin", "throws_across_abi", "throws_in_create",
        "throws_in_fetch", "undefined_symbol"}) {
    private_copy(dir, name);
  }
  dir.write("README.txt", "not a plugin, and not looked at\n");
  dir.write("libsomething.so.1", "versioned names are not plugins\n");

  PluginRegistry registry(vitals::detail::null_logger());
  std::vector<Diagnostic> diagnostics;
  registry.load_directory(dir.path(), true, diagnostics);

  CHECK(registry.plugin_names() == std::vector<std::string>{"c_source", "good", "hello",
                                                            "throws_across_abi", "throws_in_create",
                                                            "throws_in_fetch"});
  std::vector<std::pair<std::string, std::string>> failures;
  for (const Diagnostic& d : diagnostics) {
    REQUIRE(d.location.has_value());
    failures.emplace_back(fs::path(d.location->file).filename().string(), d.code);
  }
  CHECK(failures == std::vector<std::pair<std::string, std::string>>{
                        {"abi_major_mismatch.so", "plugin.abi_mismatch"},
                        {"abi_minor_too_new.so", "plugin.abi_too_new"},
                        {"bad_descriptor.so", "plugin.bad_descriptor"},
                        {"good_duplicate.so", "plugin.duplicate_name"},
                        {"not_a_plugin.so", "plugin.load_error"},
                        {"undefined_symbol.so", "plugin.load_error"},
                    });
}

TEST_CASE("a missing plugin directory is one diagnostic", "[plugin][loader]") {
  TempDir dir;
  PluginRegistry registry(vitals::detail::null_logger());
  std::vector<Diagnostic> diagnostics;
  registry.load_directory(dir.path() / "nowhere", true, diagnostics);
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0].code == "plugin.load_error");
  CHECK(diagnostics[0].message ==
        "cannot load plugins from " + (dir.path() / "nowhere").string() + ": no such directory");
}

TEST_CASE("log lines written by an entry function are labelled with the file", "[plugin][loader]") {
  CapturedLog log;
  PluginRegistry registry(log.logger());
  std::vector<Diagnostic> diagnostics;
  REQUIRE(registry.load_file(fixture_plugin("c_source"), true, diagnostics).is_ok());
  CHECK(log.contains("plugin c_source.so: c_source entry called"));
}

TEST_CASE("bundled and example plugins export exactly one dynamic symbol",
          "[plugin][loader][exports]") {
  for (const fs::path& file :
       {vitals::testing::csv_plugin(), fixture_plugin("hello_plugin"), fixture_plugin("good"),
        fixture_plugin("c_source"), fixture_plugin("throws_in_fetch")}) {
    INFO(file.string());
    auto symbols = vitals::detail::exported_dynamic_symbols(file);
    REQUIRE(symbols.ok());
    CHECK(*symbols == std::vector<std::string>{"vitals_plugin_entry_v1"});
  }
  auto v2 = vitals::detail::exported_dynamic_symbols(fixture_plugin("abi_major_mismatch"));
  REQUIRE(v2.ok());
  CHECK(*v2 == std::vector<std::string>{"vitals_plugin_entry_v2"});
}

TEST_CASE("the ELF reader refuses files that are not shared objects", "[plugin][loader][exports]") {
  TempDir dir;
  auto text = vitals::detail::exported_dynamic_symbols(dir.write("x.so", "hello"));
  CHECK(text.status().code() == StatusCode::kParseError);
  CHECK(text.status().message() == (dir.path() / "x.so").string() + " is not an ELF file");
  auto missing = vitals::detail::exported_dynamic_symbols(dir.path() / "missing.so");
  CHECK(missing.status().code() == StatusCode::kIoError);
}

TEST_CASE("safe-permission checks name the problem", "[plugin][loader][permissions]") {
  TempDir dir;
  fs::path file = dir.write("f", "x");
  fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
  CHECK(vitals::detail::check_safe_permissions(file).is_ok());
  CHECK(vitals::detail::check_safe_permissions(dir.path()).is_ok());
  auto missing = vitals::detail::check_safe_permissions(dir.path() / "missing");
  CHECK(missing.code() == StatusCode::kPluginError);
  CHECK(missing.message() == "cannot check the permissions of " +
                                 (dir.path() / "missing").string() + ": No such file or directory");
}
