#!/usr/bin/env bash
# scripts/gen-docs.sh — `make docs`: regenerate shell completions and man pages from the command definitions.
#
# Usage: scripts/gen-docs.sh ARXOS_BINARY DATE
#   ARXOS_BINARY  the built arxos (make docs passes "$(swift build --show-bin-path)/arxos")
#   DATE          the release date printed in the man pages, YYYY-MM-DD (make docs passes MAN_DATE)
#
# Writes, replacing what is there:
#   man/*.1                  swift package generate-manual --multi-page --date DATE (swift-argument-parser's
#                            GenerateManual plugin), copied from <scratch>/plugins/GenerateManual/outputs/arxos/
#   completions/arxos.bash   arxos --generate-completion-script bash
#   completions/_arxos       arxos --generate-completion-script zsh
#   completions/arxos.fish   arxos --generate-completion-script fish
#
# The plugin builds the package itself before it runs the tool. So that it reuses the build that produced
# ARXOS_BINARY instead of starting a release build from nothing, it is given that build's scratch directory (the
# ancestor of ARXOS_BINARY holding workspace-state.json) and configuration (the binary's directory name, debug or
# release). Override with:
#   SWIFT                       the swift driver (default swift)
#   GEN_DOCS_SCRATCH_PATH       the scratch directory (default: found from ARXOS_BINARY, else .build)
#   GEN_DOCS_CONFIGURATION      debug or release (default: found from ARXOS_BINARY, else debug)
#
# Tests/ArxosEndToEndTests/GeneratedDocsTests.swift fails when the committed files differ from what the binary
# generates: run `make docs` after changing a command, and commit completions/ and man/.
set -euo pipefail

log() { printf 'gen-docs: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

[[ $# -eq 2 ]] || die "usage: scripts/gen-docs.sh ARXOS_BINARY DATE"
binary=$1
date=$2
[[ -x $binary && -f $binary ]] || die "$binary is not an executable file (run 'swift build' first)"
[[ $date =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]] || die "DATE must look like 2026-11-27, got '$date'"

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
binary=$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")
swift=${SWIFT:-swift}

# ---------------------------------------------------------------- man pages

scratch=${GEN_DOCS_SCRATCH_PATH:-}
if [[ -z $scratch ]]; then
    dir=$(dirname "$binary")
    while [[ $dir != / ]]; do
        if [[ -f $dir/workspace-state.json ]]; then scratch=$dir; break; fi
        dir=$(dirname "$dir")
    done
fi
scratch=${scratch:-$root/.build}
configuration=${GEN_DOCS_CONFIGURATION:-}
if [[ -z $configuration ]]; then
    case $(basename "$(dirname "$binary")") in
        release) configuration=release ;;
        *) configuration=debug ;;
    esac
fi
[[ $configuration == debug || $configuration == release ]] || die "GEN_DOCS_CONFIGURATION must be debug or release"

out="$scratch/plugins/GenerateManual/outputs/arxos"
rm -rf "$out"    # the plugin does not clear it: pages of removed commands would linger
log "generating man pages (swift package generate-manual, $configuration build in $scratch)"
man_error=
if ! (cd "$root" && "$swift" package --scratch-path "$scratch" generate-manual \
    --configuration "$configuration" --multi-page --date "$date") >&2; then
    man_error="the GenerateManual plugin failed (see above); man/ was left as it was"
elif [[ ! -f $out/arxos.1 ]]; then
    man_error="the plugin wrote no $out/arxos.1; man/ was left as it was"
else
    mkdir -p "$root/man"
    rm -f "$root/man/"*.1
    cp "$out/"*.1 "$root/man/"
    log "wrote $(find "$root/man" -name '*.1' | wc -l | tr -d ' ') man pages into man/"
fi

# ---------------------------------------------------------------- completions

# After the plugin: its build may have just refreshed ARXOS_BINARY from the current sources. A plugin failure is
# reported only after the completions are written, so that they are never left behind.
mkdir -p "$root/completions"
for shell in bash zsh fish; do
    case $shell in
        bash) file=arxos.bash ;;
        zsh) file=_arxos ;;
        fish) file=arxos.fish ;;
    esac
    tmp="$root/completions/.$file.tmp"
    if ! "$binary" --generate-completion-script "$shell" >"$tmp"; then
        rm -f "$tmp"
        die "'$binary --generate-completion-script $shell' failed"
    fi
    [[ -s $tmp ]] || { rm -f "$tmp"; die "'$binary --generate-completion-script $shell' printed nothing"; }
    mv "$tmp" "$root/completions/$file"
    log "wrote completions/$file"
done

[[ -z $man_error ]] || die "$man_error"
