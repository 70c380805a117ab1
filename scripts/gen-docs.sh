#!/usr/bin/env bash
# scripts/gen-docs.sh — `make docs`: regenerate shell completions and man pages from the command definitions.
#
# Usage: scripts/gen-docs.sh ARXOS_BINARY DATE [OUTPUT_DIRECTORY]
#   ARXOS_BINARY      the built arxos (make docs passes "$(swift build --show-bin-path)/arxos")
#   DATE              the release date printed in the man pages, YYYY-MM-DD (make docs passes MAN_DATE)
#   OUTPUT_DIRECTORY  where man/ and completions/ are written (default: the package root). The tests pass a
#                     temporary directory and compare the result with the committed files.
#
# Writes, replacing what is there:
#   man/*.1                  swift package generate-manual --multi-page --date DATE (swift-argument-parser's
#                            GenerateManual plugin; its output is in <scratch>/plugins/GenerateManual/outputs/arxos/),
#                            then finished here: one sentence per line and no empty paragraphs (so that
#                            `mandoc -T lint -W warning` is quiet), the ENVIRONMENT, FILES, EXIT STATUS and EXAMPLES
#                            sections from scripts/man-sections/ (see its README), and a SEE ALSO reference to the
#                            parent command's page
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
#   GEN_DOCS_MANUAL_TOOL        run this generate-manual executable (the tool behind the plugin, which builds it as
#                               <scratch>/<triple>/debug/generate-manual-tool) on ARXOS_BINARY instead of the plugin:
#                               no SwiftPM, no build, the same pages. The tests use it.
#
# The output is deterministic: the same binary, DATE and scripts/man-sections/ give the same bytes.
#
# Tests/ArxosEndToEndTests/GeneratedDocsTests.swift fails when the committed files differ from what the binary
# generates: run `make docs` after changing a command, and commit completions/ and man/.
set -euo pipefail

log() { printf 'gen-docs: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

[[ $# -eq 2 || $# -eq 3 ]] || die "usage: scripts/gen-docs.sh ARXOS_BINARY DATE [OUTPUT_DIRECTORY]"
binary=$1
date=$2
[[ -x $binary && -f $binary ]] || die "$binary is not an executable file (run 'swift build' first)"
[[ $date =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]] || die "DATE must look like 2026-11-27, got '$date'"

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
binary=$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")
swift=${SWIFT:-swift}
dest=${3:-$root}
[[ -d $dest ]] || die "$dest is not a directory"
dest=$(cd "$dest" && pwd)
sections=$root/scripts/man-sections

# Scratch space for the raw and the finished pages; removed however the script ends.
work=$(mktemp -d "${TMPDIR:-/tmp}/arxos-gen-docs.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/raw" "$work/man"

# ---------------------------------------------------------------- man pages: the raw pages

# Either the generate-manual tool run directly (GEN_DOCS_MANUAL_TOOL), or the GenerateManual plugin, which builds the
# package and the tool first. Both leave one raw page per command in $work/raw.
man_error=
if [[ -n ${GEN_DOCS_MANUAL_TOOL:-} ]]; then
    log "generating man pages ($GEN_DOCS_MANUAL_TOOL)"
    "$GEN_DOCS_MANUAL_TOOL" "$binary" --multi-page --date "$date" --output-directory "$work/raw" >&2 ||
        man_error="'$GEN_DOCS_MANUAL_TOOL' failed (see above); man/ was left as it was"
else
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
    if ! (cd "$root" && "$swift" package --scratch-path "$scratch" generate-manual \
        --configuration "$configuration" --multi-page --date "$date") >&2; then
        man_error="the GenerateManual plugin failed (see above); man/ was left as it was"
    elif [[ -f $out/arxos.1 ]]; then
        cp "$out/"*.1 "$work/raw/"
    fi
fi
if [[ -z $man_error && ! -f $work/raw/arxos.1 ]]; then
    man_error="the generator wrote no arxos.1; man/ was left as it was"
fi

# ---------------------------------------------------------------- man pages: finishing

# generate-manual drops every non-ASCII character of the help texts ('≤' vanishes, 'a ≤ b' reads 'a  b'). Name the
# help texts that have some, so that they are rewritten in ASCII. (After the plugin, whose build may have refreshed
# ARXOS_BINARY.)
if non_ascii=$("$binary" --experimental-dump-help | LC_ALL=C grep -o '"[a-z]*" *: *"[^"]*[^ -~][^"]*"'); then
    log "warning: these help texts have non-ASCII characters, which the man pages lose; write them in ASCII:"
    printf '%s\n' "$non_ascii" | LC_ALL=C sort -u | cut -c1-160 | sed 's/^/    /' >&2
fi

# mdoc clean-up, on stdin to stdout, for `mandoc -T lint -W warning`:
# - a text line holding several sentences is broken after each one ("new sentence, new line"); a new line that would
#   start with '.' or "'" (a control character) gets the zero-width escape \&. Literal displays (.Bd -literal … .Ed)
#   are left alone.
# - a .Pp directly before .It, .El or .Sh is dropped ("skipping paragraph macro"): the plugin writes one between an
#   option's abstract and a discussion that turns out empty.
tidy_awk='
function emit(line) {
    if (pending_pp && line !~ /^\.(It|El|Sh)([ \t]|$)/) print ".Pp"
    pending_pp = 0
    print line
}
{
    line = $0
    if (literal) { if (line ~ /^\.Ed([ \t]|$)/) literal = 0; emit(line); next }
    if (line ~ /^\.Bd .*-(literal|unfilled)/) { literal = 1; emit(line); next }
    if (line ~ /^\.Pp[ \t]*$/) { pending_pp = 1; next }
    if (line ~ /^[.\047]/) { emit(line); next }
    # Sentence end: . ! or ? (perhaps closed by quotes, parentheses or brackets), spaces, then anything but a
    # lowercase letter.
    while (match(line, /[.!?][)\047"\]]* +[^ a-z]/)) {
        matched = substr(line, RSTART, RLENGTH)
        head = substr(line, 1, RSTART + index(matched, " ") - 2)
        line = substr(line, RSTART + RLENGTH - 1)
        emit(head)
        if (line ~ /^[.\047]/) line = "\\&" line
    }
    emit(line)
}
END { if (pending_pp) print ".Pp" }
'

# Prints the section TITLE with the body from FILE, if FILE exists.
fragment() {
    local title=$1 file=$2
    [[ -f $file ]] || return 0
    printf '.Sh %s\n' "$title"
    cat "$file"
}

# The words of the first line of FILE whose first word is KEY, without KEY; comments and blank lines skipped.
lookup() {
    awk -v key="$2" '!/^[ \t]*(#|$)/ && $1 == key { $1 = ""; sub(/^[ \t]+/, ""); print; exit }' "$1"
}

# The EXIT STATUS section of page NAME: the statuses from scripts/man-sections/exit-status, each with its text from
# exit-meanings (the page's own, else the "*" one).
exit_status() {
    local name=$1 statuses status text
    statuses=$(lookup "$sections/exit-status" "$name")
    if [[ -z $statuses ]]; then
        printf '%s\n' "$name" >>"$work/missing-exit-status"    # a file: this runs in a subshell
        statuses=$(lookup "$sections/exit-status" '*')
    fi
    printf '.Sh EXIT STATUS\n.Bl -tag -width Ds\n'
    for status in $statuses; do
        text=$(awk -v page="$name" -v status="$status" '
            !/^[ \t]*(#|$)/ && $2 == status && ($1 == page || $1 == "*") {
                found = $0; sub(/^[^ \t]+[ \t]+[^ \t]+[ \t]+/, "", found)
                if ($1 == page) { own = found } else { general = found }
            }
            END { print (own != "" ? own : general) }' "$sections/exit-meanings")
        [[ -n $text ]] || die "scripts/man-sections/exit-meanings has no text for status $status"
        printf '.It %s\n%s\n' "$status" "$text"
    done
    printf '.El\n'
}

# The finished page NAME (arxos.key.generate) from the raw page FILE. The plugin writes NAME, SYNOPSIS, DESCRIPTION,
# an EXIT STATUS holding only `.Ex -std`, and SEE ALSO (pages of subcommands); the hand-written sections go between
# DESCRIPTION and SEE ALSO, in the order mdoc(7) gives.
finish_page() {
    local name=$1 file=$2 parent rest
    grep -q '^\.Sh "EXIT STATUS"$' "$file" || die "$file has no EXIT STATUS section: the plugin's output changed"
    parent=${name%.*}
    {
        awk '/^\.Sh "EXIT STATUS"$/ { exit } { print }' "$file"
        fragment ENVIRONMENT "$sections/environment/$name"
        fragment FILES "$sections/files/$name"
        exit_status "$name"
        fragment EXAMPLES "$sections/examples/$name"
        # What the plugin wrote after its EXIT STATUS section, without the .Ex -std line: SEE ALSO (the subcommands'
        # pages), if any. Every page but arxos.1 refers to its parent command's page first.
        rest=$(awk 'after { print } /^\.Sh "EXIT STATUS"$/ { after = 1 }' "$file" | grep -v '^\.Ex -std$' || true)
        if [[ $name == arxos ]]; then
            [[ -z $rest ]] || printf '%s\n' "$rest"
        elif [[ $rest == '.Sh "SEE ALSO"'* ]]; then
            printf '.Sh "SEE ALSO"\n.Xr %s 1 ,\n%s\n' "$parent" "${rest#*$'\n'}"
        else
            printf '.Sh "SEE ALSO"\n.Xr %s 1\n' "$parent"
            [[ -z $rest ]] || printf '%s\n' "$rest"
        fi
    } | awk "$tidy_awk"
}

if [[ -z $man_error ]]; then
    for file in "$work/raw/"*.1; do
        name=$(basename "$file" .1)
        finish_page "$name" "$file" >"$work/man/$name.1"
    done
    # A fragment for a page that no longer exists is a mistake (a renamed command): say so.
    for file in "$sections"/{environment,files,examples}/*; do
        [[ -e $file ]] || continue    # an empty directory: the pattern itself
        [[ -f $work/raw/$(basename "$file").1 ]] ||
            log "warning: scripts/man-sections/${file#"$sections"/} belongs to no man page"
    done
    if [[ -s $work/missing-exit-status ]]; then
        log "warning: no line in scripts/man-sections/exit-status for $(tr '\n' ' ' <"$work/missing-exit-status")- listed the default statuses"
    fi
    mkdir -p "$dest/man"
    rm -f "$dest/man/"*.1
    cp "$work/man/"*.1 "$dest/man/"
    log "wrote $(find "$dest/man" -name '*.1' | wc -l | tr -d ' ') man pages into $dest/man"
fi

# ---------------------------------------------------------------- completions

# After the plugin: its build may have just refreshed ARXOS_BINARY from the current sources. A plugin failure is
# reported only after the completions are written, so that they are never left behind.
mkdir -p "$dest/completions"
for shell in bash zsh fish; do
    case $shell in
        bash) file=arxos.bash ;;
        zsh) file=_arxos ;;
        fish) file=arxos.fish ;;
    esac
    tmp="$dest/completions/.$file.tmp"
    if ! "$binary" --generate-completion-script "$shell" >"$tmp"; then
        rm -f "$tmp"
        die "'$binary --generate-completion-script $shell' failed"
    fi
    [[ -s $tmp ]] || { rm -f "$tmp"; die "'$binary --generate-completion-script $shell' printed nothing"; }
    mv "$tmp" "$dest/completions/$file"
    log "wrote completions/$file"
done

[[ -z $man_error ]] || die "$man_error"
