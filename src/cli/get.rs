//! `kubectl fleet get deployments|pods|nodes|events|hpa [NAME] [-M]`: fleet-wide read views.
//!
//! Autoscalers (`hpa`): kubectl's HPA columns from the state stored in the members, `-M` one
//! row per member with its live Ready pods and metric values (see [`crate::output::autoscaler`]).
//!
//! Deployments: without `-M` one row per workload with fleet totals (and the members it runs
//! on); with `-M` (like `kubectl amc get deploy NAME -M`) one row per member copy plus a
//! `(fleet)` total row. Pods and nodes carry a CLUSTER column.
//!
//! Deployments `-o json|yaml` print what kubectl prints: a `v1` `List` of the member copies
//! (with or without `-M`), each annotated `fleet.kubectl.dev/member: CLUSTER`;
//! `-o custom-columns=...` and `-o jsonpath=...` (the subset of [`crate::output::jsonpath`])
//! evaluate against those objects; the fleet rows stay in the tables (`-o wide`). Pods and
//! nodes `-o json|yaml` print their rows as a `List`. Members that cannot be read are
//! reported on stderr while the others print; the command then exits 1.

use clap::Args;
use clap_complete::engine::{ArgValueCandidates, ArgValueCompleter};
use serde::Serialize;

use super::complete;
use super::global::print_out;
use super::{Context, ExitStatus};
use crate::fleet::{DeploymentsView, MemberDeploymentRow, MemberFailure, NodeRow, PodRow};
use crate::output::age::age;
use crate::output::jsonpath::{column_cell, parse_columns, Path, Template};
use crate::output::objects::member_object;
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
    /// Output format: wide, json, yaml, name, custom-columns=HEADER:PATH,... or
    /// jsonpath=TEMPLATE (deployments: json/yaml/custom-columns/jsonpath see the member copies
    /// as a v1 List, each annotated fleet.kubectl.dev/member).
    #[arg(
        short = 'o',
        long = "output",
        value_name = "FORMAT",
        value_parser = parse_output,
        add = ArgValueCandidates::new(output_candidates)
    )]
    pub output: Option<GetOutput>,
    /// Label selector on the listed objects (e.g. `app=qwen3-8b`).
    #[arg(short = 'l', long = "selector", value_name = "SELECTOR")]
    pub selector: Option<String>,
    /// Events only: those about this object, like `kubectl events --for` (e.g. deploy/NAME).
    #[arg(long = "for", value_name = "KIND/NAME", add = ArgValueCompleter::new(complete::deployment_target_candidates))]
    pub for_object: Option<String>,
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
    /// Events of every member, oldest first, with a CLUSTER column (aliases event, ev).
    #[value(aliases = ["event", "ev"])]
    Events,
    /// Fleet autoscalers (aliases hpa, horizontalpodautoscaler, federatedhpa(s), fhpa).
    #[value(aliases = super::delete::AUTOSCALER_KINDS)]
    Horizontalpodautoscalers,
}

/// `-o` of `get`.
#[derive(Clone, Debug, PartialEq)]
pub enum GetOutput {
    /// More columns.
    Wide,
    /// JSON List (deployments: the member copies).
    Json,
    /// YAML List (deployments: the member copies).
    Yaml,
    /// `kind.group/name` per object.
    Name,
    /// `custom-columns=HEADER:PATH,...`.
    CustomColumns(Vec<(String, Path)>),
    /// `jsonpath=TEMPLATE`.
    JsonPath(Template),
}

/// Parses `-o`: the plain formats, `custom-columns=...` and `jsonpath=...`.
pub fn parse_output(s: &str) -> Result<GetOutput, String> {
    if let Some(spec) = s.strip_prefix("custom-columns=") {
        return parse_columns(spec).map(GetOutput::CustomColumns);
    }
    if let Some(t) = s
        .strip_prefix("jsonpath=")
        .or_else(|| s.strip_prefix("jsonpath-as-json="))
    {
        return Template::parse(t).map(GetOutput::JsonPath);
    }
    Ok(match s {
        "wide" => GetOutput::Wide,
        "json" => GetOutput::Json,
        "yaml" => GetOutput::Yaml,
        "name" => GetOutput::Name,
        other => {
            return Err(format!(
                "unknown output format {other:?} (allowed: wide, json, yaml, name, custom-columns=HEADER:PATH,..., jsonpath=TEMPLATE)"
            ))
        }
    })
}

fn output_candidates() -> Vec<clap_complete::engine::CompletionCandidate> {
    use clap_complete::engine::CompletionCandidate as C;
    [
        ("wide", "more columns"),
        ("json", "v1 List (deployments: the member copies)"),
        ("yaml", "v1 List (deployments: the member copies)"),
        ("name", "resource.group/name"),
        ("custom-columns=", "HEADER:PATH,... over the objects"),
        ("jsonpath=", "a JSONPath template over the List"),
    ]
    .into_iter()
    .map(|(v, h)| C::new(v).help(Some(h.into())))
    .collect()
}

/// Run `get`.
pub async fn run(args: GetArgs, ctx: &Context) -> anyhow::Result<ExitStatus> {
    if let Some(s) = &args.selector {
        crate::fleet::LabelSelector::parse(s)
            .map_err(|e| super::exit::usage(format!("--selector {s:?}: {e}")))?;
    }
    let for_object = match (&args.for_object, args.resource) {
        (None, _) => None,
        (Some(f), Resource::Events) => Some(
            crate::fleet::ObjectRef::parse(f)
                .map_err(|e| super::exit::usage(format!("--for {e}")))?,
        ),
        (Some(_), _) => return Err(super::exit::usage("--for is only supported for events")),
    };
    let fleet = ctx.load_fleet()?;
    let ns = ctx.namespace_filter();
    let selector = args.selector.as_deref();
    let (text, errors, empty) = match args.resource {
        Resource::Deployments => {
            let mut view =
                crate::fleet::get_deployments(&fleet, ns.as_deref(), args.name.as_deref()).await;
            if let Some(sel) = selector {
                filter_deployments(&mut view, &fleet, sel).await;
            }
            if args.output == Some(GetOutput::Wide) {
                crate::fleet::rollout::add_revisions(&fleet, &mut view).await;
            }
            let empty = view.rows.is_empty();
            for t in &view.totals {
                if let Some(torn) = &t.torn {
                    ctx.warn(&format!(
                        "deployment {}/{} is torn: {torn}; `kubectl fleet rebalance deploy/{}` repairs it",
                        t.namespace, t.name, t.name
                    ));
                }
            }
            (
                deployments(&view, &args, ns.is_none(), ctx)?,
                view.errors,
                empty,
            )
        }
        Resource::Pods => {
            let mut view = crate::fleet::get_pods(&fleet, ns.as_deref(), selector).await;
            if let Some(n) = &args.name {
                view.rows.retain(|r| &r.name == n);
            }
            let empty = view.rows.is_empty();
            (
                pods(&view.rows, &args, ns.is_none(), ctx)?,
                view.errors,
                empty,
            )
        }
        Resource::Nodes => {
            let mut view = crate::fleet::get_nodes(&fleet, selector).await;
            if let Some(n) = &args.name {
                view.rows.retain(|r| &r.name == n);
            }
            let empty = view.rows.is_empty();
            (nodes(&view.rows, &args, ctx)?, view.errors, empty)
        }
        Resource::Events => {
            let mut view =
                crate::fleet::get_events(&fleet, ns.as_deref(), for_object.as_ref()).await;
            if let Some(n) = &args.name {
                view.rows
                    .retain(|r| r.event.metadata.name.as_deref() == Some(n.as_str()));
            }
            let empty = view.rows.is_empty();
            (
                events(&view.rows, &args, ns.is_none(), ctx)?,
                view.errors,
                empty,
            )
        }
        Resource::Horizontalpodautoscalers => {
            let view = crate::fleet::autoscale::get_autoscalers(
                &fleet,
                ns.as_deref(),
                args.name.as_deref(),
                args.member_clusters,
            )
            .await;
            let empty = view.items.is_empty();
            (
                autoscalers(&view.items, &args, ns.is_none(), ctx)?,
                view.errors,
                empty,
            )
        }
    };
    report_failures(&errors, ctx);
    if empty && errors.is_empty() {
        if let Some(n) = &args.name {
            return Err(anyhow::anyhow!(
                "{} {n:?} not found in any member",
                kind_word(args.resource)
            ));
        }
        match (&ns, args.resource) {
            (_, Resource::Nodes) | (None, _) => eprintln!("No resources found"),
            (Some(ns), Resource::Events) => eprintln!("No events found in {ns} namespace."),
            (Some(ns), _) => eprintln!("No resources found in {ns} namespace."),
        }
        return Ok(ExitStatus::Success);
    }
    print_out(&text)?;
    Ok(if errors.is_empty() {
        ExitStatus::Success
    } else {
        ExitStatus::Failure
    })
}

fn report_failures(errors: &[MemberFailure], ctx: &Context) {
    for e in errors {
        ctx.error_line(&format!("{}: {}", e.cluster, e.error));
    }
}

fn kind_word(r: Resource) -> &'static str {
    match r {
        Resource::Deployments => "deployment",
        Resource::Pods => "pod",
        Resource::Nodes => "node",
        Resource::Events => "event",
        Resource::Horizontalpodautoscalers => "horizontalpodautoscaler",
    }
}

/// `-l` for Deployments: keep the workloads whose copies carry matching labels.
async fn filter_deployments(view: &mut DeploymentsView, fleet: &crate::fleet::Fleet, sel: &str) {
    let Ok(selector) = crate::fleet::LabelSelector::parse(sel) else {
        return;
    };
    let snaps = crate::fleet::read_snapshots(
        fleet,
        &crate::fleet::ReadOptions {
            pods: false,
            deployments: true,
            providers: false,
            ..Default::default()
        },
    )
    .await;
    let mut keep = std::collections::BTreeSet::new();
    for s in &snaps {
        if let Ok(st) = &s.result {
            for d in &st.deployments {
                let labels = d.object.metadata.labels.clone().unwrap_or_default();
                if selector.matches(&labels) {
                    keep.insert((d.namespace.clone(), d.name.clone()));
                }
            }
        }
    }
    view.rows
        .retain(|r| keep.contains(&(r.namespace.clone(), r.name.clone())));
    view.totals
        .retain(|t| keep.contains(&(t.namespace.clone(), t.name.clone())));
}

/// json/yaml/custom-columns/jsonpath of `items` (objects or rows) as a `List`; `None` for
/// the table formats.
fn machine<T: Serialize>(
    items: &[T],
    out: Option<&GetOutput>,
    ctx: &Context,
) -> anyhow::Result<Option<String>> {
    let list = || list_document(items);
    Ok(Some(match out {
        Some(GetOutput::Json) => to_json(&list()?)?,
        Some(GetOutput::Yaml) => to_yaml(&list()?)?,
        Some(GetOutput::JsonPath(t)) => {
            let mut text = t.render(&list()?);
            if !text.is_empty() && !text.ends_with('\n') {
                text.push('\n');
            }
            text
        }
        Some(GetOutput::CustomColumns(cols)) => {
            let list = list()?;
            let mut t = Table::new(cols.iter().map(|(h, _)| h.as_str()).collect::<Vec<_>>());
            for item in list["items"].as_array().into_iter().flatten() {
                t.row(
                    cols.iter()
                        .map(|(_, p)| Cell::from(column_cell(item, p)))
                        .collect::<Vec<_>>(),
                );
            }
            t.render(&ctx.out)
        }
        _ => return Ok(None),
    }))
}

fn names(mut names: Vec<String>) -> String {
    names.sort();
    names.dedup();
    names.into_iter().map(|n| n + "\n").collect()
}

fn ready_cell(ready: i32, desired: i32) -> Cell {
    let paint = if ready >= desired {
        Paint::Plain
    } else {
        Paint::Warn
    };
    Cell::painted(format!("{ready}/{desired}"), paint)
}

fn deployments(
    view: &DeploymentsView,
    args: &GetArgs,
    all_ns: bool,
    ctx: &Context,
) -> anyhow::Result<String> {
    if args.output == Some(GetOutput::Name) {
        return Ok(names(
            view.rows
                .iter()
                .filter(|r| r.canary_of.is_none())
                .map(|r| to_name("deployment", "apps", &r.name))
                .collect(),
        ));
    }
    // Machine formats see the member copies, with or without -M (rows are sorted by
    // namespace, name, member).
    let objects = |_: ()| -> anyhow::Result<Vec<serde_json::Value>> {
        view.rows
            .iter()
            .map(|r| Ok(member_object(&r.cluster, &*r.object)?))
            .collect()
    };
    if !matches!(args.output, None | Some(GetOutput::Wide)) {
        if let Some(text) = machine(&objects(())?, args.output.as_ref(), ctx)? {
            return Ok(text);
        }
    }
    Ok(render_deployments(
        view,
        args.member_clusters,
        args.output == Some(GetOutput::Wide),
        all_ns,
    )
    .render(&ctx.out))
}

/// The Deployments table. A rollout's `<name>-canary` copy is part of its Deployment's
/// member row (counts added; `-o wide` shows both revisions, the canary's marked). With
/// `-o wide`, REVISION is the fleet revision of the template a member runs (the fleet row:
/// the current one, or `STABLE->NEW step N/M` during a rollout) and UPDATED the available
/// replicas on the fleet's current revision.
pub fn render_deployments(
    view: &DeploymentsView,
    members: bool,
    wide: bool,
    all_ns: bool,
) -> Table {
    let mut headers: Vec<&str> = Vec::new();
    if all_ns {
        headers.push("NAMESPACE");
    }
    headers.push("NAME");
    if members {
        headers.push("CLUSTER");
    }
    headers.extend(["READY", "UP-TO-DATE", "AVAILABLE", "AGE"]);
    headers.push(if members { "ADOPTION" } else { "CLUSTERS" });
    if members {
        headers.push("GENERATION");
    }
    if wide {
        headers.extend([
            "GROUP", "DESIRED", "PENDING", "REVISION", "UPDATED", "IMAGES",
        ]);
    }
    let rev = |r: Option<u64>| r.map_or_else(|| "-".to_string(), |r| r.to_string());
    let mut t = Table::new(headers);
    for total in &view.totals {
        let copies: Vec<_> = view
            .rows
            .iter()
            .filter(|r| r.namespace == total.namespace && r.name == total.name)
            .collect();
        let canaries: Vec<_> = view
            .rows
            .iter()
            .filter(|r| {
                r.namespace == total.namespace
                    && r.canary_of.as_deref() == Some(total.name.as_str())
            })
            .collect();
        let mut images: Vec<String> = copies
            .iter()
            .chain(canaries.iter())
            .flat_map(|c| c.images.clone())
            .collect();
        images.sort();
        images.dedup();
        let mut groups: Vec<String> = copies.iter().filter_map(|c| c.group.clone()).collect();
        groups.sort();
        groups.dedup();
        let prefix = |cells: &mut Vec<Cell>| {
            if all_ns {
                cells.push(total.namespace.as_str().into());
            }
            cells.push(total.name.as_str().into());
        };
        if members {
            for c in &copies {
                let canary = canaries.iter().find(|k| k.cluster == c.cluster);
                let add = |f: fn(&MemberDeploymentRow) -> i32| f(c) + canary.map_or(0, |k| f(k));
                let desired = add(|r| r.desired);
                let mut cells = Vec::new();
                prefix(&mut cells);
                cells.push(c.cluster.as_str().into());
                cells.push(ready_cell(add(|r| r.ready), desired));
                cells.push(add(|r| r.up_to_date).to_string().into());
                cells.push(add(|r| r.available).to_string().into());
                cells.push(age(c.created.as_ref()).into());
                cells.push(c.adoption.as_str().into());
                cells.push(
                    c.generation
                        .map(|g| g.to_string())
                        .unwrap_or_else(|| "-".into())
                        .into(),
                );
                if wide {
                    cells.push(c.group.clone().unwrap_or_else(|| "-".into()).into());
                    cells.push(desired.to_string().into());
                    cells.push(add(|r| r.pending).to_string().into());
                    cells.push(
                        match canary {
                            Some(k) => format!("{},{}(canary)", rev(c.revision), rev(k.revision)),
                            None => rev(c.revision),
                        }
                        .into(),
                    );
                    cells.push(
                        match (c.updated, canary.and_then(|k| k.updated)) {
                            (None, None) => "-".to_string(),
                            (a, b) => (a.unwrap_or(0) + b.unwrap_or(0)).to_string(),
                        }
                        .into(),
                    );
                    let mut imgs = c.images.clone();
                    if let Some(k) = canary {
                        imgs.extend(k.images.iter().map(|i| format!("{i}(canary)")));
                    }
                    cells.push(imgs.join(",").into());
                }
                t.row(cells);
            }
        }
        let mut cells = Vec::new();
        prefix(&mut cells);
        if members {
            cells.push(Cell::painted("(fleet)", Paint::Bold));
        }
        cells.push(ready_cell(total.ready, total.replicas as i32));
        cells.push(total.up_to_date.to_string().into());
        cells.push(total.available.to_string().into());
        cells.push(age(total.created.as_ref()).into());
        if members {
            cells.push("".into());
            cells.push(match (&total.torn, total.generation) {
                (Some(_), _) => Cell::painted("Torn", Paint::Bad),
                (None, Some(g)) => g.to_string().into(),
                (None, None) => "".into(),
            });
        } else {
            let on: Vec<&str> = copies
                .iter()
                .filter(|c| c.desired > 0)
                .map(|c| c.cluster.as_str())
                .collect();
            cells.push(
                if on.is_empty() {
                    "<none>".to_string()
                } else {
                    on.join(",")
                }
                .into(),
            );
        }
        if wide {
            cells.push(
                if groups.is_empty() || members {
                    "".to_string()
                } else {
                    groups.join(",")
                }
                .into(),
            );
            cells.push(total.replicas.to_string().into());
            cells.push(total.pending.to_string().into());
            match &total.rollout {
                Some(r) => {
                    let paint = if r.step.is_some() {
                        Paint::Warn
                    } else {
                        Paint::Plain
                    };
                    cells.push(Cell::painted(r.cell(), paint));
                    cells.push(format!("{}/{}", r.updated, total.replicas).into());
                }
                None => {
                    cells.push("-".into());
                    cells.push("-".into());
                }
            }
            cells.push(images.join(",").into());
        }
        t.row(cells);
    }
    t
}

fn pods(rows: &[PodRow], args: &GetArgs, all_ns: bool, ctx: &Context) -> anyhow::Result<String> {
    match &args.output {
        Some(GetOutput::Name) => {
            return Ok(names(
                rows.iter().map(|r| to_name("pod", "", &r.name)).collect(),
            ))
        }
        Some(GetOutput::Wide) | None => {}
        other => {
            if let Some(text) = machine(rows, other.as_ref(), ctx)? {
                return Ok(text);
            }
        }
    }
    let wide = args.output == Some(GetOutput::Wide);
    let mut headers = Vec::new();
    if all_ns {
        headers.push("NAMESPACE");
    }
    headers.extend(["NAME", "CLUSTER", "READY", "STATUS", "RESTARTS", "AGE"]);
    if wide {
        headers.extend(["IP", "NODE"]);
    }
    let mut t = Table::new(headers);
    for p in rows {
        let mut cells: Vec<Cell> = Vec::new();
        if all_ns {
            cells.push(p.namespace.as_str().into());
        }
        cells.push(p.name.as_str().into());
        cells.push(p.cluster.as_str().into());
        cells.push(format!("{}/{}", p.ready, p.containers).into());
        let paint = match p.status.as_str() {
            "Running" | "Succeeded" | "Completed" => Paint::Plain,
            "Pending" | "Terminating" | "ContainerCreating" => Paint::Warn,
            _ => Paint::Bad,
        };
        cells.push(Cell::painted(p.status.clone(), paint));
        cells.push(p.restarts.to_string().into());
        cells.push(age(p.created.as_ref()).into());
        if wide {
            cells.push(p.ip.clone().unwrap_or_else(|| "<none>".into()).into());
            cells.push(p.node.clone().unwrap_or_else(|| "<none>".into()).into());
        }
        t.row(cells);
    }
    Ok(t.render(&ctx.out))
}

fn nodes(rows: &[NodeRow], args: &GetArgs, ctx: &Context) -> anyhow::Result<String> {
    match &args.output {
        Some(GetOutput::Name) => {
            return Ok(names(
                rows.iter().map(|r| to_name("node", "", &r.name)).collect(),
            ))
        }
        Some(GetOutput::Wide) | None => {}
        other => {
            if let Some(text) = machine(rows, other.as_ref(), ctx)? {
                return Ok(text);
            }
        }
    }
    let wide = args.output == Some(GetOutput::Wide);
    let mut headers = vec![
        "NAME", "CLUSTER", "STATUS", "ROLES", "AGE", "VERSION", "GPU",
    ];
    if wide {
        headers.extend(["CPU", "MEMORY", "INSTANCE-TYPE"]);
    }
    let mut t = Table::new(headers);
    for n in rows {
        let paint = if n.status.starts_with("Ready") {
            Paint::Plain
        } else {
            Paint::Bad
        };
        let q = |r: &str| n.allocatable.get(r).cloned().unwrap_or_else(|| "0".into());
        let mut cells: Vec<Cell> = vec![
            n.name.as_str().into(),
            n.cluster.as_str().into(),
            Cell::painted(n.status.clone(), paint),
            if n.roles.is_empty() {
                "<none>".to_string()
            } else {
                n.roles.join(",")
            }
            .into(),
            age(n.created.as_ref()).into(),
            n.version
                .clone()
                .unwrap_or_else(|| "<unknown>".into())
                .into(),
            q("nvidia.com/gpu").into(),
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

/// `get hpa`: kubectl's columns (and with `-M` one row per member); json/yaml/custom-columns/
/// jsonpath see the autoscaling/v2 HorizontalPodAutoscaler (or FederatedHPA) objects with
/// their fleet-wide status; one named autoscaler prints as the object itself, like kubectl.
fn autoscalers(
    items: &[crate::fleet::autoscale::AutoscalerView],
    args: &GetArgs,
    all_ns: bool,
    ctx: &Context,
) -> anyhow::Result<String> {
    use crate::output::autoscaler;
    if args.selector.is_some() {
        return Err(super::exit::usage(
            "--selector is not supported for horizontalpodautoscalers",
        ));
    }
    match &args.output {
        Some(GetOutput::Name) => {
            return Ok(names(
                items
                    .iter()
                    .map(|i| {
                        let (r, g) = autoscaler::resource_name(i.stored.spec.kind);
                        to_name(r, g, &i.stored.spec.name)
                    })
                    .collect(),
            ))
        }
        Some(GetOutput::Wide) | None => {}
        other => {
            let objects: Vec<serde_json::Value> = items
                .iter()
                .map(|i| autoscaler::object(&i.stored))
                .collect();
            if args.name.is_some() && objects.len() == 1 {
                match other {
                    Some(GetOutput::Json) => return Ok(to_json(&objects[0])?),
                    Some(GetOutput::Yaml) => return Ok(to_yaml(&objects[0])?),
                    _ => {}
                }
            }
            if let Some(text) = machine(&objects, other.as_ref(), ctx)? {
                return Ok(text);
            }
        }
    }
    Ok(autoscaler::render_table(
        items,
        args.member_clusters,
        args.output == Some(GetOutput::Wide),
        all_ns,
    )
    .render(&ctx.out))
}

/// `get events`: LAST SEEN CLUSTER TYPE REASON OBJECT MESSAGE (kubectl events' columns plus
/// CLUSTER), oldest first; json/yaml/custom-columns/jsonpath see the Event objects, each
/// annotated with its member.
fn events(
    rows: &[crate::fleet::EventRow],
    args: &GetArgs,
    all_ns: bool,
    ctx: &Context,
) -> anyhow::Result<String> {
    match &args.output {
        Some(GetOutput::Name) => {
            return Ok(names(
                rows.iter()
                    .map(|r| to_name("event", "", r.event.metadata.name.as_deref().unwrap_or("")))
                    .collect(),
            ))
        }
        Some(GetOutput::Wide) | None => {}
        other => {
            let objects = rows
                .iter()
                .map(|r| Ok(member_object(&r.cluster, &*r.event)?))
                .collect::<anyhow::Result<Vec<_>>>()?;
            if let Some(text) = machine(&objects, other.as_ref(), ctx)? {
                return Ok(text);
            }
        }
    }
    Ok(render_events(rows, all_ns, args.output == Some(GetOutput::Wide)).render(&ctx.out))
}

/// The events table.
pub fn render_events(rows: &[crate::fleet::EventRow], all_ns: bool, wide: bool) -> Table {
    let mut headers = Vec::new();
    if all_ns {
        headers.push("NAMESPACE");
    }
    headers.extend(["LAST SEEN", "CLUSTER", "TYPE", "REASON", "OBJECT"]);
    if wide {
        headers.extend(["SOURCE", "COUNT"]);
    }
    headers.push("MESSAGE");
    let mut t = Table::new(headers);
    for r in rows {
        let mut cells: Vec<Cell> = Vec::new();
        if all_ns {
            cells.push(r.namespace.as_str().into());
        }
        cells.push(age(r.last_seen.as_ref()).into());
        cells.push(r.cluster.as_str().into());
        let paint = if r.type_ == "Warning" {
            Paint::Warn
        } else {
            Paint::Plain
        };
        cells.push(Cell::painted(r.type_.clone(), paint));
        cells.push(r.reason.as_str().into());
        cells.push(r.object.as_str().into());
        if wide {
            cells.push(r.source.as_str().into());
            cells.push(r.count.to_string().into());
        }
        cells.push(r.message.as_str().into());
        t.row(cells);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fleet::{Adoption, DeploymentTotals};
    use crate::output::Styler;

    fn row(cluster: &str, name: &str, replicas: i32, revision: u64) -> MemberDeploymentRow {
        MemberDeploymentRow {
            namespace: "default".into(),
            name: name.into(),
            cluster: cluster.into(),
            desired: replicas,
            ready: replicas,
            up_to_date: replicas,
            available: replicas,
            pending: 0,
            created: None,
            adoption: if name == "web" {
                Adoption::Created
            } else {
                Adoption::Unmanaged
            },
            group: Some("g1".into()),
            images: vec![format!("nginx:1.{}", 26 + revision)],
            total_replicas: Some(6),
            generation: Some(3),
            canary_of: (name != "web").then(|| "web".to_string()),
            spec_hash: None,
            revision: Some(revision),
            updated: Some(if revision == 2 { replicas as u32 } else { 0 }),
            placement: None,
            object: Box::default(),
        }
    }

    /// Step 1 of a rollout: west folded onto revision 2, east 3 stable + 1 canary.
    fn view() -> DeploymentsView {
        DeploymentsView {
            rows: vec![
                row("east", "web", 3, 1),
                row("east", "web-canary", 1, 2),
                row("west", "web", 2, 2),
            ],
            totals: vec![DeploymentTotals {
                namespace: "default".into(),
                name: "web".into(),
                clusters: vec!["east".into(), "west".into()],
                replicas: 6,
                desired: 6,
                ready: 6,
                up_to_date: 6,
                available: 6,
                pending: 0,
                created: None,
                managed: true,
                generation: Some(3),
                torn: None,
                rollout: Some(crate::fleet::views::RolloutSummary {
                    revision: 2,
                    stable_revision: 1,
                    step: Some((1, 2)),
                    paused: false,
                    updated: 3,
                }),
            }],
            errors: vec![],
        }
    }

    #[test]
    fn wide_member_rows_show_revisions_with_the_canary_in_its_member_row() {
        let text = render_deployments(&view(), true, true, false).render(&Styler::plain());
        insta::assert_snapshot!(text, @r"
        NAME   CLUSTER   READY   UP-TO-DATE   AVAILABLE   AGE         ADOPTION   GENERATION   GROUP   DESIRED   PENDING   REVISION        UPDATED   IMAGES
        web    east      4/4     4            4           <unknown>   N          3            g1      4         0         1,2(canary)     1         nginx:1.27,nginx:1.28(canary)
        web    west      2/2     2            2           <unknown>   N          3            g1      2         0         2               2         nginx:1.28
        web    (fleet)   6/6     6            6           <unknown>              3                    6         0         1->2 step 1/2   3/6       nginx:1.27,nginx:1.28
        ");
        // Without -M the canary counts are part of the fleet row only.
        let text = render_deployments(&view(), false, false, false).render(&Styler::plain());
        assert_eq!(text.lines().count(), 2, "{text}");
        assert!(text.contains("6/6"), "{text}");
    }
}
