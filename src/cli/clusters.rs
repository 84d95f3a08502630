//! `kubectl fleet clusters`: one row per member — reachability, version, nodes, GPU/CPU/
//! memory allocation, cordon state, labels. Unreachable members are listed with `READY False`
//! and reported on stderr; the command then exits 1.

use clap::Args;

use super::global::print_out;
use super::{Context, ExitStatus};
use crate::capacity::quantity::{format_cpu, format_memory};
use crate::fleet::ClusterRow;
use crate::output::{list_document, to_json, to_yaml, Cell, Paint, Table};

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
    /// Adds elastic pools and the API server URL.
    Wide,
    /// JSON (a List of rows).
    Json,
    /// YAML (a List of rows).
    Yaml,
}

/// Run `clusters`.
pub async fn run(args: ClustersArgs, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let fleet = ctx.load_fleet()?;
    let rows = crate::fleet::clusters(&fleet).await;
    let mut failed = false;
    for r in &rows {
        if let Some(e) = &r.error {
            failed = true;
            ctx.error_line(&format!("{}: {e}", r.name));
        }
        for w in &r.warnings {
            ctx.warn(&format!("{}: {w}", r.name));
        }
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

/// The table (`wide` adds POOLS and SERVER).
pub fn render(rows: &[ClusterRow], wide: bool) -> Table {
    let mut headers = vec![
        "NAME", "CONTEXT", "VERSION", "READY", "NODES", "GPU", "CPU", "MEMORY", "CORDONED",
        "LABELS",
    ];
    if wide {
        headers.extend(["POOLS", "SERVER"]);
    }
    let mut t = Table::new(headers);
    for r in rows {
        // `topology.kubernetes.io/region=x` adds nothing next to `region=x` in the table.
        let labels = r
            .labels
            .iter()
            .filter(|(k, v)| {
                k.strip_prefix("topology.kubernetes.io/")
                    .is_none_or(|short| r.labels.get(short) != Some(*v))
            })
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(",");
        let unknown = || Cell::from("<unknown>");
        let mut cells = vec![
            Cell::from(r.name.as_str()),
            Cell::from(r.context.as_str()),
            r.version.as_deref().map(Cell::from).unwrap_or_else(unknown),
        ];
        if r.ready {
            cells.extend([
                Cell::painted("True", Paint::Good),
                Cell::from(format!("{}/{}", r.nodes_ready, r.nodes)),
                Cell::from(format!(
                    "{}/{}",
                    format_cpu(r.gpu.allocated),
                    format_cpu(r.gpu.total)
                )),
                Cell::from(format!(
                    "{}/{}",
                    format_cpu(r.cpu.allocated),
                    format_cpu(r.cpu.total)
                )),
                Cell::from(format!(
                    "{}/{}",
                    format_memory(r.memory.allocated),
                    format_memory(r.memory.total)
                )),
            ]);
        } else {
            cells.push(Cell::painted("False", Paint::Bad));
            cells.extend((0..4).map(|_| unknown()));
        }
        cells.push(if r.cordoned {
            Cell::painted("True", Paint::Warn)
        } else {
            Cell::from("False")
        });
        cells.push(Cell::from(if labels.is_empty() {
            "<none>".to_string()
        } else {
            labels
        }));
        if wide {
            let pools = r
                .pools
                .iter()
                .map(|(name, n)| format!("{name}(+{n})"))
                .collect::<Vec<_>>()
                .join(",");
            cells.push(Cell::from(if pools.is_empty() {
                "<none>".to_string()
            } else {
                pools
            }));
            cells.push(Cell::from(r.server.clone().unwrap_or_default()));
        }
        t.row(cells);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fleet::Usage;

    #[test]
    fn clusters_table_shows_unreachable_members_as_unknown() {
        let ok = ClusterRow {
            name: "idc-beijing".into(),
            context: "idc-beijing".into(),
            server: Some("http://127.0.0.1:1".into()),
            version: Some("v1.32.0".into()),
            ready: true,
            nodes_ready: 4,
            nodes: 4,
            gpu: Usage {
                allocated: 6000,
                total: 8000,
            },
            cpu: Usage {
                allocated: 24000,
                total: 96000,
            },
            memory: Usage {
                allocated: 96 * 1024 * 1024 * 1024 * 1000,
                total: 384 * 1024 * 1024 * 1024 * 1000,
            },
            cordoned: false,
            cordon_reason: None,
            labels: [("provider".to_string(), "idc".to_string())].into(),
            pools: vec![],
            error: None,
            warnings: vec![],
        };
        let down = ClusterRow {
            name: "ack-shanghai".into(),
            context: "ack-shanghai".into(),
            ready: false,
            version: None,
            error: Some("unreachable".into()),
            labels: Default::default(),
            ..ok.clone()
        };
        insta::assert_snapshot!(render(&[ok, down], false).render_plain(), @r"
        NAME           CONTEXT        VERSION     READY   NODES       GPU         CPU         MEMORY       CORDONED   LABELS
        idc-beijing    idc-beijing    v1.32.0     True    4/4         6/8         24/96       96Gi/384Gi   False      provider=idc
        ack-shanghai   ack-shanghai   <unknown>   False   <unknown>   <unknown>   <unknown>   <unknown>    False      <none>
        ");
    }
}
