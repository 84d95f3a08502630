#!/usr/bin/env bash
# Fan-out benchmark: `kubectl fleet get deploy -A -M` over MEMBERS members, first with no added
# latency, then with LATENCY ms added to every request of every member (`sim fault --latency`).
# Concurrent members cost about one round trip (plus the requests one member needs in
# sequence), not MEMBERS round trips.
#
# usage: bench/fanout.sh        (env: MEMBERS=20 LATENCY=50 RUNS=7 SKIP_BUILD=1)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
MEMBERS=${MEMBERS:-20}
LATENCY=${LATENCY:-50}
RUNS=${RUNS:-7}
MEASURE="python3 $ROOT/bench/measure.py"

if [[ -z "${SKIP_BUILD:-}" ]]; then
  (cd "$ROOT" && cargo build --release --quiet)
fi
BIN=$ROOT/target/release/kubectl-fleet

WORK=$(mktemp -d)
SIM_PID=
cleanup() {
  if [[ -n "$SIM_PID" ]]; then kill -INT "$SIM_PID" 2>/dev/null || true; wait "$SIM_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

{
  echo "apiVersion: fleet.kubectl.dev/v1alpha1"
  echo "kind: SimulatedFleet"
  echo "clusters:"
  for i in $(seq 1 "$MEMBERS"); do
    echo "- name: m$i"
    echo "  labels: {region: r$((i % 4))}"
    echo "  nodes: [{count: 3, prefix: n, allocatable: {cpu: \"16\", memory: 64Gi, pods: \"110\"}}]"
    echo "  workloads: [{name: web, namespace: default, replicas: 2, requests: {cpu: 100m}}]"
  done
} > "$WORK/simfleet.yaml"
export KUBECONFIG=$WORK/kubeconfig
"$BIN" sim up --config "$WORK/simfleet.yaml" --kubeconfig-out "$KUBECONFIG" --speed 100 > "$WORK/sim.log" 2>&1 &
SIM_PID=$!
until [[ -s "$KUBECONFIG" ]] && kubectl --context "m$MEMBERS" get --raw /readyz > /dev/null 2>&1; do
  kill -0 "$SIM_PID" 2>/dev/null || { cat "$WORK/sim.log"; exit 1; }
  sleep 0.2
done

median() { sort -n | awk '{a[NR]=$1} END{ if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2 }'; }
run_series() { # label
  : > "$WORK/times"
  "$BIN" get deploy -A -M > /dev/null 2>&1 || true   # warm-up
  for _ in $(seq 1 "$RUNS"); do
    MEASURE_OUT=$WORK/out MEASURE_ERR=$WORK/err $MEASURE -- "$BIN" get deploy -A -M >> "$WORK/times"
  done
  rows=$(grep -c ' m[0-9]' "$WORK/out" || true)
  printf '%-28s median %.3f s  (min %.3f, max %.3f; exit %s; %s member rows)\n' "$1" \
    "$(awk '{print $1}' "$WORK/times" | median)" \
    "$(awk '{print $1}' "$WORK/times" | sort -n | head -1)" \
    "$(awk '{print $1}' "$WORK/times" | sort -n | tail -1)" \
    "$(awk '{print $3}' "$WORK/times" | sort -u | tr '\n' ' ')" "$rows"
}

echo "$MEMBERS members, $RUNS runs each: kubectl fleet get deploy -A -M"
run_series "no added latency"
for i in $(seq 1 "$MEMBERS"); do
  "$BIN" sim fault "m$i" --latency "$LATENCY" --kubeconfig "$KUBECONFIG" > /dev/null
done
run_series "+${LATENCY} ms on every member"
echo "one sequential round trip per member would be >= $(echo "$MEMBERS*$LATENCY/1000" | bc -l | xargs printf '%.2f') s"
echo "sample output:"; head -5 "$WORK/out" | sed 's/^/  /'
