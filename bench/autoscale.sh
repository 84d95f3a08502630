#!/usr/bin/env bash
# Fleet autoscaler benchmark: one evaluation pass (fleet::autoscale::evaluate_all: read every
# member's autoscalers, copies, pods and PodMetrics once, evaluate, store each autoscaler's
# state in every member) over AUTOSCALERS autoscalers x MEMBERS simulated members, in a
# child process so its wall time and peak RSS (VmHWM) are its own. Two passes as `reconcile`
# runs them, then one where every autoscaler reads its members itself (for comparison).
# With REACTION=1 it also measures the reaction time of a `reconcile --interval INTERVAL`
# loop to `sim load` changes (SAMPLES each way).
#
# usage: bench/autoscale.sh   (env: AUTOSCALERS=1000 MEMBERS=20 REACTION=1 INTERVAL=30s SAMPLES=3)
set -euo pipefail
cd "$(dirname "$0")/.."

export BENCH_AUTOSCALERS=${AUTOSCALERS:-1000}
export BENCH_MEMBERS=${MEMBERS:-20}
export AUTOSCALE_BENCH_COMPARE=1
cargo test --release --quiet --test it cli::autoscale_bench::autoscale_bench_pass_1000x20 \
  -- --ignored --nocapture --exact 2>&1 | grep -E '^(seeded|run [0-9])'

if [[ -n "${REACTION:-}" ]]; then
  export INTERVAL=${INTERVAL:-30s} SAMPLES=${SAMPLES:-3}
  cargo test --release --quiet --test it cli::autoscale_bench::autoscale_bench_reaction_time \
    -- --ignored --nocapture --exact 2>&1 | grep -E '^(load|BENCH)'
fi
