#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs page_check.mjs (every HTML page of a folder in headless Chromium:
# console, requests, links, WCAG 2.1 AA with axe-core) after installing its
# pinned npm packages (package-lock.json) with `npm ci` into NODE_DIR, a
# folder outside the source tree; the install is redone only when the lock
# file changes.
#
#   tests/report_browser/page_check.sh NODE_DIR [--expect-pages N] FOLDER_OR_PAGE...
#
# for example, on a published site:
#   tests/report_browser/page_check.sh build/page_check site/
# or, sourced by a test (after chromium.sh): page_check NODE_DIR ARGS...
#
# Without npm, or when the registry cannot be reached, it skips (exit 77)
# with a message; under CI=true that is a failure instead.
set -euo pipefail

page_check_source=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# Exit 77 (skip), or 1 under CI=true, with a message that stands out.
page_check_unavailable() {
  echo "**************************************************************" >&2
  echo "page_check: $*" >&2
  if [[ "${CI:-}" == "true" ]]; then
    echo "FAIL: the browser checks must run in CI" >&2
    echo "**************************************************************" >&2
    exit 1
  fi
  echo "SKIP: the pages were NOT checked in a browser" >&2
  echo "**************************************************************" >&2
  exit 77
}

# Installs the pinned packages and the checker into $1.
page_check_install() {
  local dir=$1
  command -v node >/dev/null || page_check_unavailable "node is not installed"
  command -v npm >/dev/null || page_check_unavailable "npm is not installed"
  mkdir -p "$dir"
  (
    flock 9
    if ! cmp -s "$page_check_source/package-lock.json" "$dir/installed.lock"; then
      cp "$page_check_source/package.json" "$page_check_source/package-lock.json" "$dir/"
      if ! (cd "$dir" && timeout 240 npm ci --no-audit --no-fund --loglevel=error >npm.log 2>&1); then
        cat "$dir/npm.log" >&2
        exit 3
      fi
      cp "$page_check_source/package-lock.json" "$dir/installed.lock"
    fi
    local file
    for file in page_check.mjs print_check.mjs chromium.flags; do
      cmp -s "$page_check_source/$file" "$dir/$file" || cp "$page_check_source/$file" "$dir/$file"
    done
  ) 9>"$dir/.install.lock" || page_check_unavailable "npm ci failed (is the npm registry reachable?)"
}

# page_check NODE_DIR [--expect-pages N] FOLDER_OR_PAGE...
page_check() {
  local dir=$1
  shift
  page_check_install "$dir"
  timeout 240 node "$dir/page_check.mjs" --chromium "${chromium:-/usr/bin/chromium}" "$@"
}

# print_check NODE_DIR --out DIR PAGE.html...: A4 PDFs, portrait and
# landscape, checked with pdftotext (print_check.mjs).
print_check() {
  local dir=$1
  shift
  command -v pdftotext >/dev/null || page_check_unavailable "pdftotext (poppler-utils) is not installed"
  page_check_install "$dir"
  timeout 240 node "$dir/print_check.mjs" --chromium "${chromium:-/usr/bin/chromium}" "$@"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  [[ $# -ge 2 ]] || { echo "usage: page_check.sh NODE_DIR [--expect-pages N] FOLDER_OR_PAGE..." >&2; exit 2; }
  source "$page_check_source/chromium.sh"
  page_check "$@"
fi
