#!/usr/bin/env bash
# The demo: a narrated tour of arxos on two real buildings, the way an operator would work in a terminal.
#
#   Carytown, a retail store in Richmond, VA: Project Haystack, Fixtures/shared-data/haystack/carytown.json
#   Rice, a university building:              Brick, Fixtures/shared-data/brick/rice_brick.ttl
#
# It imports both into a new repository, captures, edits and diffs, branches and merges through a conflict, validates,
# queries, renders a template, then runs an edge node per building on loopback and deploys to them: a canary that
# succeeds, a canary whose health check fails and rolls back by itself, and an explicit signed rollback.
# Everything happens in a new temporary directory (under $TMPDIR), which is left behind; the edge daemons are stopped
# on exit, whatever happens.
#
# Usage: scripts/demo.sh PATH/TO/arxos   (make demo passes the freshly built binary)
set -euo pipefail
arxos=${1:?usage: demo.sh ARXOS_BINARY}
case $arxos in /*) ;; *) arxos="$PWD/$arxos" ;; esac
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/arxos-demo.XXXXXX")
export ARXOS_HOME="$work/home"
export ARXOS_AUTHOR_NAME="Demo Operator" ARXOS_AUTHOR_EMAIL="operator@example.com"
started=$SECONDS
if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold='' plain=''; fi

# The edge daemons started below; stopped on any exit.
daemons=()
stop_daemons() {
    local pid
    for pid in ${daemons[@]+"${daemons[@]}"}; do kill "$pid" 2>/dev/null || true; done
    for pid in ${daemons[@]+"${daemons[@]}"}; do wait "$pid" 2>/dev/null || true; done
    daemons=()
}
trap stop_daemons EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# An argument as a reader would type it: bare when it is plain, else in quotes.
quote() {
    case $1 in
        '' | *[!A-Za-z0-9_./:=@%+,~^-]*)
            case $1 in *[\"\$\`\\]*) printf "'%s'" "${1//\'/\'\\\'\'}" ;; *) printf '"%s"' "$1" ;; esac ;;
        *) printf '%s' "$1" ;;
    esac
}
show() {
    local line='$ arxos' arg
    for arg in "$@"; do line+=" $(quote "$arg")"; done
    printf '\n%s%s%s\n' "$bold" "$line" "$plain"
}
say() { printf '\n'; printf '# %s\n' "$@"; }
# Prints the command, runs it; the demo stops if it fails.
step() { show "$@"; "$arxos" "$@"; }
# The same for a command that is meant to end with a given non-zero status (a conflict, a plan with changes, an
# aborted canary); any other status stops the demo.
step_expect() {
    local want=$1 got=0
    shift
    show "$@"
    "$arxos" "$@" || got=$?
    if [ "$got" != "$want" ]; then
        echo "demo: 'arxos $*' exited with status $got, expected $want" >&2
        exit 1
    fi
    echo "(exit status $got, as expected)"
}
# Shows and runs a shell command (an edit of a file, a look at one).
shell() {
    printf '\n%s$ %s%s\n' "$bold" "$1" "$plain"
    eval "$1"
}

mkdir -p "$work/survey" "$work/portfolio" "$work/edge"
cp "$here/Fixtures/shared-data/haystack/carytown.json" "$here/Fixtures/shared-data/brick/rice_brick.ttl" "$work/survey/"
cd "$work/portfolio"
echo "arxos demo in $work"
echo "  portfolio/  the repository (controller side)    edge/  two edge nodes    survey/  the real models imported"

say "A new operator makes a signing key: every capture and every deploy is signed with it."
step key generate
step init

say "Import two real buildings: Carytown, a retail store described in Project Haystack (JSON), and Rice," \
    "a university building described in Brick (Turtle). The importers' warnings go to survey/import-warnings.txt."
step import haystack ../survey/carytown.json 2>>"$work/survey/import-warnings.txt"
step import brick ../survey/rice_brick.ttl 2>>"$work/survey/import-warnings.txt"
warnings="$work/survey/import-warnings.txt"
echo "($(grep -c '^warning:' "$warnings") warnings, such as: $(grep -m1 'unknown Brick class' "$warnings" || true))"
step state capture -m "Survey: Carytown (Haystack) and Rice (Brick) as imported"
step show carytown/rtu-1/zone-temp-sp

say "The store manager reports the sales floor runs warm: the engineer lowers the zone setpoint from 73 °F to 72 °F."
sp='/id: carytown\/rtu-1\/zone-temp-sp/,/^$/'
shell "sed -i '$sp s/curVal: .*/curVal: 72 °F/' buildings/carytown/points.yaml"
step status
step diff
step state capture -m "Carytown: zone setpoint 72 °F after the manager's comfort call"

say "The energy team prepares the summer settings on a branch and raises the same setpoint to 75 °F..."
step switch -c summer
shell "sed -i '$sp s/curVal: .*/curVal: 75 °F/' buildings/carytown/points.yaml"
step state capture -m "Summer: Carytown zone setpoint 75 °F"
say "...while on main a technician, after a complaint, sets it to 71 °F."
step switch main
shell "sed -i '$sp s/curVal: .*/curVal: 71 °F/' buildings/carytown/points.yaml"
step state capture -m "Carytown: zone setpoint 71 °F after a complaint"

say "Merging the summer branch: the same property changed two ways is a conflict, recorded as data (exit status 7)."
step_expect 7 merge summer -m "Merge the summer settings"
step_expect 7 conflicts
say "The team agrees on the summer value: take theirs, then finish the merge (a signed merge commit)."
step resolve carytown/rtu-1/zone-temp-sp properties.curVal --theirs
step merge --continue
step log --oneline -n 5

say "Domain rules over both buildings (relations that resolve, units of the right dimension, setpoint order...)."
step validate

say "Queries run over an SQLite index of the captured state; quantities compare across units (75 °F is 23.9 °C)."
step query "type = 'setpoint' and curVal >= 22 °C"
step query "type = 'room' and floor >= 4" --count
step query "type = 'vav'" --buildings

say "Templates: the shipped standards. Preview the retail standard for Carytown (its Haystack record says the" \
    "store is open 10:00-20:00; the HVAC should run from half an hour before to half an hour after)."
step template list
step template render composite/retail-standard --target "building = 'carytown/building'" \
    --set occupiedStart=09:30 --set occupiedEnd=20:30

say "Deploying. Each building has an edge node; here both run on this machine, listening on loopback."
say "On each building's gateway: make the node, trust the controller's key."
controller_key=$("$arxos" key export)
for building in carytown rice; do
    id=$building; [ "$building" = carytown ] && id=carytown/building
    show edge init --building "$id" --dir "../edge/$building"
    "$arxos" edge init --building "$id" --dir "../edge/$building" | tee "$work/edge/$building.init"
    step edge trust "$controller_key" --dir "../edge/$building"
done

say "Carytown's node pushes each new state to the store's BMS (its apply hook), then asks the BMS whether it took" \
    "it: the BMS accepts zone setpoints from 60 to 80 °F only (a required health check; a failure switches back)."
cat >>"$work/edge/carytown/node.yaml" <<'YAML'
apply: "echo \"$(date -u +%FT%TZ) $ARXOS_DEPLOYMENT $ARXOS_COMMIT\" >> bms.log"
health:
  required:
    - name: bms-accepts-setpoints
      command: ./check-bms.sh
      timeout: 10s
YAML
cat >"$work/edge/carytown/check-bms.sh" <<'SH'
#!/bin/sh
# The BMS takes the zone setpoint (°F) only between 60 and 80.
awk '/^- id: / { mine = ($3 == "carytown/rtu-1/zone-temp-sp") }
     mine && $1 == "curVal:" {
         found = 1
         if ($2 < 60 || $2 > 80) { print "BMS refused zone setpoint " $2 " °F"; bad = 1 }
     }
     END { exit (bad || !found) }' "$ARXOS_STATE_DIR/points.yaml"
SH
chmod +x "$work/edge/carytown/check-bms.sh"
shell "tail -n 7 ../edge/carytown/node.yaml"

say "Start both daemons in the background (port 0: each picks a free port and says which)."
for building in carytown rice; do
    log="$work/edge/$building.log"
    printf '\n%s$ arxos edge serve --dir ../edge/%s --listen 127.0.0.1:0 &%s\n' "$bold" "$building" "$plain"
    "$arxos" edge serve --dir "../edge/$building" --listen 127.0.0.1:0 </dev/null >"$log" 2>&1 &
    pid=$!
    daemons+=("$pid")
    port=
    for _ in $(seq 400); do
        port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' "$log" | head -n 1)
        [ -n "$port" ] && break
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "demo: arxos edge serve for $building stopped: $(cat "$log")" >&2
            exit 1
        fi
        sleep 0.05
    done
    [ -n "$port" ] || { echo "demo: arxos edge serve for $building did not start: $(cat "$log")" >&2; exit 1; }
    echo "listening on 127.0.0.1:$port (log: edge/$building.log)"
    eval "port_$building=$port"
done

say "Back in the repository: the inventory of nodes (.arxos-nodes.yaml) is versioned with the buildings."
key() { sed -n 's/^node key: //p' "$work/edge/$1.init"; }
step node add carytown-edge --building carytown/building --path buildings/carytown \
    --address "tcp://127.0.0.1:$port_carytown" --key "$(key carytown)" --tag type=retail --tag region=east
step node add rice-edge --building rice --path buildings/rice \
    --address "tcp://127.0.0.1:$port_rice" --key "$(key rice)" --tag type=campus --tag region=east
step state capture -m "Inventory: the edge nodes of Carytown and Rice"
step node status

say "What a deploy would change on each node, saved as a plan (exit status 2: there are changes; the first" \
    "lines of each node's part are shown here, all of it is in plan.txt)."
show deploy plan --target all --out ../plan.json
status=0
"$arxos" deploy plan --target all --out ../plan.json >"$work/plan.txt" || status=$?
if [ "$status" != 2 ]; then
    cat "$work/plan.txt"
    echo "demo: 'arxos deploy plan' exited with status $status, expected 2" >&2
    exit 1
fi
awk '/^node / { n = 0; print; next } ++n <= 3 { print } n == 4 { print "  ..." }' "$work/plan.txt"
echo "(exit status 2, as expected)"
say "Deploy exactly that plan as a canary: Carytown first, health-gated, then the rest."
step deploy apply --plan ../plan.json --strategy canary --canary 1

say "Now roll out the retail standard previewed above: apply it, look at the change, capture, deploy."
step template apply composite/retail-standard --target "building = 'carytown/building'" \
    --set occupiedStart=09:30 --set occupiedEnd=20:30
step diff --stat
step state capture -m "Carytown: retail standard, store hours 09:30-20:30"
step deploy apply --target all --strategy canary --canary 1
standard=$("$arxos" deploy list | awk 'NR == 1 { print $1 }')
step deploy status
step edge status --dir ../edge/carytown

say "A technician types the setpoint in Celsius into a Fahrenheit field: 24 °F. It is a valid temperature, so" \
    "the rules let it through, but Carytown's BMS refuses it: the canary's health check fails, the node switches" \
    "back to the state it ran by itself, and the rollout stops before Rice (exit status 12)."
shell "sed -i '$sp s/curVal: .*/curVal: 24 °F/' buildings/carytown/points.yaml"
step diff
step state capture -m "Carytown: zone setpoint 24"
step_expect 12 deploy apply --target all --strategy canary --canary 1
step deploy status
say "The node's apply hook ran for each state it switched to, the last time when it switched back:"
shell "cat ../edge/carytown/bms.log"

say "The typo is fixed in the repository; and the store asks to go back to its old hours for now: a signed rollback" \
    "of the retail-standard deployment returns every node to the state it ran before it."
step state restore HEAD~1 buildings/carytown/points.yaml
step state capture -m "Carytown: zone setpoint back to 75 °F (24 was a typo)"
step deploy rollback "$standard"
step deploy list
step node status
step edge status --dir ../edge/carytown
say "Carytown runs the state from before the retail standard again, while main still holds the standard (and the" \
    "fixed setpoint): the next deploy would bring it back, and the plan says so."
step_expect 2 deploy plan --target carytown-edge

stop_daemons
echo
echo "Done in $((SECONDS - started)) s; the edge daemons are stopped. Everything is left in $work:"
echo "  portfolio/  the repository: cd there and try arxos log, arxos deploy list, arxos query \"type = 'vav'\""
echo "  edge/       the two nodes: arxos edge status --dir edge/carytown; arxos edge serve --dir edge/rice starts one"
echo "  home/       the demo operator's key: export ARXOS_HOME=$work/home to sign and deploy as the demo did"
echo "Remove it with: rm -rf $work"
