#!/usr/bin/env bash
# The demo: version a small office building with arxos, the way an operator would in a terminal.
# Usage: scripts/demo.sh PATH/TO/arxos   (make demo passes the freshly built binary)
set -euo pipefail
arxos=${1:?usage: demo.sh ARXOS_BINARY}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/arxos-demo.XXXXXX")
export ARXOS_HOME="$work/home"
export ARXOS_AUTHOR_NAME="Demo Operator" ARXOS_AUTHOR_EMAIL="operator@example.com"
if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold='' plain=''; fi
step() { printf '\n%s$ arxos%s%s\n' "$bold" "$(printf ' %q' "$@")" "$plain"; "$arxos" "$@"; }

cp -R "$here/Fixtures/small-building" "$work/hq"
cd "$work/hq"
echo "Working in $work/hq (a copy of Fixtures/small-building)"
step key generate
step init
step state capture -m "Initial survey of HQ"
step key trust "$("$arxos" key export)"
step verify HEAD
echo; echo "# a field engineer raises a VAV minimum airflow after balancing"
sed -i "s/minAirflow: 150 cfm/minAirflow: 180 cfm/" hvac/vavs.yaml
step status
step state capture -m "Raise VAV minimum airflow after balancing report"
step switch -c summer-setpoints
sed -i 's/zoneTempSetpoint: 21.5 °C/zoneTempSetpoint: 24.0 °C/' hvac/vavs.yaml
step state capture -m "Summer cooling setpoints"
step switch main
step log --oneline
step log --oneline summer-setpoints
step show HEAD
step tag -m "Commissioned state" commissioned
step branch
step gc --prune=now
step fsck
echo; echo "Demo repository left in $work/hq"
