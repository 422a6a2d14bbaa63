#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs the build into a temporary prefix and uses it as an outsider would:
#  1. the installed layout (library, headers, C API, plugin SDK, CLI, rules,
#     plugins, CMake package, pkg-config file);
#  2. examples/embed (C++ and C) built with find_package(vitals) and run;
#  3. the C example built with pkg-config alone and run;
#  4. examples/hello_plugin built against the installed SDK headers only,
#     exporting nothing but its entry point, and loaded by the installed CLI,
#     which finds the shipped rules and bundled plugins relative to itself.
#
# usage: install_test.sh BUILD_DIR SOURCE_DIR WORK_DIR
set -euo pipefail

build=$1
src=$2
work=$3
rm -rf "$work"
mkdir -p "$work"
prefix=$work/prefix
step() { echo "== $*"; }
fail() { echo "FAILED: $*" >&2; exit 1; }

step "cmake --install into $prefix"
cmake --install "$build" --prefix "$prefix" > "$work/install.log"
libdir=$(dirname "$(find "$prefix" -name 'libvitals.so' -print -quit)")
[ -n "$libdir" ] || fail "libvitals.so was not installed"
for f in bin/vitals bin/vitals-plugin-host include/vitals/vitals.h include/vitals/vitals.hpp include/vitals/engine.hpp \
         include/vitals/version.hpp include/vitals/plugin/abi.h include/vitals/plugin/sdk.hpp \
         share/vitals/rules/lib/series.lua lib/vitals/plugins/csv_source.so; do
  [ -e "$prefix/$f" ] || fail "$f was not installed"
done
for f in share/bash-completion/completions/vitals share/zsh/site-functions/_vitals share/man/man1/vitals.1; do
  [ -s "$prefix/$f" ] || fail "$f was not installed"
done
grep -q "^complete -F _vitals vitals$" "$prefix/share/bash-completion/completions/vitals" \
  || fail "the bash completion does not complete vitals"
head -1 "$prefix/share/zsh/site-functions/_vitals" | grep -qx "#compdef vitals" || fail "_vitals is not a zsh completion"
groff -man -Tutf8 -ww -z "$prefix/share/man/man1/vitals.1" 2> "$work/man.err" && [ ! -s "$work/man.err" ] \
  || { cat "$work/man.err"; fail "the installed vitals.1 does not render cleanly"; }
[ -f "$libdir/cmake/vitals/vitals-config.cmake" ] || fail "no CMake package config"
[ -f "$libdir/pkgconfig/vitals.pc" ] || fail "no pkg-config file"
find "$prefix/share/vitals/rules" -name off_target.lua | grep -q . || fail "off_target.lua not installed"

step "find_package(vitals): examples/embed"
cmake -S "$src/examples/embed" -B "$work/embed" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_BUILD_TYPE=Release > "$work/embed-configure.log" || { cat "$work/embed-configure.log"; fail "configure"; }
cmake --build "$work/embed" > "$work/embed-build.log" 2>&1 || { cat "$work/embed-build.log"; fail "build"; }
"$work/embed/embed_example" "$src/examples/norfolk" "$work/card.html" | tee "$work/embed.out"
grep -q "^exception: dtoc_social_care_per_100k$" "$work/embed.out" || fail "the C++ example found no exception"
grep -q "off_target: 3.56 against a target of 1.5" "$work/embed.out" || fail "no off-target reason"
grep -q "<html" "$work/card.html" || fail "the report card is not HTML"
"$work/embed/embed_example_c" "$src/examples/norfolk" | tee "$work/embed_c.out"
grep -q "^1 exception(s) among 15 indicators$" "$work/embed_c.out" || fail "the C example"
grep -q "^unknown indicator: not_found$" "$work/embed_c.out" || fail "the C example's error path"

step "pkg-config vitals: the C example with cc"
export PKG_CONFIG_PATH="$libdir/pkgconfig"
flags=$(pkg-config --cflags --libs vitals)
[ "$(pkg-config --modversion vitals)" = "$(sed -n 's/^Version: //p' "$libdir/pkgconfig/vitals.pc")" ] || fail "version"
cc -std=c99 -Wall -Wextra -Werror "$src/examples/embed/capi_example.c" $flags \
   -Wl,-rpath,"$libdir" -o "$work/c_pkgconfig"
# Into a file first: grep -q stops reading at its match, and under pipefail the
# writer's broken pipe would fail the step.
"$work/c_pkgconfig" "$src/examples/norfolk" > "$work/c_pkgconfig.out" || fail "the pkg-config build ran"
grep -q "^1 exception(s) among 15 indicators$" "$work/c_pkgconfig.out" || fail "the pkg-config build"

step "out-of-tree plugin against the installed SDK: examples/hello_plugin"
cmake -S "$src/examples/hello_plugin" -B "$work/hello" -DVITALS_INCLUDE_DIR="$prefix/include" \
  -DCMAKE_BUILD_TYPE=Release > "$work/hello-configure.log"
cmake --build "$work/hello" > "$work/hello-build.log" 2>&1 || { cat "$work/hello-build.log"; fail "build"; }
exported=$(nm -D --defined-only "$work/hello/hello_plugin.so" | awk '{print $3}' | grep -v '^$' | sort | tr '\n' ' ')
[ "$exported" = "vitals_plugin_entry_v1 " ] || fail "the plugin exports more than its entry: $exported"

mkdir -p "$work/catalogue/indicators"
cat > "$work/catalogue/catalogue.toml" <<'TOML'
[catalogue]
name = "Hello"

[sources.visits]
plugin = "hello"
TOML
cat > "$work/catalogue/indicators/visits.toml" <<'TOML'
[[indicator]]
id = "hello.visits"
title = "Visits"
polarity = "bigger"
unit = "count"
frequency = "monthly"
target = 11
source = "visits"
TOML
chmod -R go-w "$work/hello" "$work/catalogue"
"$prefix/bin/vitals" evaluate --catalogue "$work/catalogue" --store "$work/hello.db" \
  --period 2017-02 --format json --plugin-dir "$work/hello" > "$work/hello.json" \
  || { cat "$work/hello.json"; fail "the installed CLI"; }
grep -q '"indicator": "hello.visits"' "$work/hello.json" || fail "no result for hello.visits"
grep -q '"value": 12.5' "$work/hello.json" || fail "the plugin's data did not arrive"
grep -q '"rule": "off_target"' "$work/hello.json" || fail "the installed rules did not run"
echo "install test passed"
