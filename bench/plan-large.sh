#!/usr/bin/env bash
# Large-fleet benchmark: `kubectl fleet plan` vs reading the same objects with kubectl.
#
# Starts a simulated fleet of CLUSTERS members x NODES nodes x PODS pods (mixed CPU/memory/GPU
# requests, GPU and CPU nodes, tainted pools, three priority classes; see gen-simfleet.py),
# then measures, RUNS times each and interleaved:
#   plan:    kubectl fleet plan -f gpu-100.yaml   (100-replica GPU Deployment + policy)
#   kubectl: for each context: kubectl get nodes,pods -A -o json   (sequential, by hand)
# and prints wall time and peak RSS medians, plus the simulator's RSS.
#
# usage: bench/plan-large.sh            (env: CLUSTERS=3 NODES=2000 PODS=60000 RUNS=5
#                                        SKIP_BUILD=1 to reuse target/release)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CLUSTERS=${CLUSTERS:-3}
NODES=${NODES:-2000}
PODS=${PODS:-60000}
RUNS=${RUNS:-5}
PREFIX=${PREFIX:-big}
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

python3 "$ROOT/bench/gen-simfleet.py" --clusters "$CLUSTERS" --nodes "$NODES" --pods "$PODS" \
  --prefix "$PREFIX" > "$WORK/simfleet.yaml"
export KUBECONFIG=$WORK/kubeconfig

t0=$(date +%s.%N)
"$BIN" sim up --config "$WORK/simfleet.yaml" --kubeconfig-out "$KUBECONFIG" --speed 100 \
  > "$WORK/sim.log" 2>&1 &
SIM_PID=$!
CONTEXTS=()
for i in $(seq 1 "$CLUSTERS"); do CONTEXTS+=("$PREFIX-$i"); done
# Ready when every member serves and holds PODS Running pods.
count_pods() { # context
  # The simulator does not report remainingItemCount, so count the names.
  kubectl --context "$1" get pods -A --field-selector=status.phase=Running -o name 2>/dev/null | wc -l
}
for ctx in "${CONTEXTS[@]}"; do
  until [[ -s "$KUBECONFIG" ]] && [[ $(count_pods "$ctx") -ge $PODS ]]; do
    kill -0 "$SIM_PID" 2>/dev/null || { cat "$WORK/sim.log"; echo "simulator exited" >&2; exit 1; }
    sleep 1
  done
done
t1=$(date +%s.%N)
sim_ready=$(python3 -c "print(f'{$t1-$t0:.1f}')")

cat > "$WORK/gpu-100.yaml" <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: llm-serve, namespace: default, labels: {app: llm-serve}}
spec:
  replicas: 100
  selector: {matchLabels: {app: llm-serve}}
  template:
    metadata: {labels: {app: llm-serve}}
    spec:
      priorityClassName: online-high
      tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]
      containers:
      - name: vllm
        image: vllm/vllm-openai:v0.9.1
        resources:
          requests: {cpu: "8", memory: 64Gi}
          limits: {nvidia.com/gpu: "1"}
---
apiVersion: policy.one.alibabacloud.com/v1alpha1
kind: PropagationPolicy
metadata: {name: llm-serve, namespace: default}
spec:
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: llm-serve}]
  placement:
    clusterAffinities:
    - affinityName: all
      clusterNames: [$(IFS=,; echo "${CONTEXTS[*]}")]
    replicaScheduling:
      replicaSchedulingType: Divided
      replicaDivisionPreference: Weighted
      weightPreference: {dynamicWeight: AvailableReplicas}
YAML

cat > "$WORK/kubectl-all.sh" <<SH
#!/usr/bin/env bash
set -e
for ctx in ${CONTEXTS[*]}; do kubectl --context "\$ctx" get nodes,pods -A -o json > /dev/null; done
SH
chmod +x "$WORK/kubectl-all.sh"

# One untimed warm-up of each (page cache, connection setup of the simulator).
"$BIN" plan -f "$WORK/gpu-100.yaml" > "$WORK/plan.out" 2>&1 || true
"$WORK/kubectl-all.sh"

: > "$WORK/plan.times"; : > "$WORK/kubectl.times"
for r in $(seq 1 "$RUNS"); do
  MEASURE_OUT=$WORK/plan.out MEASURE_ERR=$WORK/plan.err $MEASURE -- "$BIN" plan -f "$WORK/gpu-100.yaml" >> "$WORK/plan.times"
  $MEASURE -- "$WORK/kubectl-all.sh" >> "$WORK/kubectl.times"
done
sim_rss=$(awk '/VmRSS/{print $2}' /proc/$SIM_PID/status)
sim_hwm=$(awk '/VmHWM/{print $2}' /proc/$SIM_PID/status)

median() { sort -n | awk '{a[NR]=$1} END{ if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2 }'; }
pw=$(awk '{print $1}' "$WORK/plan.times" | median)
pr=$(awk '{print $2}' "$WORK/plan.times" | median)
kw=$(awk '{print $1}' "$WORK/kubectl.times" | median)
kr=$(awk '{print $2}' "$WORK/kubectl.times" | median)
prc=$(awk '{print $3}' "$WORK/plan.times" | sort -u | tr '\n' ' ')

echo "fleet: $CLUSTERS members x $NODES nodes x $PODS pods; sim ready after ${sim_ready}s; runs: $RUNS"
echo "plan exit codes: $prc"
printf '%-34s %10s %14s\n' "command" "wall (s)" "peak RSS (MiB)"
printf '%-34s %10.3f %14.1f\n' "kubectl fleet plan (100 GPU)" "$pw" "$(echo "$pr/1024" | bc -l)"
printf '%-34s %10.3f %14.1f\n' "kubectl get nodes,pods -A x$CLUSTERS" "$kw" "$(echo "$kr/1024" | bc -l)"
printf 'plan / kubectl wall: %.2f\n' "$(echo "$pw/$kw" | bc -l)"
printf 'simulator RSS: %.1f MiB now, %.1f MiB peak\n' "$(echo "$sim_rss/1024" | bc -l)" "$(echo "$sim_hwm/1024" | bc -l)"
echo "raw plan runs (wall s, peak KiB, rc):"; sed 's/^/  /' "$WORK/plan.times"
echo "raw kubectl runs (wall s, peak KiB, rc):"; sed 's/^/  /' "$WORK/kubectl.times"
echo "plan output (last run):"; sed 's/^/  /' "$WORK/plan.out" | head -20
