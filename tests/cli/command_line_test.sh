#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The command line itself: help for every command, "did you mean" for a
# misspelt command or option, and the bash completion and manual page made
# from the same definitions.
# Usage: command_line_test.sh SCENARIO VITALS_BINARY SOURCE_DIR [SHARE_DIR]
set -euo pipefail
scenario=$1
vitals=$2
src=$3
share=${4:-}
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

commands="evaluate check ingest report publish explain backtest runs diff risks help completion man version"

case "$scenario" in
  help)
    # Every command answers -h and --help on standard output with status 0.
    for command in $commands; do
      for flag in -h --help; do
        run "$vitals" "$command" "$flag"
        [ "$rc" -eq 0 ] || fail "$command $flag: exit code $rc"
        expect_contains "$work/out" "usage: vitals $command"
        expect_contains "$work/out" "-h, --help"
      done
    done
    for flag in -h --help; do
      run "$vitals" rules test "$flag"
      [ "$rc" -eq 0 ] || fail "rules test $flag: exit code $rc"
      expect_contains "$work/out" "usage: vitals rules test"
    done
    # vitals help COMMAND shows that command's help, the same as --help.
    run "$vitals" evaluate --help
    cp "$work/out" "$work/evaluate-help"
    run "$vitals" help evaluate
    [ "$rc" -eq 0 ] || fail "help evaluate: exit code $rc"
    cmp -s "$work/out" "$work/evaluate-help" || fail "vitals help evaluate differs from --help"
    expect_contains "$work/out" "--period PERIOD"
    run "$vitals" help
    [ "$rc" -eq 0 ] || fail "help: exit code $rc"
    expect_contains "$work/out" "Commands:"
    # A command's help lists only the options it takes.
    run "$vitals" diff --help
    expect_contains "$work/out" "--store FILE"
    expect_not_contains "$work/out" "--catalogue"
    expect_not_contains "$work/out" "--period"
    run "$vitals" check --help
    expect_contains "$work/out" "--catalogue DIR"
    expect_not_contains "$work/out" "--store"
    run "$vitals" rules test --help
    expect_contains "$work/out" "--junit FILE"
    expect_not_contains "$work/out" "--store"
    [ "$(grep -c -- '--catalogue DIR' "$work/out")" -eq 1 ] || fail "rules test --help lists --catalogue twice"
    # ...and accepts only those.
    run "$vitals" check --catalogue "$src/examples/norfolk" --store "$work/v.db"
    [ "$rc" -eq 2 ] || fail "check --store: exit code $rc"
    expect_contains "$work/err" "unknown option '--store' for 'vitals check'"
    ;;
  did_you_mean)
    run "$vitals" evalute --catalogue x
    [ "$rc" -eq 2 ] || fail "misspelt command: exit code $rc"
    expect_contains "$work/err" "unknown command 'evalute'; did you mean 'evaluate'?"
    run "$vitals" help evalute
    [ "$rc" -eq 2 ] || fail "help of a misspelt command: exit code $rc"
    expect_contains "$work/err" "did you mean 'evaluate'?"
    run "$vitals" evaluate --catalogue x --perod 2017-03
    [ "$rc" -eq 2 ] || fail "misspelt option: exit code $rc"
    expect_contains "$work/err" "unknown option '--perod' for 'vitals evaluate'; did you mean '--period'?"
    run "$vitals" evaluate --catalogue x --period=2017-03 --no-ingset
    expect_contains "$work/err" "did you mean '--no-ingest'?"
    run "$vitals" rules tset
    [ "$rc" -eq 2 ] || fail "misspelt subcommand: exit code $rc"
    expect_contains "$work/err" "did you mean 'test'?"
    run "$vitals" evaluate --catalogue x --period
    [ "$rc" -eq 2 ] || fail "missing value: exit code $rc"
    expect_contains "$work/err" "option --period needs a value"
    run "$vitals" evaluate --catalogue x --period 2017-03 stray
    [ "$rc" -eq 2 ] || fail "stray argument: exit code $rc"
    expect_contains "$work/err" "unexpected argument 'stray'"
    run "$vitals" evaluate --catalogue x --period 2017-03 --color sometimes
    [ "$rc" -eq 2 ] || fail "bad --color: exit code $rc"
    expect_contains "$work/err" "--color must be always, never or auto, not 'sometimes'"
    run "$vitals" completion fish
    [ "$rc" -eq 2 ] || fail "completion fish: exit code $rc"
    ;;
  bash_completion)
    script=$share/bash-completion/completions/vitals
    [ -f "$script" ] || fail "no bash completion at $script"
    "$vitals" completion bash | cmp -s - "$script" || fail "the built script is not vitals completion bash"
    # complete WORDS...: the completions bash offers for the last word.
    complete_words() {
      bash --norc --noprofile -c '
        source "$1"; shift
        COMP_WORDS=("$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
        COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
        _vitals vitals "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
        [ ${#COMPREPLY[@]} -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}"' complete "$script" "$@"
    }
    complete_words vitals ev > "$work/out"
    [ "$(cat "$work/out")" = "evaluate" ] || { cat "$work/out"; fail "vitals ev<TAB>"; }
    complete_words vitals r > "$work/out"
    expect_contains "$work/out" "report"
    expect_contains "$work/out" "rules"
    expect_contains "$work/out" "runs"
    expect_contains "$work/out" "risks"
    complete_words vitals evaluate --per > "$work/out"
    [ "$(cat "$work/out")" = "--period" ] || { cat "$work/out"; fail "vitals evaluate --per<TAB>"; }
    complete_words vitals evaluate --catalogue x --no- > "$work/out"
    [ "$(cat "$work/out")" = "--no-ingest" ] || { cat "$work/out"; fail "vitals evaluate --no-<TAB>"; }
    complete_words vitals evaluate --format m > "$work/out"
    [ "$(cat "$work/out")" = "markdown" ] || { cat "$work/out"; fail "vitals evaluate --format m<TAB>"; }
    complete_words vitals check --st > "$work/out"
    [ ! -s "$work/out" ] || { cat "$work/out"; fail "check offers --store, which it does not take"; }
    complete_words vitals rules t > "$work/out"
    [ "$(cat "$work/out")" = "test" ] || { cat "$work/out"; fail "vitals rules t<TAB>"; }
    complete_words vitals rules test --jun > "$work/out"
    [ "$(cat "$work/out")" = "--junit" ] || { cat "$work/out"; fail "vitals rules test --jun<TAB>"; }
    mkdir -p "$work/catalogues/norfolk"
    (cd "$work/catalogues" && complete_words vitals evaluate --catalogue no) > "$work/out"
    [ "$(cat "$work/out")" = "norfolk" ] || { cat "$work/out"; fail "vitals evaluate --catalogue no<TAB>"; }
    ;;
  zsh_completion)
    script=$share/zsh/site-functions/_vitals
    [ -f "$script" ] || fail "no zsh completion at $script"
    "$vitals" completion zsh | cmp -s - "$script" || fail "the built script is not vitals completion zsh"
    zsh -n "$script" || fail "the zsh script does not parse"
    # zsh's completion functions replaced by ones that print what they are
    # given: the commands for the first word, then each command's option specs.
    cat > "$work/probe.zsh" <<'ZSH'
_describe() { print -rl -- "${(@P)${@[-1]}}" }
_arguments() { print -rl -- "$@" }
compadd() { print -r -- "compadd $*" }
source $1
shift
words=("$@"); CURRENT=$#words
_vitals
ZSH
    zsh -f "$work/probe.zsh" "$script" vitals ev > "$work/out"
    expect_contains "$work/out" "evaluate:ingest the sources, evaluate a period, print the exception summary"
    expect_contains "$work/out" "rules:run the rule tests"
    zsh -f "$work/probe.zsh" "$script" vitals evaluate --per > "$work/out"
    expect_contains "$work/out" "--period[the reporting period, e.g. 2017-03]:PERIOD:"
    expect_contains "$work/out" "--format[text (default), markdown or json]:FORMAT:(text markdown json)"
    expect_contains "$work/out" "--catalogue[the catalogue directory (catalogue.toml, indicators/)]:DIR:_files -/"
    expect_contains "$work/out" "*--plugin-dir["
    expect_not_contains "$work/out" "--junit"
    zsh -f "$work/probe.zsh" "$script" vitals rules t > "$work/out"
    expect_contains "$work/out" "compadd test"
    zsh -f "$work/probe.zsh" "$script" vitals rules test --j > "$work/out"
    expect_contains "$work/out" "--junit[also write the results as JUnit XML to FILE]:FILE:_files"
    ;;
  man_page)
    page=$share/man/man1/vitals.1
    [ -f "$page" ] || fail "no manual page at $page"
    "$vitals" man | cmp -s - "$page" || fail "the built page is not vitals man"
    # groff renders it without a warning, and it shows every command and option.
    groff -man -Tutf8 -ww -P-cbou "$page" > "$work/out" 2> "$work/err"
    [ ! -s "$work/err" ] || { cat "$work/err"; fail "groff warned"; }
    for command in $commands; do expect_contains "$work/out" "vitals $command"; done
    expect_contains "$work/out" "vitals rules test"
    expect_contains "$work/out" "--coverage-min N"
    expect_contains "$work/out" "--plugin-dir DIR"
    expect_contains "$work/out" "EXIT STATUS"
    MANWIDTH=80 man --warnings -l "$page" > "$work/out" 2> "$work/err"
    [ ! -s "$work/err" ] || { cat "$work/err"; fail "man warned"; }
    expect_contains "$work/out" "--period PERIOD"
    ;;
  grouped_diagnostics)
    # A rule that fails for every indicator: one error, with a count, printed
    # once (on standard error; the summary on standard output leaves it out).
    cp -r "$src/examples/norfolk" "$work/norfolk"
    mkdir -p "$work/rules"
    printf 'return { id = "boom", version = "1", description = "x",\n  evaluate = function(ctx)\n    error("the figures are not in")\n  end }\n' > "$work/rules/boom.lua"
    sed -i "s|^rule_dirs = .*|rule_dirs = [\"$src/rules/council\", \"$work/rules\"]|" "$work/norfolk/catalogue.toml"
    run "$vitals" evaluate --catalogue "$work/norfolk" --period 2017-03 --store "$work/v.db"
    [ "$rc" -eq 1 ] || { cat "$work/err"; fail "evaluate: exit code $rc, expected 1"; }
    [ "$(grep -c 'the figures are not in' "$work/err")" -eq 1 ] || { cat "$work/err"; fail "the error is not shown once on standard error"; }
    expect_contains "$work/err" "the figures are not in (and 14 more indicators) [rule.runtime_error]"
    expect_not_contains "$work/out" "the figures are not in"
    # -v lists every indicator's.
    run "$vitals" evaluate --catalogue "$work/norfolk" --period 2017-03 --store "$work/v.db" --no-ingest -v
    [ "$(grep -c 'the figures are not in \[rule.runtime_error\]' "$work/err")" -eq 15 ] || { cat "$work/err"; fail "-v does not list all 15"; }
    # Written to a file, the summary keeps every diagnostic, grouped.
    run "$vitals" evaluate --catalogue "$work/norfolk" --period 2017-03 --store "$work/v.db" --no-ingest --output "$work/summary.txt"
    expect_contains "$work/summary.txt" "the figures are not in (and 14 more indicators)"
    # The JSON result keeps each one.
    run "$vitals" evaluate --catalogue "$work/norfolk" --period 2017-03 --store "$work/v.db" --no-ingest --format json
    [ "$(grep -o 'the figures are not in' "$work/out" | wc -l)" -ge 15 ] || fail "the JSON does not keep every diagnostic"
    # vitals check lists each problem where it is, for an editor to go to.
    sed -i "s|^polarity = |polarty = |" "$work/norfolk/indicators/"*.toml
    run "$vitals" check --catalogue "$work/norfolk"
    [ "$(cat "$work/out" "$work/err" | grep -c "unknown key 'polarty'")" -eq 15 ] || { cat "$work/err"; fail "check grouped its problems"; }
    # vitals rules test: tests of many indicators with the same problem.
    mkdir -p "$work/tests"
    printf 'return { id = "latest", version = "1", description = "x",\n  evaluate = function(ctx) return { status = "ok", message = "ok" } end }\n' > "$work/tests/latest.lua"
    for id in a_one b_two c_three; do
      printf '[[test]]\nname = "%s"\nindicator = "%s"\nseries = [1.0, 2.0]\nexpect.status = "ok"\n\n' "$id" "$id"
    done > "$work/tests/latest.test.toml"
    run "$vitals" rules test "$work/tests"
    [ "$rc" -eq 1 ] || { cat "$work/out" "$work/err"; fail "rules test: exit code $rc, expected 1"; }
    [ "$(grep -c 'which needs a catalogue' "$work/out")" -eq 1 ] || { cat "$work/out"; fail "rules test repeats the error"; }
    expect_contains "$work/out" "test names indicator 'a_one', which needs a catalogue: run with --catalogue DIR (and 2 more indicators)"
    run "$vitals" rules test "$work/tests" -v
    [ "$(grep -c 'which needs a catalogue' "$work/out")" -eq 3 ] || { cat "$work/out"; fail "rules test -v does not list all 3"; }
    ;;
  *) fail "unknown scenario $scenario" ;;
esac
echo "PASS: $scenario"
