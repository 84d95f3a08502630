#!/usr/bin/env python3
"""Writes a large SimulatedFleet config for the benchmarks.

usage: gen-simfleet.py [--clusters N] [--nodes N] [--pods N] [--prefix NAME] > fleet.yaml

Each cluster gets `nodes` nodes: 80% CPU nodes (a tenth of them tainted dedicated=infra),
20% GPU nodes (8 GPUs each; half of them tainted nvidia.com/gpu=present:NoSchedule and left
empty, the other half labelled for the GPU workloads), three priority classes, and
pre-existing Deployments totalling `pods` replicas with mixed CPU/memory/GPU requests.
Everything is deterministic, so runs are comparable.
"""
import argparse

p = argparse.ArgumentParser()
p.add_argument("--clusters", type=int, default=3)
p.add_argument("--nodes", type=int, default=2000)
p.add_argument("--pods", type=int, default=60000)
p.add_argument("--prefix", default="big")
a = p.parse_args()

gpu_nodes = a.nodes // 5
gpu_tainted = gpu_nodes // 2
gpu_open = gpu_nodes - gpu_tainted
cpu_nodes = a.nodes - gpu_nodes
cpu_tainted = cpu_nodes // 10
cpu_open = cpu_nodes - cpu_tainted

# CPU-only shapes: (cpu, memory, priorityClass); GPU workloads: 1 or 2 GPUs.
cpu_shapes = [
    ("100m", "128Mi", "batch-low"),
    ("250m", "256Mi", None),
    ("500m", "1Gi", "online-high"),
    ("1", "2Gi", "batch-low"),
    ("2", "4Gi", None),
    ("750m", "3Gi", "online-high"),
]
# GPU replicas: 40% of the open GPUs, so the plan finds idle and preemptible GPUs.
gpu_replicas = int(gpu_open * 8 * 0.4)
gpu_workloads = [(1, "batch-low"), (2, "batch-low"), (1, "online-high")]

out = []
w = out.append
w("apiVersion: fleet.kubectl.dev/v1alpha1")
w("kind: SimulatedFleet")
w("clusters:")
regions = ["cn-beijing", "cn-hangzhou", "cn-shanghai", "cn-shenzhen", "cn-wulanchabu"]
for c in range(a.clusters):
    name = f"{a.prefix}-{c + 1}"
    w(f"- name: {name}")
    w(f"  labels: {{region: {regions[c % len(regions)]}, provider: sim, tier: t{c % 2}}}")
    w("  nodes:")
    w(f"  - count: {cpu_open}")
    w("    prefix: cpu")
    w('    allocatable: {cpu: "64", memory: 256Gi, pods: "110"}')
    w("    labels: {node.kubernetes.io/instance-type: cpu-64}")
    if cpu_tainted:
        w(f"  - count: {cpu_tainted}")
        w("    prefix: infra")
        w('    allocatable: {cpu: "32", memory: 128Gi, pods: "110"}')
        w("    labels: {node.kubernetes.io/instance-type: cpu-32, dedicated: infra}")
        w("    taints: [{key: dedicated, value: infra, effect: NoSchedule}]")
    if gpu_open:
        w(f"  - count: {gpu_open}")
        w("    prefix: gpu-shared")
        w('    allocatable: {cpu: "96", memory: 768Gi, nvidia.com/gpu: "8", pods: "110"}')
        w("    labels: {node.kubernetes.io/instance-type: gpu-a100, pool: shared}")
    if gpu_tainted:
        w(f"  - count: {gpu_tainted}")
        w("    prefix: gpu-dedicated")
        w('    allocatable: {cpu: "96", memory: 768Gi, nvidia.com/gpu: "8", pods: "110"}')
        w("    labels: {node.kubernetes.io/instance-type: gpu-a100, pool: dedicated}")
        w("    taints: [{key: nvidia.com/gpu, value: present, effect: NoSchedule}]")
    w("  priorityClasses:")
    w("  - {name: batch-low, value: 100}")
    w("  - {name: online-high, value: 100000}")
    w("  - {name: standard, value: 1000, globalDefault: true}")
    w("  workloads:")
    remaining = a.pods
    # GPU workloads first (pinned to the shared GPU pool).
    per_gpu = max(1, gpu_replicas // (2 * len(gpu_workloads)))
    for i, (gpus, pc) in enumerate(gpu_workloads):
        n = min(per_gpu, remaining)
        if n <= 0:
            break
        remaining -= n
        w(f"  - name: gpu-train-{i}")
        w("    namespace: ml")
        w(f"    replicas: {n}")
        w(f"    priorityClassName: {pc}")
        w(f'    requests: {{cpu: "4", memory: 32Gi, nvidia.com/gpu: "{gpus}"}}')
        w("    nodeSelector: {pool: shared}")
    # CPU workloads: chunks of at most 1,000 replicas over several namespaces.
    i = 0
    while remaining > 0:
        n = min(1000, remaining)
        remaining -= n
        cpu, mem, pc = cpu_shapes[i % len(cpu_shapes)]
        w(f"  - name: svc-{i}")
        w(f"    namespace: team-{i % 8}")
        w(f"    replicas: {n}")
        if pc:
            w(f"    priorityClassName: {pc}")
        w(f"    requests: {{cpu: {cpu}, memory: {mem}}}")
        w("    nodeSelector: {node.kubernetes.io/instance-type: cpu-64}")
        i += 1
print("\n".join(out))
