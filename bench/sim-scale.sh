#!/usr/bin/env bash
# Simulator scale benchmark: memory and timings of `kubectl fleet sim up` at full size.
#
# Generates a fleet of CLUSTERS members x NODES nodes x PODS pods (bench/gen-simfleet.py; the
# pods are the replicas of pre-existing Deployments, so the Deployment/ReplicaSet controllers,
# the scheduler and the kubelets create, bind and start all of them), then RUNS times:
#   1. starts `kubectl-fleet sim up` (controllers on) and times seeding: until the kubeconfig
#      is written (every member seeded and serving);
#   2. waits until every member reports PODS ready replicas over its Deployments (all pods
#      Running and Ready) and times that;
#   3. records the simulator's RSS: peak so far (VmHWM) and, after SETTLE seconds idle, the
#      steady VmRSS;
#   4. times `kubectl --context <member 1> get pods -A -o json` (bench/measure.py: wall time,
#      kubectl's own peak RSS) and records the size of its output and the simulator's peak RSS
#      afterwards (VmHWM covers seeding, reconciling and serving that list);
#   5. stops the simulator (SIGINT).
# Prints every run and the medians. Target: simulator peak < 1.5 GiB.
#
# usage: bench/sim-scale.sh   (env: CLUSTERS=3 NODES=2000 PODS=60000 RUNS=3 SPEED=100 SETTLE=10
#                              SKIP_BUILD=1 to reuse target/release)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CLUSTERS=${CLUSTERS:-3}
NODES=${NODES:-2000}
PODS=${PODS:-60000}
RUNS=${RUNS:-3}
SPEED=${SPEED:-100}
SETTLE=${SETTLE:-10}
PREFIX=${PREFIX:-big}
TIMEOUT=${TIMEOUT:-1800}

if [[ -z "${SKIP_BUILD:-}" ]]; then
  (cd "$ROOT" && cargo build --release --quiet --bin kubectl-fleet)
fi
BIN=$ROOT/target/release/kubectl-fleet

WORK=$(mktemp -d)
SIM_PID=
stop_sim() {
  if [[ -n "$SIM_PID" ]]; then
    kill -INT "$SIM_PID" 2>/dev/null || true
    wait "$SIM_PID" 2>/dev/null || true
    SIM_PID=
  fi
}
cleanup() {
  stop_sim
  rm -rf "$WORK"
}
trap cleanup EXIT

python3 "$ROOT/bench/gen-simfleet.py" --clusters "$CLUSTERS" --nodes "$NODES" --pods "$PODS" \
  --prefix "$PREFIX" > "$WORK/simfleet.yaml"
export KUBECONFIG=$WORK/kubeconfig

now() { date +%s.%N; }
mib() { # pid field -> MiB
  awk -v f="$2:" '$1 == f { printf "%.1f", $2 / 1024 }' "/proc/$1/status"
}
ready_replicas() { # context -> sum of readyReplicas over its Deployments
  kubectl --context "$1" get deploy -A -o json 2>/dev/null |
    python3 -c 'import json,sys; print(sum(d.get("status",{}).get("readyReplicas",0) for d in json.load(sys.stdin)["items"]))' 2>/dev/null ||
    echo 0
}

RESULTS=$WORK/results
: > "$RESULTS"
echo "fleet: $CLUSTERS members x $NODES nodes x $PODS pods, speed $SPEED, $RUNS runs; $(nproc) CPUs, $(free -g | awk '/Mem:/ {print $2}') GiB RAM"
printf '%-4s %9s %9s %11s %11s %9s %10s %12s %11s\n' run "seed(s)" "ready(s)" "peak(MiB)" "steady(MiB)" "get(s)" "get(MiB)" "json(bytes)" "peak+get"
for run in $(seq 1 "$RUNS"); do
  rm -f "$KUBECONFIG"
  t0=$(now)
  "$BIN" sim up --config "$WORK/simfleet.yaml" --kubeconfig-out "$KUBECONFIG" --speed "$SPEED" \
    > "$WORK/sim.log" 2>&1 &
  SIM_PID=$!
  until [[ -s "$KUBECONFIG" ]]; do
    kill -0 "$SIM_PID" 2>/dev/null || { cat "$WORK/sim.log"; echo "simulator exited" >&2; exit 1; }
    sleep 0.2
  done
  t_seed=$(now)
  for i in $(seq 1 "$CLUSTERS"); do
    until [[ $(ready_replicas "$PREFIX-$i") -ge $PODS ]]; do
      kill -0 "$SIM_PID" 2>/dev/null || { cat "$WORK/sim.log"; echo "simulator exited" >&2; exit 1; }
      if python3 -c "import sys; sys.exit(0 if $(now) - $t0 > $TIMEOUT else 1)"; then
        echo "timeout: $PREFIX-$i has $(ready_replicas "$PREFIX-$i")/$PODS ready pods" >&2; exit 1
      fi
      sleep 2
    done
  done
  t_ready=$(now)
  sleep "$SETTLE"
  peak=$(mib "$SIM_PID" VmHWM)
  steady=$(mib "$SIM_PID" VmRSS)
  read -r get_wall get_rss_kib get_rc < <(MEASURE_OUT=$WORK/pods.json \
    python3 "$ROOT/bench/measure.py" kubectl --context "$PREFIX-1" get pods -A -o json)
  [[ $get_rc == 0 ]] || { echo "kubectl get pods -A -o json failed (exit $get_rc)" >&2; exit 1; }
  items=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["items"]))' "$WORK/pods.json")
  [[ $items -ge $PODS ]] || { echo "kubectl get pods returned $items items, expected $PODS" >&2; exit 1; }
  size=$(stat -c %s "$WORK/pods.json")
  peak_after=$(mib "$SIM_PID" VmHWM)
  stop_sim
  seed=$(python3 -c "print(f'{$t_seed - $t0:.1f}')")
  ready=$(python3 -c "print(f'{$t_ready - $t0:.1f}')")
  get_mib=$(python3 -c "print(f'{$get_rss_kib / 1024:.1f}')")
  echo "$run $seed $ready $peak $steady $get_wall $get_mib $size $peak_after" >> "$RESULTS"
  printf '%-4s %9s %9s %11s %11s %9s %10s %12s %11s\n' "$run" "$seed" "$ready" "$peak" "$steady" \
    "$get_wall" "$get_mib" "$size" "$peak_after"
  rm -f "$WORK/pods.json"
done
python3 - "$RESULTS" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
cols = ["seed(s)", "ready(s)", "peak(MiB)", "steady(MiB)", "get(s)", "get(MiB)", "json(bytes)", "peak+get"]
med = [statistics.median(float(r[i + 1]) for r in rows) for i in range(len(cols))]
print("median " + "  ".join(f"{c}={m:g}" for c, m in zip(cols, med)))
print("simulator peak (seeding, reconciling and serving get -o json): "
      f"{max(med[2], med[7]):.0f} MiB (target < 1536 MiB)")
PY
