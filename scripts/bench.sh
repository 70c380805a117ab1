#!/usr/bin/env bash
# scripts/bench.sh — `make bench`: time arxos against git on the same work and print a table.
#
# Steps, each run on identical copies of the same files, arxos first, then git:
#   cold capture   arxos init -q . && arxos state capture -m initial   vs  git add -A && git commit -q -m initial
#   incremental    the same edit of BENCH_EDITS files, then
#                  arxos state capture -m edit                         vs  git commit -q -a -m edit
#   diff           arxos diff HEAD~1 HEAD (property-level)                 vs  git diff --stat HEAD~1 HEAD
#   merge          branch 'side' from HEAD; BENCH_MERGE_EDITS files edited and committed on main, as many other
#                  files on side (disjoint halves of each building), back on main, then
#                  arxos merge side -m merge                           vs  git merge -q --no-edit side
#   log            a history of BENCH_COMMITS commits (one edited file per commit, built in a second,
#                  smaller pair of repositories so that building it stays cheap), then
#                  arxos log > /dev/null                               vs  git log > /dev/null
#   gc / store     arxos gc vs git gc -q (default settings) on the portfolio repositories, then the
#                  bytes of .arxos/objects/pack vs .git/objects/pack, and of .arxos vs .git
#   clone          the portfolio repositories, served on loopback, cloned into new directories:
#                  arxos serve --listen 127.0.0.1:0 --root BENCH_DIR (a node key, and a client key in its
#                  authorized_keys, made untimed), then  arxos clone -q tcp://127.0.0.1:PORT/arxos   vs
#                  git daemon --reuseaddr --base-path=BENCH_DIR --export-all on 127.0.0.1, then
#                  git clone -q git://127.0.0.1:PORT/git (git clone -q --no-local BENCH_DIR/git when the
#                  daemon does not start; the table says which). Both servers stay up for the fetch and are
#                  stopped by a trap when the script exits.
#   fetch          BENCH_EDITS files edited on the served sides and committed (untimed), then in each clone
#                  arxos fetch -q                                      vs  git fetch -q
#   index build    arxos index rebuild (every object of HEAD into .arxos/index.db), compared with arxos's own cold
#                  capture of the same files (run after the other steps, on the final HEAD)
#   selective query  arxos query "type = 'vav' and maxAirflow > 800 cfm" --ids  vs  grep -rl 'type: vav' over the
#                  working tree (the files holding VAVs; grep cannot compare airflows), both run once untimed first
#   indexed capture  BENCH_EDITS more files edited, then arxos state capture with the index present (the capture
#                  updates the index), compared with the incremental capture above (no index then)
#   bytes          what crosses the wire, both directions summed, for a second (untimed) clone and its fetch
#                  of the same states, made through a counting TCP proxy (a small Python relay started for
#                  the step) in front of each server: arxos's bytes are the sealed (encrypted) stream,
#                  git's the plain git:// stream
# Targets: cold ≤ 0.5 × git, incremental ≤ 0.5 × git, diff ≤ 2 × git, merge ≤ 1 × git, store (packs) ≤ 0.7 × git,
# clone ≤ 0.5 × git, fetch ≤ 0.5 × git, bytes ≤ 1 × git, index build ≤ 0.5 × cold capture, selective query ≤ 0.2 × grep,
# arxos peak RSS ≤ 100 MB (the server's peak, VmHWM of arxos serve, counts too).
# A MISS is reported, not fatal: the script exits 0 unless a command failed (then 1, marked ERROR).
#
# Seconds are wall-clock, measured around `/usr/bin/time -f '%e %M'` with bash's EPOCHREALTIME (the
# `%e` value has only centisecond resolution); peak RSS is time's `%M` (KB, largest process).
# git runs with its own defaults except that automatic gc is off (gc.auto=0) so that no background gc
# runs during the timed commits; the explicit `git gc -q` is timed as its own step.
# arxos runs with an empty ARXOS_HOME (no key, so nothing is signed) and ARXOS_AUTHOR_NAME/EMAIL set.
#
# Environment:
#   BENCH_DIR           work directory (default /tmp/arxos-bench; its bench folders are recreated)
#   BENCH_BUILDINGS     portfolio buildings (default 100)
#   BENCH_OBJECTS       objects per building (default 1000)
#   BENCH_EDITS         files edited for the incremental step (default 100)
#   BENCH_MERGE_EDITS   files edited on each side for the merge step (default 1000)
#   BENCH_COMMITS       commits in the history for the log step (default 1000)
#   BENCH_HISTORY_BUILDINGS, BENCH_HISTORY_OBJECTS   size of the history repositories (default 10 × 100)
#   BENCH_SEED          portfolio seed (default 1)
#   BENCH_ONLY          'transfer': run only cold capture, gc and the transfer steps (clone, fetch, bytes);
#                       'query': only cold capture, gc and the index steps (index build, selective query, indexed
#                       capture); other steps are left out of the table (default: every step)
#   ARXOS               arxos binary to use; when set, nothing is built (ARXOS=/bin/true checks the plumbing)
# Usage: scripts/bench.sh            (or: BENCH_BUILDINGS=5 BENCH_OBJECTS=200 BENCH_COMMITS=50 scripts/bench.sh)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/arxos-bench}
BUILDINGS=${BENCH_BUILDINGS:-100}
OBJECTS=${BENCH_OBJECTS:-1000}
EDITS=${BENCH_EDITS:-100}
MERGE_EDITS=${BENCH_MERGE_EDITS:-1000}
COMMITS=${BENCH_COMMITS:-1000}
HIST_BUILDINGS=${BENCH_HISTORY_BUILDINGS:-10}
HIST_OBJECTS=${BENCH_HISTORY_OBJECTS:-100}
SEED=${BENCH_SEED:-1}
ONLY=${BENCH_ONLY:-}
GEN="$ROOT/Fixtures/generate-portfolio.py"
TIME=/usr/bin/time

log() { printf '%s\n' "bench: $*" >&2; }
die() { log "$*"; exit 1; }

[[ -x $TIME ]] || die "$TIME (GNU time) is required"
command -v git >/dev/null || die "git is required"
command -v python3 >/dev/null || die "python3 is required"
for n in "$BUILDINGS" "$OBJECTS" "$EDITS" "$MERGE_EDITS" "$COMMITS" "$HIST_BUILDINGS" "$HIST_OBJECTS" "$SEED"; do
    [[ $n =~ ^[0-9]+$ ]] || die "BENCH_* values must be whole numbers, got '$n'"
done
[[ -z $ONLY || $ONLY == transfer || $ONLY == query ]] || die "BENCH_ONLY must be empty, 'transfer' or 'query', got '$ONLY'"
# runs STEP: whether a group of steps runs under BENCH_ONLY.
runs() { [[ -z $ONLY || $ONLY == "$1" ]]; }

# ---------------------------------------------------------------- the binary

if [[ -n ${ARXOS:-} ]]; then
    command -v "$ARXOS" >/dev/null || die "ARXOS=$ARXOS is not an executable"
    ARXOS=$(command -v "$ARXOS")
else
    log "building arxos (swift build -c release)"
    (cd "$ROOT" && swift build -c release >&2)
    ARXOS="$(cd "$ROOT" && swift build -c release --show-bin-path)/arxos"
    [[ -x $ARXOS ]] || die "no binary at $ARXOS after swift build"
fi

# ---------------------------------------------------------------- environment

mkdir -p "$BENCH_DIR"
BENCH_DIR=$(cd "$BENCH_DIR" && pwd)
for d in src arxos git hist-src hist-arxos hist-git home times clone-arxos clone-git count-arxos count-git \
    home-node home-client authorized_keys; do
    rm -rf "${BENCH_DIR:?}/$d"
done
mkdir -p "$BENCH_DIR/home" "$BENCH_DIR/times"

export ARXOS_HOME="$BENCH_DIR/home"
export ARXOS_AUTHOR_NAME="Bench" ARXOS_AUTHOR_EMAIL="bench@example.invalid"
export GIT_AUTHOR_NAME="Bench" GIT_AUTHOR_EMAIL="bench@example.invalid"
export GIT_COMMITTER_NAME="Bench" GIT_COMMITTER_EMAIL="bench@example.invalid"
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export NO_COLOR=1 LC_ALL=C.UTF-8
unset GIT_DIR GIT_WORK_TREE

# ---------------------------------------------------------------- timing

ERRORS=0
declare -A SECS RSS   # by key "<tool>.<step>": wall seconds, peak RSS KB

# timed TOOL STEP DIR CMD...   run CMD in DIR under GNU time; add its seconds to SECS[TOOL.STEP] and
# raise RSS[TOOL.STEP] to its peak. A failing command is reported and marks the step ERROR.
timed() {
    local tool=$1 step=$2 dir=$3; shift 3
    local key="$tool.$step" out="$BENCH_DIR/times/last" err="$BENCH_DIR/times/stderr"
    local t0 t1 status=0
    t0=$EPOCHREALTIME
    (cd "$dir" && "$TIME" -f '%e %M' -o "$out" "$@" >/dev/null 2>"$err") || status=$?
    t1=$EPOCHREALTIME
    if ((status != 0)); then
        log "$tool $step: '$*' exited with status $status in $dir"
        tail -n 5 "$err" | sed 's/^/    /' >&2
        SECS[$key]=ERROR
        ERRORS=$((ERRORS + 1))
        return 0
    fi
    [[ ${SECS[$key]:-0} == ERROR ]] && return 0
    local rss
    rss=$(tail -n 1 "$out" | awk '{print $2}')
    SECS[$key]=$(awk -v a="${SECS[$key]:-0}" -v t0="$t0" -v t1="$t1" 'BEGIN { printf "%.3f", a + (t1 - t0) }')
    if ((${rss:-0} > ${RSS[$key]:-0})); then RSS[$key]=$rss; fi
}

# quiet TOOL STEP DIR CMD...   run an untimed setup command; a failure is reported like timed's.
quiet() {
    local tool=$1 step=$2 dir=$3; shift 3
    (cd "$dir" && "$@" >/dev/null 2>"$BENCH_DIR/times/stderr") && return 0
    log "$tool $step: '$*' failed in $dir"
    tail -n 5 "$BENCH_DIR/times/stderr" | sed 's/^/    /' >&2
    SECS["$tool.$step"]=ERROR
    ERRORS=$((ERRORS + 1))
}

bytes() { if [[ -e $1 ]]; then du -sb "$1" | awk '{print $1}'; else echo 0; fi; }

git_init() {
    git -C "$1" init -q --object-format=sha256
    git -C "$1" config gc.auto 0
    git -C "$1" config maintenance.auto false
    git -C "$1" config commit.gpgsign false
}

# ---------------------------------------------------------------- the portfolio

log "arxos: $ARXOS"
log "generating $BUILDINGS × $OBJECTS objects into $BENCH_DIR/src"
python3 "$GEN" "$BENCH_DIR/src" --buildings "$BUILDINGS" --objects "$OBJECTS" --seed "$SEED"
cp -a "$BENCH_DIR/src" "$BENCH_DIR/arxos"
cp -a "$BENCH_DIR/src" "$BENCH_DIR/git"
FILES=$(find "$BENCH_DIR/src" -type f | wc -l)
SRC_BYTES=$(bytes "$BENCH_DIR/src")
rm -rf "${BENCH_DIR:?}/src"
git_init "$BENCH_DIR/git"

log "cold capture"
timed arxos cold "$BENCH_DIR/arxos" "$ARXOS" init -q .
timed arxos cold "$BENCH_DIR/arxos" "$ARXOS" state capture -m initial
timed git cold "$BENCH_DIR/git" git add -A
timed git cold "$BENCH_DIR/git" git commit -q -m initial

if runs edits; then
    log "incremental capture after editing $EDITS files"
    python3 "$GEN" --edit "$BENCH_DIR/arxos" "$BENCH_DIR/git" --count "$EDITS" --round 1
    timed arxos incremental "$BENCH_DIR/arxos" "$ARXOS" state capture -m edit
    timed git incremental "$BENCH_DIR/git" git commit -q -a -m edit

    log "diff of the two commits ($EDITS objects changed)"
    timed arxos diff "$BENCH_DIR/arxos" "$ARXOS" diff HEAD~1 HEAD
    timed git diff "$BENCH_DIR/git" git diff --stat HEAD~1 HEAD

    log "merge of two branches that each changed $MERGE_EDITS different files"
    A_DIR="$BENCH_DIR/arxos" G_DIR="$BENCH_DIR/git"
    quiet arxos merge "$A_DIR" "$ARXOS" branch side
    quiet git merge "$G_DIR" git branch side
    G_MAIN=$(git -C "$G_DIR" symbolic-ref --short HEAD)
    python3 "$GEN" --edit "$A_DIR" "$G_DIR" --count "$MERGE_EDITS" --round 2 --part 0 --parts 2
    quiet arxos merge "$A_DIR" "$ARXOS" state capture -m ours
    quiet git merge "$G_DIR" git commit -q -a -m ours
    quiet arxos merge "$A_DIR" "$ARXOS" switch side
    quiet git merge "$G_DIR" git switch -q side
    python3 "$GEN" --edit "$A_DIR" "$G_DIR" --count "$MERGE_EDITS" --round 3 --part 1 --parts 2
    quiet arxos merge "$A_DIR" "$ARXOS" state capture -m theirs
    quiet git merge "$G_DIR" git commit -q -a -m theirs
    quiet arxos merge "$A_DIR" "$ARXOS" switch main
    quiet git merge "$G_DIR" git switch -q "$G_MAIN"
    timed arxos merge "$A_DIR" "$ARXOS" merge side -m merge
    timed git merge "$G_DIR" git merge -q --no-edit side
fi

log "gc"
timed arxos gc "$BENCH_DIR/arxos" "$ARXOS" gc
timed git gc "$BENCH_DIR/git" git gc -q
ARXOS_PACK=$(bytes "$BENCH_DIR/arxos/.arxos/objects/pack")
GIT_PACK=$(bytes "$BENCH_DIR/git/.git/objects/pack")
ARXOS_STORE=$(bytes "$BENCH_DIR/arxos/.arxos")
GIT_STORE=$(bytes "$BENCH_DIR/git/.git")

# ---------------------------------------------------------------- transfer over loopback

# Background servers (arxos serve, git daemon, counting proxies) are stopped when the script exits, however it exits.
SERVERS=()
stop_servers() {
    local pid
    for pid in "${SERVERS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${SERVERS[@]}"; do wait "$pid" 2>/dev/null || true; done
    SERVERS=()
}
trap stop_servers EXIT

# free_port: a TCP port on 127.0.0.1 that nothing listens on now.
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_port PORT: wait up to 10 s until something accepts connections on 127.0.0.1:PORT.
wait_port() {
    python3 - "$1" <<'PY'
import socket, sys, time
for _ in range(200):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.05)
sys.exit(1)
PY
}

# count_proxy TARGET_PORT LOG: starts a relay on a free loopback port to 127.0.0.1:TARGET_PORT that appends
# "<client→server bytes> <server→client bytes>" to LOG for each connection it closes; sets PROXY_PORT to its port.
# (Not run in $(...): the relay's pid must reach SERVERS in this shell.)
count_proxy() {
    local port
    port=$(free_port)
    PROXY_PORT=
    python3 - "$port" "$1" "$2" <<'PY' >/dev/null 2>&1 &
import socket, sys, threading
listen, target, log = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", listen))
server.listen(16)
def pump(src, dst, counts, i):
    try:
        while True:
            data = src.recv(1 << 18)
            if not data:
                break
            counts[i] += len(data)
            dst.sendall(data)
    except OSError:
        pass
    try:
        dst.shutdown(socket.SHUT_WR)
    except OSError:
        pass
def serve(client):
    upstream = socket.create_connection(("127.0.0.1", target))
    counts = [0, 0]
    threads = [threading.Thread(target=pump, args=(client, upstream, counts, 0)),
               threading.Thread(target=pump, args=(upstream, client, counts, 1))]
    for t in threads: t.start()
    for t in threads: t.join()
    client.close(); upstream.close()
    with open(log, "a") as f:
        f.write("%d %d\n" % (counts[0], counts[1]))
while True:
    conn, _ = server.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
PY
    SERVERS+=($!)
    if wait_port "$port"; then PROXY_PORT=$port; else log "the counting proxy did not start"; fi
}

# wire_bytes LOG: the bytes of every connection in LOG, both directions summed.
wire_bytes() { if [[ -s $1 ]]; then awk '{ s += $1 + $2 } END { print s }' "$1"; else echo 0; fi; }

if runs transfer; then
    log "clone over loopback"
    NODE_HOME="$BENCH_DIR/home-node" CLIENT_HOME="$BENCH_DIR/home-client"
    mkdir -p "$NODE_HOME" "$CLIENT_HOME"
    quiet arxos clone "$BENCH_DIR" env ARXOS_HOME="$NODE_HOME" "$ARXOS" key generate
    quiet arxos clone "$BENCH_DIR" env ARXOS_HOME="$CLIENT_HOME" "$ARXOS" key generate
    CLIENT_KEY=$(ARXOS_HOME="$CLIENT_HOME" "$ARXOS" key export 2>/dev/null || true)
    printf 'read-write %s\n' "$CLIENT_KEY" > "$BENCH_DIR/authorized_keys"
    SERVE_LOG="$BENCH_DIR/times/serve.log"
    ARXOS_HOME="$NODE_HOME" "$ARXOS" serve --listen 127.0.0.1:0 --root "$BENCH_DIR" 2>"$SERVE_LOG" &
    SERVE_PID=$!
    SERVERS+=("$SERVE_PID")
    A_PORT=
    for _ in $(seq 200); do
        A_PORT=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$SERVE_LOG" | head -n 1)
        [[ -n $A_PORT ]] && break
        kill -0 "$SERVE_PID" 2>/dev/null || break
        sleep 0.05
    done
    [[ -n $A_PORT ]] || { log "arxos serve did not start:"; sed 's/^/    /' "$SERVE_LOG" >&2; }
    G_PORT=$(free_port)
    git daemon --reuseaddr --base-path="$BENCH_DIR" --export-all --listen=127.0.0.1 --port="$G_PORT" \
        "$BENCH_DIR" 2>"$BENCH_DIR/times/daemon.log" &
    SERVERS+=($!)
    if wait_port "$G_PORT"; then
        GIT_HOW="git daemon"
        G_URL="git://127.0.0.1:$G_PORT/git"
    else
        log "git daemon did not start; git clones with --no-local"
        GIT_HOW="git --no-local"
        G_URL=
    fi
    # arxos runs as the client whose key is in authorized_keys; the server's key is pinned on first use.
    timed arxos clone "$BENCH_DIR" env ARXOS_HOME="$CLIENT_HOME" "$ARXOS" clone -q "tcp://127.0.0.1:$A_PORT/arxos" clone-arxos
    if [[ -n $G_URL ]]; then
        timed git clone "$BENCH_DIR" git clone -q "$G_URL" clone-git
    else
        timed git clone "$BENCH_DIR" git clone -q --no-local "$BENCH_DIR/git" clone-git
    fi

    log "bytes of a clone (through counting proxies, untimed)"
    count_proxy "$A_PORT" "$BENCH_DIR/times/bytes-arxos"
    quiet arxos bytes "$BENCH_DIR" env ARXOS_HOME="$CLIENT_HOME" "$ARXOS" clone -q "tcp://127.0.0.1:$PROXY_PORT/arxos" count-arxos
    if [[ -n $G_URL ]]; then
        count_proxy "$G_PORT" "$BENCH_DIR/times/bytes-git"
        quiet git bytes "$BENCH_DIR" git clone -q "git://127.0.0.1:$PROXY_PORT/git" count-git
    fi
    ARXOS_CLONE_BYTES=$(wire_bytes "$BENCH_DIR/times/bytes-arxos")
    GIT_CLONE_BYTES=$(wire_bytes "$BENCH_DIR/times/bytes-git")
    : > "$BENCH_DIR/times/bytes-arxos"
    : > "$BENCH_DIR/times/bytes-git"

    log "fetch after editing $EDITS files on the served sides"
    python3 "$GEN" --edit "$BENCH_DIR/arxos" "$BENCH_DIR/git" --count "$EDITS" --round 4
    quiet arxos fetch "$BENCH_DIR/arxos" "$ARXOS" state capture -m "served edit"
    quiet git fetch "$BENCH_DIR/git" git commit -q -a -m "served edit"
    timed arxos fetch "$BENCH_DIR/clone-arxos" env ARXOS_HOME="$CLIENT_HOME" "$ARXOS" fetch -q
    timed git fetch "$BENCH_DIR/clone-git" git fetch -q
    if [[ -d $BENCH_DIR/count-arxos ]]; then
        quiet arxos bytes "$BENCH_DIR/count-arxos" env ARXOS_HOME="$CLIENT_HOME" "$ARXOS" fetch -q
    fi
    if [[ -d $BENCH_DIR/count-git ]]; then quiet git bytes "$BENCH_DIR/count-git" git fetch -q; fi
    ARXOS_FETCH_BYTES=$(wire_bytes "$BENCH_DIR/times/bytes-arxos")
    GIT_FETCH_BYTES=$(wire_bytes "$BENCH_DIR/times/bytes-git")
    # The server's own peak memory counts towards arxos's peak.
    RSS[arxos.serve]=$(awk '/^VmHWM:/ { print $2 }' "/proc/$SERVE_PID/status" 2>/dev/null || echo 0)
    stop_servers
fi

# ---------------------------------------------------------------- the history

if runs history; then
    log "building a history of $COMMITS commits ($HIST_BUILDINGS × $HIST_OBJECTS objects)"
    python3 "$GEN" "$BENCH_DIR/hist-src" --buildings "$HIST_BUILDINGS" --objects "$HIST_OBJECTS" --seed "$SEED"
    cp -a "$BENCH_DIR/hist-src" "$BENCH_DIR/hist-arxos"
    cp -a "$BENCH_DIR/hist-src" "$BENCH_DIR/hist-git"
    rm -rf "${BENCH_DIR:?}/hist-src"
    git_init "$BENCH_DIR/hist-git"
    H_A="$BENCH_DIR/hist-arxos" H_G="$BENCH_DIR/hist-git"
    quiet arxos history "$H_A" "$ARXOS" init -q .
    quiet arxos history "$H_A" "$ARXOS" state capture -m initial
    quiet git history "$H_G" git add -A
    quiet git history "$H_G" git commit -q -m initial
    for ((r = 2; r <= COMMITS; r++)); do
        python3 "$GEN" --edit "$H_A" "$H_G" --count 1 --round "$r"
        # The history build stops early once either side has failed.
        [[ ${SECS[arxos.history]:-} == ERROR || ${SECS[git.history]:-} == ERROR ]] && break
        quiet arxos history "$H_A" "$ARXOS" state capture -m "edit $r"
        quiet git history "$H_G" git commit -q -a -m "edit $r"
        if ((r % 100 == 0)); then log "  $r commits"; fi
    done
    G_COUNT=$(git -C "$H_G" rev-list --count HEAD 2>/dev/null || echo 0)
    log "history: git has $G_COUNT commits"

    log "log"
    if [[ ${SECS[arxos.history]:-} == ERROR ]]; then SECS[arxos.log]=ERROR; fi
    timed arxos log "$H_A" "$ARXOS" log    # timed commands write stdout to /dev/null
    timed git log "$H_G" git log
fi

# ---------------------------------------------------------------- the query index

QUERY="type = 'vav' and maxAirflow > 800 cfm"
if runs query; then
    A_DIR="$BENCH_DIR/arxos"
    log "index build (arxos index rebuild of HEAD)"
    timed arxos index "$A_DIR" "$ARXOS" index rebuild

    log "selective query: $QUERY (vs grep -rl 'type: vav')"
    quiet arxos query "$A_DIR" "$ARXOS" query "$QUERY" --ids
    quiet grep query "$A_DIR" grep -rl --include='*.yaml' --exclude-dir=.arxos -e 'type: vav' .
    timed arxos query "$A_DIR" "$ARXOS" query "$QUERY" --ids
    timed grep query "$A_DIR" grep -rl --include='*.yaml' --exclude-dir=.arxos -e 'type: vav' .
    QUERY_HITS=$(cd "$A_DIR" && "$ARXOS" query "$QUERY" --count 2>/dev/null || echo '?')
    GREP_HITS=$(cd "$A_DIR" && grep -rl --include='*.yaml' --exclude-dir=.arxos -e 'type: vav' . | wc -l)

    log "capture of $EDITS edited files with the index present"
    python3 "$GEN" --edit "$A_DIR" --count "$EDITS" --round 5
    timed arxos indexed "$A_DIR" "$ARXOS" state capture -m "indexed edit"
fi

# ---------------------------------------------------------------- the table

# ratio A B: A/B with two decimals, or n/a.
ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN {
        if (a == "ERROR" || b == "ERROR" || a == "" || b == "" || a + 0 == 0 || b + 0 == 0) { print "n/a"; exit }
        printf "%.2f", a / b }'
}
# verdict RATIO LIMIT: PASS when RATIO ≤ LIMIT, MISS otherwise, ERROR/n/a passed through.
verdict() {
    awk -v r="$1" -v l="$2" 'BEGIN {
        if (r == "n/a") { print "n/a"; exit }
        print (r + 0 <= l + 0) ? "PASS" : "MISS" }'
}
mb() { awk -v k="${1:-}" 'BEGIN { if (k == "") print "-"; else printf "%.1f", k / 1024 }'; }
mbytes() { awk -v b="$1" 'BEGIN { printf "%.2f MB", b / 1e6 }'; }
secs() { if [[ $1 == ERROR ]]; then echo ERROR; else echo "$1 s"; fi; }

row_fmt='%-22s %12s %12s %9s %11s %9s %9s  %s\n'
row() {  # row STEP KEY TARGET LIMIT
    local step=$1 key=$2 target=$3 limit=$4
    local a=${SECS[arxos.$key]:-ERROR} g=${SECS[git.$key]:-ERROR} r v
    r=$(ratio "$a" "$g")
    if [[ $limit == - ]]; then v=-; else v=$(verdict "$r" "$limit"); fi
    [[ $a == ERROR ]] && v=ERROR
    printf "$row_fmt" "$step" "$(secs "$a")" "$(secs "$g")" "$r" \
        "$(mb "${RSS[arxos.$key]:-}")" "$(mb "${RSS[git.$key]:-}")" "$target" "$v"
}

PEAK=0
for k in "${!RSS[@]}"; do
    if [[ $k == arxos.* ]] && ((RSS[$k] > PEAK)); then PEAK=${RSS[$k]}; fi
done

echo
echo "arxos vs git — $FILES files ($(mbytes "$SRC_BYTES")), $BUILDINGS buildings × $OBJECTS objects;" \
    "history $COMMITS commits on $HIST_BUILDINGS × $HIST_OBJECTS; $(nproc) CPUs; $(git --version)"
echo
printf "$row_fmt" "step" "arxos" "git" "arxos/git" "arxos MB" "git MB" "target" "result"
row "cold capture" cold "<= 0.50" 0.5
if runs edits; then
    row "incremental ($EDITS files)" incremental "<= 0.50" 0.5
    row "diff ($EDITS objects)" diff "<= 2.00" 2
    row "merge ($MERGE_EDITS+$MERGE_EDITS files)" merge "<= 1.00" 1
fi
if runs history; then row "log ($COMMITS commits)" log "-" -; fi
row "gc" gc "-" -
if runs transfer; then
    row "clone (${GIT_HOW:-git daemon})" clone "<= 0.50" 0.5
    row "fetch ($EDITS objects)" fetch "<= 0.50" 0.5
    for what in clone fetch; do
        if [[ $what == clone ]]; then a=${ARXOS_CLONE_BYTES:-0} g=${GIT_CLONE_BYTES:-0}; else a=${ARXOS_FETCH_BYTES:-0} g=${GIT_FETCH_BYTES:-0}; fi
        r=$(ratio "$a" "$g")
        v=$(verdict "$r" 1)
        [[ $a == 0 ]] && v=ERROR
        printf "$row_fmt" "bytes on the wire: $what" "$(mbytes "$a")" "$(mbytes "$g")" "$r" - - "<= 1.00" "$v"
    done
fi
if runs query; then
    # against (A B STEP TARGET LIMIT): arxos's SECS[A] against SECS[B] (another arxos step, or another tool).
    against() {
        local a=${SECS[$1]:-ERROR} b=${SECS[$2]:-} r v
        r=$(ratio "$a" "$b")
        if [[ $5 == - ]]; then v=-; else v=$(verdict "$r" "$5"); fi
        [[ $a == ERROR ]] && v=ERROR
        printf "$row_fmt" "$3" "$(secs "$a")" "$(if [[ -n $b ]]; then secs "$b"; else echo -; fi)" "$r" \
            "$(mb "${RSS[$1]:-}")" "$(mb "${RSS[$2]:-}")" "$4" "$v"
    }
    against arxos.index arxos.cold "index build (vs cold)" "<= 0.50" 0.5
    against arxos.query grep.query "query (vs grep -rl)" "<= 0.20" 0.2
    against arxos.indexed arxos.incremental "indexed capture (vs incr.)" "-" -
fi
pack_ratio=$(ratio "$ARXOS_PACK" "$GIT_PACK")
pack_verdict=$(verdict "$pack_ratio" 0.7)
[[ ${SECS[arxos.gc]:-} == ERROR ]] && pack_verdict=ERROR
printf "$row_fmt" "store: packs" "$(mbytes "$ARXOS_PACK")" "$(mbytes "$GIT_PACK")" "$pack_ratio" - - "<= 0.70" "$pack_verdict"
printf "$row_fmt" "store: .arxos vs .git" "$(mbytes "$ARXOS_STORE")" "$(mbytes "$GIT_STORE")" \
    "$(ratio "$ARXOS_STORE" "$GIT_STORE")" - - "-" "-"
mem_verdict=$(awk -v p="$PEAK" 'BEGIN { print (p / 1024 <= 100) ? "PASS" : "MISS" }')
((ERRORS > 0)) && mem_verdict=ERROR
printf "$row_fmt" "peak memory (arxos)" "$(mb "$PEAK") MB" "-" "-" "$(mb "$PEAK")" - "<= 100 MB" "$mem_verdict"
echo
echo "seconds are wall-clock; MB columns are peak RSS (time %M); store sizes are bytes after gc (du -sb)."
if runs query; then
    echo "index rows compare arxos with arxos (cold capture, incremental capture without an index) or with grep (the git"
    echo "column); the query selected $QUERY_HITS objects, grep listed $GREP_HITS files holding VAVs."
fi
if runs transfer; then
    echo "clone/fetch run over loopback TCP (arxos: encrypted, authenticated tcp://; git: git:// unless marked --no-local);"
    echo "wire bytes: both directions of a second clone and fetch, counted by a relay; arxos serve peak $(mb "${RSS[arxos.serve]:-}") MB."
fi

if ((ERRORS > 0)); then
    log "$ERRORS arxos or git command(s) failed; see the messages above"
    exit 1
fi
exit 0
