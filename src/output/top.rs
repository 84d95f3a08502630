//! `top pods|nodes` tables: kubectl top's columns (`CPU(cores)` in millicores, `MEMORY(bytes)`
//! in Mi, `CPU(%)`/`MEMORY(%)` of allocatable) plus a CLUSTER column; with `-M` rows grouped by
//! member, each member closed by its sum row and the fleet by a `(fleet)` row.

use super::table::{Cell, Table};
use super::Paint;
use crate::fleet::top::{NodeUsageRow, PodUsageRow};

/// `--sort-by`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SortBy {
    Cpu,
    Memory,
}

fn cpu(milli: i64) -> String {
    format!("{milli}m")
}

fn memory(bytes: i64) -> String {
    format!("{}Mi", bytes / (1024 * 1024))
}

fn percent(used: i64, allocatable: i64) -> String {
    if allocatable <= 0 {
        return "<unknown>".into();
    }
    format!("{}%", used * 100 / allocatable)
}

/// Sorts pod rows: by `sort` descending (ties by member, namespace, name), else by member,
/// namespace, name, container.
pub fn sort_pods(rows: &mut [PodUsageRow], sort: Option<SortBy>) {
    rows.sort_by(|a, b| {
        let key = |r: &PodUsageRow| match sort {
            Some(SortBy::Cpu) => -r.cpu_milli,
            Some(SortBy::Memory) => -r.memory_bytes,
            None => 0,
        };
        key(a)
            .cmp(&key(b))
            .then_with(|| a.cluster.cmp(&b.cluster))
            .then_with(|| a.namespace.cmp(&b.namespace))
            .then_with(|| a.pod.cmp(&b.pod))
            .then_with(|| a.container.cmp(&b.container))
    });
}

/// Sorts node rows like [`sort_pods`].
pub fn sort_nodes(rows: &mut [NodeUsageRow], sort: Option<SortBy>) {
    rows.sort_by(|a, b| {
        let key = |r: &NodeUsageRow| match sort {
            Some(SortBy::Cpu) => -r.cpu_milli,
            Some(SortBy::Memory) => -r.memory_bytes,
            None => 0,
        };
        key(a)
            .cmp(&key(b))
            .then_with(|| a.cluster.cmp(&b.cluster))
            .then_with(|| a.name.cmp(&b.name))
    });
}

/// Members in first-seen order of `rows` (already sorted).
fn members<'a>(clusters: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for c in clusters {
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out.sort();
    out
}

/// The `top pods` table (`rows` sorted by [`sort_pods`]).
pub fn pods_table(rows: &[PodUsageRow], all_ns: bool, containers: bool, per_member: bool) -> Table {
    let mut headers: Vec<&str> = Vec::new();
    if all_ns {
        headers.push("NAMESPACE");
    }
    if containers {
        headers.extend(["POD", "NAME"]);
    } else {
        headers.push("NAME");
    }
    headers.extend(["CLUSTER", "CPU(cores)", "MEMORY(bytes)"]);
    let mut t = Table::new_verbatim(headers);
    let row = |t: &mut Table, r: &PodUsageRow| {
        let mut cells: Vec<Cell> = Vec::new();
        if all_ns {
            cells.push(r.namespace.as_str().into());
        }
        cells.push(r.pod.as_str().into());
        if containers {
            cells.push(r.container.clone().unwrap_or_default().into());
        }
        cells.push(r.cluster.as_str().into());
        cells.push(cpu(r.cpu_milli).into());
        cells.push(memory(r.memory_bytes).into());
        t.row(cells);
    };
    let sum_row = |t: &mut Table, label: &str, cluster: &str, rs: &[&PodUsageRow]| {
        let mut cells: Vec<Cell> = Vec::new();
        if all_ns {
            cells.push("".into());
        }
        cells.push(Cell::painted(label, Paint::Bold));
        if containers {
            cells.push("".into());
        }
        cells.push(cluster.into());
        cells.push(cpu(rs.iter().map(|r| r.cpu_milli).sum()).into());
        cells.push(memory(rs.iter().map(|r| r.memory_bytes).sum()).into());
        t.row(cells);
    };
    if !per_member {
        for r in rows {
            row(&mut t, r);
        }
        return t;
    }
    for m in members(rows.iter().map(|r| r.cluster.as_str())) {
        let mine: Vec<&PodUsageRow> = rows.iter().filter(|r| r.cluster == m).collect();
        for r in &mine {
            row(&mut t, r);
        }
        sum_row(&mut t, "(member)", m, &mine);
    }
    let all: Vec<&PodUsageRow> = rows.iter().collect();
    sum_row(&mut t, "(fleet)", "", &all);
    t
}

/// The `top nodes` table (`rows` sorted by [`sort_nodes`]).
pub fn nodes_table(rows: &[NodeUsageRow], per_member: bool) -> Table {
    let mut t = Table::new_verbatim([
        "NAME",
        "CLUSTER",
        "CPU(cores)",
        "CPU(%)",
        "MEMORY(bytes)",
        "MEMORY(%)",
    ]);
    let line = |t: &mut Table, name: Cell, cluster: &str, rs: &[&NodeUsageRow]| {
        let c: i64 = rs.iter().map(|r| r.cpu_milli).sum();
        let ca: i64 = rs.iter().map(|r| r.cpu_allocatable_milli).sum();
        let m: i64 = rs.iter().map(|r| r.memory_bytes).sum();
        let ma: i64 = rs.iter().map(|r| r.memory_allocatable_bytes).sum();
        t.row(vec![
            name,
            cluster.into(),
            cpu(c).into(),
            percent(c, ca).into(),
            memory(m).into(),
            percent(m, ma).into(),
        ]);
    };
    if !per_member {
        for r in rows {
            line(&mut t, r.name.as_str().into(), &r.cluster, &[r]);
        }
        return t;
    }
    for m in members(rows.iter().map(|r| r.cluster.as_str())) {
        let mine: Vec<&NodeUsageRow> = rows.iter().filter(|r| r.cluster == m).collect();
        for r in &mine {
            line(&mut t, r.name.as_str().into(), &r.cluster, &[r]);
        }
        line(&mut t, Cell::painted("(member)", Paint::Bold), m, &mine);
    }
    let all: Vec<&NodeUsageRow> = rows.iter().collect();
    line(&mut t, Cell::painted("(fleet)", Paint::Bold), "", &all);
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(cluster: &str, name: &str, cpu: i64, mem_mi: i64) -> PodUsageRow {
        PodUsageRow {
            cluster: cluster.into(),
            namespace: "default".into(),
            pod: name.into(),
            container: None,
            cpu_milli: cpu,
            memory_bytes: mem_mi * 1024 * 1024,
        }
    }

    fn node(cluster: &str, name: &str, cpu: i64, alloc: i64) -> NodeUsageRow {
        NodeUsageRow {
            cluster: cluster.into(),
            name: name.into(),
            cpu_milli: cpu,
            memory_bytes: 1 << 30,
            cpu_allocatable_milli: alloc,
            memory_allocatable_bytes: 4 << 30,
        }
    }

    #[test]
    fn pods_sort_by_cpu_descending_and_sum_per_member() {
        let mut rows = vec![
            pod("c2", "web-b", 200, 10),
            pod("c1", "web-a", 1500, 20),
            pod("c1", "web-c", 700, 30),
        ];
        sort_pods(&mut rows, Some(SortBy::Cpu));
        let names: Vec<&str> = rows.iter().map(|r| r.pod.as_str()).collect();
        assert_eq!(names, ["web-a", "web-c", "web-b"]);
        let text = pods_table(&rows, false, false, true).render_plain();
        insta::assert_snapshot!(text);
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines[3].starts_with("(member)") && lines[3].contains("2200m"),
            "{text}"
        );
        assert!(lines.last().unwrap().contains("2400m") && lines.last().unwrap().contains("60Mi"));
    }

    #[test]
    fn nodes_show_percent_of_allocatable() {
        let mut rows = vec![
            node("c1", "n1", 8000, 32000),
            node("c2", "n2", 16000, 32000),
        ];
        sort_nodes(&mut rows, Some(SortBy::Memory));
        let text = nodes_table(&rows, true).render_plain();
        insta::assert_snapshot!(text);
        assert!(text.contains("25%"), "{text}");
        assert!(text.lines().last().unwrap().contains("37%"), "{text}");
        let plain = nodes_table(&rows, false).render_plain();
        assert_eq!(plain.lines().count(), 3, "{plain}");
    }
}
