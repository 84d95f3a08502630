//! Torn fleets (docs/state.md, "Torn fleets"): the managed copies of a workload that disagree
//! on the generation, the total or the placement they record, e.g. after a writer died in the
//! middle of an apply. Pure: works on what was read from the members.

use std::collections::BTreeMap;

use super::read::MemberSnapshot;

/// What one member's copy records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyRecord {
    pub cluster: String,
    /// `fleet.kubectl.dev/generation` (0 when absent).
    pub generation: u64,
    pub total: Option<u32>,
    pub placement: Option<BTreeMap<String, u32>>,
}

/// Copies that record the same thing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TornGroup {
    pub clusters: Vec<String>,
    pub generation: u64,
    pub total: Option<u32>,
    pub placement: Option<BTreeMap<String, u32>>,
}

/// A torn workload: two or more groups of copies, oldest generation first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Torn {
    pub groups: Vec<TornGroup>,
}

impl Torn {
    /// The newest generation's group (its intent is what a repair restores).
    pub fn newest(&self) -> &TornGroup {
        self.groups.last().expect("a torn workload has groups")
    }

    /// `c1 says total 2 gen 7, c2, c3 say total 9 gen 8` (placements added when that is all
    /// they disagree on).
    pub fn describe(&self) -> String {
        let first = &self.groups[0];
        let show_placement = self
            .groups
            .iter()
            .all(|g| g.generation == first.generation && g.total == first.total);
        self.groups
            .iter()
            .map(|g| {
                let verb = if g.clusters.len() == 1 { "says" } else { "say" };
                let total = g.total.map(|t| t.to_string()).unwrap_or_else(|| "?".into());
                let placement = g
                    .placement
                    .as_ref()
                    .filter(|_| show_placement)
                    .map(|p| {
                        let parts: Vec<String> =
                            p.iter().map(|(c, r)| format!("{c}: {r}")).collect();
                        format!(" {{{}}}", parts.join(", "))
                    })
                    .unwrap_or_default();
                format!(
                    "{} {verb} total {total} gen {}{placement}",
                    g.clusters.join(", "),
                    g.generation
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Groups the copies by what they record; `None` when they all agree (or there is at most
/// one copy).
pub fn detect(copies: &[CopyRecord]) -> Option<Torn> {
    let mut groups: Vec<TornGroup> = Vec::new();
    for c in copies {
        match groups.iter_mut().find(|g| {
            g.generation == c.generation && g.total == c.total && g.placement == c.placement
        }) {
            Some(g) => g.clusters.push(c.cluster.clone()),
            None => groups.push(TornGroup {
                clusters: vec![c.cluster.clone()],
                generation: c.generation,
                total: c.total,
                placement: c.placement.clone(),
            }),
        }
    }
    if groups.len() < 2 {
        return None;
    }
    // Oldest first; among equal generations, the larger group last (it wins a repair).
    groups.sort_by(|a, b| {
        (a.generation, a.clusters.len(), &a.clusters).cmp(&(
            b.generation,
            b.clusters.len(),
            &b.clusters,
        ))
    });
    Some(Torn { groups })
}

/// The records of the reachable managed copies of `namespace/name`.
pub fn copies_of(snapshots: &[MemberSnapshot], namespace: &str, name: &str) -> Vec<CopyRecord> {
    snapshots
        .iter()
        .filter_map(|s| {
            let d = s.state()?.deployment(namespace, name)?;
            d.managed.then(|| CopyRecord {
                cluster: s.name.clone(),
                generation: d.generation.unwrap_or(0),
                total: d.total_replicas,
                placement: d.placement.clone(),
            })
        })
        .collect()
}

/// [`detect`] over the members' reads.
pub fn torn_in(snapshots: &[MemberSnapshot], namespace: &str, name: &str) -> Option<Torn> {
    detect(&copies_of(snapshots, namespace, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(cluster: &str, generation: u64, total: u32, placement: &[(&str, u32)]) -> CopyRecord {
        CopyRecord {
            cluster: cluster.into(),
            generation,
            total: Some(total),
            placement: Some(placement.iter().map(|(c, r)| (c.to_string(), *r)).collect()),
        }
    }

    #[test]
    fn agreeing_copies_are_not_torn() {
        let p = [("c1", 2), ("c3", 4)];
        assert_eq!(detect(&[rec("c1", 3, 6, &p), rec("c3", 3, 6, &p)]), None);
        assert_eq!(detect(&[rec("c1", 3, 6, &p)]), None);
        assert_eq!(detect(&[]), None);
    }

    #[test]
    fn the_issue_s_torn_fleet_is_described_newest_last() {
        let t = detect(&[
            rec("c3", 8, 9, &[("c1", 3), ("c2", 1), ("c3", 5)]),
            rec("c1", 7, 2, &[("c1", 2)]),
        ])
        .expect("torn");
        assert_eq!(t.describe(), "c1 says total 2 gen 7, c3 says total 9 gen 8");
        assert_eq!(t.newest().generation, 8);
        assert_eq!(t.newest().total, Some(9));
    }

    #[test]
    fn a_different_generation_alone_is_torn_and_groups_list_their_members() {
        let p = [("c1", 1), ("c2", 1), ("c3", 1)];
        let t = detect(&[
            rec("c1", 4, 3, &p),
            rec("c2", 5, 3, &p),
            rec("c3", 5, 3, &p),
        ])
        .expect("torn");
        assert_eq!(
            t.describe(),
            "c1 says total 3 gen 4, c2, c3 say total 3 gen 5"
        );
        let t = detect(&[rec("c1", 5, 3, &[("c1", 3)]), rec("c2", 5, 3, &p)]).expect("torn");
        assert_eq!(
            t.describe(),
            "c1 says total 3 gen 5 {c1: 3}, c2 says total 3 gen 5 {c1: 1, c2: 1, c3: 1}"
        );
    }
}
