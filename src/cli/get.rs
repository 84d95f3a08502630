//! `kubectl fleet get deployments|pods|nodes [NAME] [-M]`: fleet-wide read views.
//!
//! Deployments: without `-M` one row per workload with fleet totals; with `-M` (like
//! `kubectl amc get deploy NAME -M`) one row per member copy plus a fleet total row.
//! Pods and nodes always carry a CLUSTER column. Members that cannot be read are reported on
//! stderr while the others print; the command then exits 1.

use std::collections::BTreeMap;

use clap::Args;
use clap_complete::engine::ArgValueCompleter;
use serde_json::Value;

use super::complete;
use super::global::print_out;
use super::{Context, ExitStatus};
use crate::fleet::{read_snapshots, DeploymentState, MemberSnapshot, ReadOptions};
use crate::output::age::age;
use crate::output::{list_document, to_json, to_name, to_yaml, Cell, Paint, Table};

/// Arguments of `get`.
#[derive(Args, Debug)]
pub struct GetArgs {
    /// What to list.
    #[arg(value_enum)]
    pub resource: Resource,
    /// Only this object.
    #[arg(add = ArgValueCompleter::new(complete::deployment_name_candidates))]
    pub name: Option<String>,
    /// One row per member cluster (plus a fleet total row for Deployments).
    #[arg(short = 'M', long = "member-clusters")]
    pub member_clusters: bool,
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, value_name = "FORMAT")]
    pub output: Option<GetOutput>,
    /// Label selector on the listed objects (e.g. `app=qwen3-8b`).
    #[arg(short = 'l', long = "selector", value_name = "SELECTOR")]
    pub selector: Option<String>,
}

/// Resource kinds `get` lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Resource {
    /// Deployments (aliases deploy, deployment).
    #[value(aliases = ["deploy", "deployment", "deployment.apps", "deployments.apps"])]
    Deployments,
    /// Pods (aliases pod, po).
    #[value(aliases = ["pod", "po"])]
    Pods,
    /// Nodes (aliases node, no).
    #[value(aliases = ["node", "no"])]
    Nodes,
}

/// `-o` of `get`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum GetOutput {
    /// More columns.
    Wide,
    /// JSON List of the member objects.
    Json,
    /// YAML List of the member objects.
    Yaml,
    /// `kind.group/name` per object.
    Name,
}

/// Annotation added to objects printed by `-o json|yaml` to say which member they come from.
pub const MEMBER_ANNOTATION: &str = "fleet.kubectl.dev/member";

/// Run `get`.
pub async fn run(args: GetArgs, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let selector = match &args.selector {
        Some(s) => Some(
            crate::fleet::LabelSelector::parse(s)
                .map_err(|e| super::exit::usage(format!("--selector {s:?}: {e}")))?,
        ),
        None => None,
    };
    let fleet = ctx.load_fleet()?;
    let opts = ReadOptions {
        pods: args.resource != Resource::Nodes,
        deployments: args.resource == Resource::Deployments,
        providers: false,
        ..ReadOptions::default()
    };
    let snapshots = read_snapshots(&fleet, &opts).await;
    let mut failed = false;
    for s in &snapshots {
        if let Err(e) = &s.result {
            failed = true;
            ctx.error_line(&format!("{}: {e}", s.name));
        }
    }
    let ns = if args.resource == Resource::Nodes {
        None
    } else {
        ctx.namespace_filter()
    };
    let view = View {
        ns: ns.as_deref(),
        name: args.name.as_deref(),
        selector: selector.as_ref(),
    };
    let text = match args.resource {
        Resource::Deployments => deployments(&snapshots, &view, &args, ctx)?,
        Resource::Pods => pods(&snapshots, &view, &args, ctx)?,
        Resource::Nodes => nodes(&snapshots, &view, &args, ctx)?,
    };
    if text.is_empty() && !failed {
        match (&args.name, &ns) {
            (Some(n), _) => {
                return Err(anyhow::anyhow!(
                    "{} {n:?} not found in any member",
                    kind_word(args.resource)
                ))
            }
            (None, Some(ns)) => eprintln!("No resources found in {ns} namespace."),
            (None, None) => eprintln!("No resources found"),
        }
    }
    print_out(&text)?;
    Ok(if failed {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

fn kind_word(r: Resource) -> &'static str {
    match r {
        Resource::Deployments => "deployment",
        Resource::Pods => "pod",
        Resource::Nodes => "node",
    }
}

struct View<'a> {
    ns: Option<&'a str>,
    name: Option<&'a str>,
    selector: Option<&'a crate::fleet::LabelSelector>,
}

impl View<'_> {
    fn keep(&self, ns: &str, name: &str, labels: &BTreeMap<String, String>) -> bool {
        self.ns.is_none_or(|n| n == ns)
            && self.name.is_none_or(|n| n == name)
            && self.selector.is_none_or(|s| s.matches(labels))
    }
}

fn machine(items: Vec<Value>, out: GetOutput) -> anyhow::Result<String> {
    Ok(match out {
        GetOutput::Json => to_json(&list_document(&items)?)?,
        _ => to_yaml(&list_document(&items)?)?,
    })
}

fn with_member(mut v: Value, member: &str) -> Value {
    if let Some(meta) = v.get_mut("metadata").and_then(Value::as_object_mut) {
        let ann = meta
            .entry("annotations")
            .or_insert_with(|| Value::Object(Default::default()));
        if let Some(ann) = ann.as_object_mut() {
            ann.insert(
                MEMBER_ANNOTATION.to_string(),
                Value::String(member.to_string()),
            );
        }
        meta.remove("managedFields");
    }
    v
}

fn names(mut names: Vec<String>) -> String {
    names.sort();
    names.dedup();
    names.into_iter().map(|n| n + "\n").collect()
}

/// One member copy of a Deployment.
struct Copy<'a> {
    cluster: &'a str,
    d: &'a DeploymentState,
}

fn deployments(
    snapshots: &[MemberSnapshot],
    view: &View,
    args: &GetArgs,
    ctx: &Context,
) -> anyhow::Result<String> {
    let mut copies: Vec<Copy> = Vec::new();
    for s in snapshots {
        if let Ok(state) = &s.result {
            for d in &state.deployments {
                let labels = d.object.metadata.labels.clone().unwrap_or_default();
                if view.keep(&d.namespace, &d.name, &labels) {
                    copies.push(Copy {
                        cluster: &s.name,
                        d,
                    });
                }
            }
        }
    }
    if copies.is_empty() {
        return Ok(String::new());
    }
    match args.output {
        Some(GetOutput::Name) => {
            return Ok(names(
                copies
                    .iter()
                    .map(|c| to_name("deployment", "apps", &c.d.name))
                    .collect(),
            ))
        }
        Some(o @ (GetOutput::Json | GetOutput::Yaml)) => {
            let items = copies
                .iter()
                .map(|c| Ok(with_member(serde_json::to_value(&c.d.object)?, c.cluster)))
                .collect::<anyhow::Result<Vec<_>>>()?;
            return machine(items, o);
        }
        _ => {}
    }
    let wide = args.output == Some(GetOutput::Wide);
    let all_ns = view.ns.is_none();
    // Group the copies by workload, in name order.
    let mut groups: BTreeMap<(String, String), Vec<&Copy>> = BTreeMap::new();
    for c in &copies {
        groups
            .entry((c.d.namespace.clone(), c.d.name.clone()))
            .or_default()
            .push(c);
    }
    let mut headers: Vec<&str> = Vec::new();
    if all_ns {
        headers.push("NAMESPACE");
    }
    headers.push("NAME");
    if args.member_clusters {
        headers.push("CLUSTER");
    }
    headers.extend(["READY", "UP-TO-DATE", "AVAILABLE", "AGE"]);
    if args.member_clusters {
        headers.push("ADOPTION");
    } else {
        headers.push("CLUSTERS");
    }
    if wide {
        headers.extend(["GROUP", "DESIRED", "PENDING", "IMAGES"]);
    }
    let mut t = Table::new(headers);
    for ((ns, name), copies) in &groups {
        let total = Totals::of(copies.iter().map(|c| c.d));
        let oldest = copies
            .iter()
            .filter_map(|c| c.d.created.as_ref())
            .min_by_key(|t| t.0);
        let images = {
            let mut v: Vec<String> = copies.iter().flat_map(|c| c.d.images.clone()).collect();
            v.sort();
            v.dedup();
            v.join(",")
        };
        let desired_total = copies
            .iter()
            .find_map(|c| c.d.total_replicas)
            .map(|n| n.to_string())
            .unwrap_or_else(|| total.replicas.to_string());
        if args.member_clusters {
            for c in copies {
                let d = c.d;
                let mut cells: Vec<Cell> = Vec::new();
                if all_ns {
                    cells.push(ns.as_str().into());
                }
                cells.push(name.as_str().into());
                cells.push(c.cluster.into());
                cells.push(ready_cell(d.ready, d.replicas));
                cells.push(d.updated.to_string().into());
                cells.push(d.available.to_string().into());
                cells.push(age(d.created.as_ref()).into());
                cells.push(adoption(d).into());
                if wide {
                    cells.push(d.group.clone().unwrap_or_else(|| "-".into()).into());
                    cells.push(d.replicas.to_string().into());
                    cells.push(d.pending.to_string().into());
                    cells.push(d.images.join(",").into());
                }
                t.row(cells);
            }
            let mut cells: Vec<Cell> = Vec::new();
            if all_ns {
                cells.push(ns.as_str().into());
            }
            cells.push(name.as_str().into());
            cells.push(Cell::painted("(fleet)", Paint::Bold));
            cells.push(ready_cell(total.ready, total.replicas));
            cells.push(total.updated.to_string().into());
            cells.push(total.available.to_string().into());
            cells.push(age(oldest).into());
            cells.push("".into());
            if wide {
                cells.push("".into());
                cells.push(desired_total.clone().into());
                cells.push(total.pending.to_string().into());
                cells.push(images.clone().into());
            }
            t.row(cells);
        } else {
            let mut members: Vec<&str> = copies
                .iter()
                .filter(|c| c.d.replicas > 0)
                .map(|c| c.cluster)
                .collect();
            members.dedup();
            let mut cells: Vec<Cell> = Vec::new();
            if all_ns {
                cells.push(ns.as_str().into());
            }
            cells.push(name.as_str().into());
            cells.push(ready_cell(total.ready, total.replicas));
            cells.push(total.updated.to_string().into());
            cells.push(total.available.to_string().into());
            cells.push(age(oldest).into());
            cells.push(
                if members.is_empty() {
                    "<none>".to_string()
                } else {
                    members.join(",")
                }
                .into(),
            );
            if wide {
                let groups: Vec<String> = {
                    let mut g: Vec<String> =
                        copies.iter().filter_map(|c| c.d.group.clone()).collect();
                    g.dedup();
                    g
                };
                cells.push(
                    if groups.is_empty() {
                        "-".to_string()
                    } else {
                        groups.join(",")
                    }
                    .into(),
                );
                cells.push(desired_total.clone().into());
                cells.push(total.pending.to_string().into());
                cells.push(images.into());
            }
            t.row(cells);
        }
    }
    Ok(t.render(&ctx.out))
}

fn adoption(d: &DeploymentState) -> &'static str {
    if d.managed {
        "Y"
    } else {
        "-"
    }
}

fn ready_cell(ready: i32, replicas: i32) -> Cell {
    let paint = if ready >= replicas {
        Paint::Plain
    } else {
        Paint::Warn
    };
    Cell::painted(format!("{ready}/{replicas}"), paint)
}

#[derive(Default)]
struct Totals {
    replicas: i32,
    ready: i32,
    updated: i32,
    available: i32,
    pending: i32,
}

impl Totals {
    fn of<'a>(copies: impl Iterator<Item = &'a DeploymentState>) -> Totals {
        let mut t = Totals::default();
        for d in copies {
            t.replicas += d.replicas;
            t.ready += d.ready;
            t.updated += d.updated;
            t.available += d.available;
            t.pending += d.pending;
        }
        t
    }
}

fn pods(
    snapshots: &[MemberSnapshot],
    view: &View,
    args: &GetArgs,
    ctx: &Context,
) -> anyhow::Result<String> {
    let all_ns = view.ns.is_none();
    let mut rows = Vec::new();
    for s in snapshots {
        if let Ok(state) = &s.result {
            for p in &state.pods {
                if view.keep(&p.namespace, &p.name, &p.labels) {
                    rows.push((s.name.as_str(), p));
                }
            }
        }
    }
    if rows.is_empty() {
        return Ok(String::new());
    }
    match args.output {
        Some(GetOutput::Name) => {
            return Ok(names(
                rows.iter()
                    .map(|(_, p)| to_name("pod", "", &p.name))
                    .collect(),
            ))
        }
        Some(o @ (GetOutput::Json | GetOutput::Yaml)) => {
            let items = rows
                .iter()
                .map(|(c, p)| {
                    let mut v = serde_json::to_value(p)?;
                    v["cluster"] = Value::String(c.to_string());
                    Ok(v)
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            return machine(items, o);
        }
        _ => {}
    }
    let wide = args.output == Some(GetOutput::Wide);
    let mut headers = Vec::new();
    if all_ns {
        headers.push("NAMESPACE");
    }
    headers.extend(["NAME", "CLUSTER", "STATUS", "NODE"]);
    if wide {
        headers.push("PRIORITY");
    }
    let mut t = Table::new(headers);
    for (cluster, p) in rows {
        let mut cells: Vec<Cell> = Vec::new();
        if all_ns {
            cells.push(p.namespace.as_str().into());
        }
        cells.push(p.name.as_str().into());
        cells.push(cluster.into());
        let status = if p.terminating {
            "Terminating".to_string()
        } else {
            p.phase.clone()
        };
        let paint = match status.as_str() {
            "Running" | "Succeeded" => Paint::Plain,
            "Pending" | "Terminating" => Paint::Warn,
            _ => Paint::Bad,
        };
        cells.push(Cell::painted(status, paint));
        cells.push(
            p.node_name
                .clone()
                .unwrap_or_else(|| "<none>".into())
                .into(),
        );
        if wide {
            cells.push(
                p.priority_class_name
                    .clone()
                    .or_else(|| p.priority.map(|v| v.to_string()))
                    .unwrap_or_else(|| "<none>".into())
                    .into(),
            );
        }
        t.row(cells);
    }
    Ok(t.render(&ctx.out))
}

fn nodes(
    snapshots: &[MemberSnapshot],
    view: &View,
    args: &GetArgs,
    ctx: &Context,
) -> anyhow::Result<String> {
    let mut rows = Vec::new();
    for s in snapshots {
        if let Ok(state) = &s.result {
            for n in &state.nodes {
                if view.name.is_none_or(|x| x == n.name)
                    && view.selector.is_none_or(|sel| sel.matches(&n.labels))
                {
                    rows.push((s.name.as_str(), n));
                }
            }
        }
    }
    if rows.is_empty() {
        return Ok(String::new());
    }
    match args.output {
        Some(GetOutput::Name) => {
            return Ok(names(
                rows.iter()
                    .map(|(_, n)| to_name("node", "", &n.name))
                    .collect(),
            ))
        }
        Some(o @ (GetOutput::Json | GetOutput::Yaml)) => {
            let items = rows
                .iter()
                .map(|(c, n)| {
                    let mut v = serde_json::to_value(n)?;
                    v["cluster"] = Value::String(c.to_string());
                    Ok(v)
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            return machine(items, o);
        }
        _ => {}
    }
    let wide = args.output == Some(GetOutput::Wide);
    let mut headers = vec!["NAME", "CLUSTER", "STATUS", "AGE", "VERSION", "GPU"];
    if wide {
        headers.extend(["CPU", "MEMORY", "INSTANCE-TYPE"]);
    }
    let mut t = Table::new(headers);
    for (cluster, n) in rows {
        let mut status = if n.ready { "Ready" } else { "NotReady" }.to_string();
        if n.unschedulable {
            status.push_str(",SchedulingDisabled");
        }
        let paint = if n.ready { Paint::Plain } else { Paint::Bad };
        let q = |r: &str| {
            n.allocatable
                .get(r)
                .map(|q| q.0.clone())
                .unwrap_or_else(|| "0".into())
        };
        let mut cells: Vec<Cell> = vec![
            n.name.as_str().into(),
            cluster.into(),
            Cell::painted(status, paint),
            age(n.created.as_ref()).into(),
            n.kubelet_version
                .clone()
                .unwrap_or_else(|| "<unknown>".into())
                .into(),
            q(super::clusters::GPU).into(),
        ];
        if wide {
            cells.push(q("cpu").into());
            cells.push(q("memory").into());
            cells.push(
                n.labels
                    .get("node.kubernetes.io/instance-type")
                    .cloned()
                    .unwrap_or_else(|| "<none>".into())
                    .into(),
            );
        }
        t.row(cells);
    }
    Ok(t.render(&ctx.out))
}
