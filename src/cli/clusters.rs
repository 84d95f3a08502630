//! `kubectl fleet clusters`: one row per member — reachability, version, nodes, GPU
//! allocation, CPU/memory, cordon state, labels. Unreachable members are listed with
//! `READY False` and reported on stderr; the command then exits 1.

use std::collections::BTreeMap;

use clap::Args;
use serde::Serialize;

use super::global::print_out;
use super::{Context, ExitStatus};
use crate::capacity::quantity::{format_cpu, format_memory, parse_quantity};
use crate::fleet::{read_snapshots, MemberState, ReadOptions};
use crate::output::{list_document, to_json, to_yaml, Cell, Paint, Table};

/// The GPU resource shown in the GPU column.
pub const GPU: &str = "nvidia.com/gpu";

/// Arguments of `clusters`.
#[derive(Args, Debug)]
pub struct ClustersArgs {
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, value_name = "FORMAT")]
    pub output: Option<ClustersOutput>,
}

/// `-o` of `clusters`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ClustersOutput {
    /// Adds the API server URL.
    Wide,
    /// JSON (a List of rows).
    Json,
    /// YAML (a List of rows).
    Yaml,
}

/// One member, as printed.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ClusterRow {
    pub name: String,
    pub context: String,
    pub server: Option<String>,
    pub reachable: bool,
    pub error: Option<String>,
    pub version: Option<String>,
    pub nodes: u32,
    pub ready_nodes: u32,
    pub gpu_allocated: i64,
    pub gpu_total: i64,
    /// Allocatable CPU, as a quantity.
    pub cpu: String,
    /// Allocatable memory, as a quantity.
    pub memory: String,
    pub cordoned: bool,
    pub labels: BTreeMap<String, String>,
}

fn milli(q: &k8s_openapi::apimachinery::pkg::api::resource::Quantity) -> i64 {
    parse_quantity(&q.0).unwrap_or(0)
}

/// Sum of what active, bound pods request of `resource` (limits count when requests are absent).
pub fn allocated(state: &MemberState, resource: &str) -> i64 {
    state
        .pods
        .iter()
        .filter(|p| p.is_active() && p.node_name.is_some())
        .map(|p| {
            p.containers
                .iter()
                .map(|c| {
                    c.requests
                        .as_ref()
                        .and_then(|r| r.get(resource))
                        .or_else(|| c.limits.as_ref().and_then(|l| l.get(resource)))
                        .map(milli)
                        .unwrap_or(0)
                })
                .sum::<i64>()
        })
        .sum()
}

/// Sum of nodes' allocatable `resource`.
pub fn allocatable(state: &MemberState, resource: &str) -> i64 {
    state
        .nodes
        .iter()
        .filter_map(|n| n.allocatable.get(resource))
        .map(milli)
        .sum()
}

/// Run `clusters`.
pub async fn run(args: ClustersArgs, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let fleet = ctx.load_fleet()?;
    let opts = ReadOptions {
        pods: true,
        deployments: false,
        providers: false,
        ..ReadOptions::default()
    };
    let snapshots = read_snapshots(&fleet, &opts).await;
    let mut rows = Vec::new();
    let mut failed = false;
    for (member, snap) in fleet.members.iter().zip(&snapshots) {
        let mut row = ClusterRow {
            name: member.name.clone(),
            context: member.context.clone(),
            server: member.server.clone(),
            reachable: false,
            error: None,
            version: None,
            nodes: 0,
            ready_nodes: 0,
            gpu_allocated: 0,
            gpu_total: 0,
            cpu: String::new(),
            memory: String::new(),
            cordoned: false,
            labels: member.labels.clone(),
        };
        match &snap.result {
            Ok(state) => {
                row.reachable = true;
                row.version = state.version.clone();
                row.nodes = state.nodes.len() as u32;
                row.ready_nodes = state.nodes.iter().filter(|n| n.ready).count() as u32;
                row.gpu_allocated = allocated(state, GPU);
                row.gpu_total = allocatable(state, GPU);
                row.cpu = format_cpu(allocatable(state, "cpu"));
                row.memory = format_memory(allocatable(state, "memory"));
                row.cordoned = state.cordon.cordoned;
                row.labels = state.labels.clone();
                for w in &state.warnings {
                    ctx.warn(&format!("{}: {w}", member.name));
                }
            }
            Err(e) => {
                failed = true;
                row.error = Some(e.to_string());
                ctx.error_line(&format!("{}: {e}", member.name));
            }
        }
        rows.push(row);
    }
    let text = match args.output {
        Some(ClustersOutput::Json) => to_json(&list_document(&rows)?)?,
        Some(ClustersOutput::Yaml) => to_yaml(&list_document(&rows)?)?,
        other => render(&rows, other == Some(ClustersOutput::Wide)).render(&ctx.out),
    };
    print_out(&text)?;
    Ok(if failed {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

/// The table (`wide` adds SERVER).
pub fn render(rows: &[ClusterRow], wide: bool) -> Table {
    let mut headers = vec![
        "NAME", "CONTEXT", "VERSION", "READY", "NODES", "GPU", "CPU", "MEMORY", "CORDONED",
        "LABELS",
    ];
    if wide {
        headers.push("SERVER");
    }
    let mut t = Table::new(headers);
    for r in rows {
        let labels = r
            .labels
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(",");
        let (ready, nodes, gpu, cpu, mem) = if r.reachable {
            (
                Cell::painted("True", Paint::Good),
                format!("{}/{}", r.ready_nodes, r.nodes),
                format!("{}/{}", r.gpu_allocated / 1000, r.gpu_total / 1000),
                r.cpu.clone(),
                r.memory.clone(),
            )
        } else {
            let u = "<unknown>".to_string();
            (
                Cell::painted("False", Paint::Bad),
                u.clone(),
                u.clone(),
                u.clone(),
                u,
            )
        };
        let mut cells = vec![
            Cell::from(r.name.as_str()),
            Cell::from(r.context.as_str()),
            Cell::from(r.version.clone().unwrap_or_else(|| "<unknown>".into())),
            ready,
            Cell::from(nodes),
            Cell::from(gpu),
            Cell::from(cpu),
            Cell::from(mem),
            if r.cordoned {
                Cell::painted("True", Paint::Warn)
            } else {
                Cell::from("False")
            },
            Cell::from(if labels.is_empty() {
                "<none>".into()
            } else {
                labels
            }),
        ];
        if wide {
            cells.push(Cell::from(r.server.clone().unwrap_or_default()));
        }
        t.row(cells);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clusters_table_shows_unreachable_members_as_unknown() {
        let ok = ClusterRow {
            name: "idc-beijing".into(),
            context: "idc-beijing".into(),
            server: Some("http://127.0.0.1:1".into()),
            reachable: true,
            error: None,
            version: Some("v1.32.0".into()),
            nodes: 4,
            ready_nodes: 4,
            gpu_allocated: 6000,
            gpu_total: 8000,
            cpu: "96".into(),
            memory: "384Gi".into(),
            cordoned: false,
            labels: [("provider".to_string(), "idc".to_string())].into(),
        };
        let down = ClusterRow {
            name: "ack-shanghai".into(),
            context: "ack-shanghai".into(),
            reachable: false,
            error: Some("unreachable".into()),
            version: None,
            labels: BTreeMap::new(),
            ..ok.clone()
        };
        insta::assert_snapshot!(render(&[ok, down], false).render_plain(), @r"
        NAME           CONTEXT        VERSION     READY   NODES       GPU         CPU         MEMORY      CORDONED   LABELS
        idc-beijing    idc-beijing    v1.32.0     True    4/4         6/8         96          384Gi       False      provider=idc
        ack-shanghai   ack-shanghai   <unknown>   False   <unknown>   <unknown>   <unknown>   <unknown>   False      <none>
        ");
    }
}
