//! The division algorithm behind [`place`].
//!
//! Vocabulary: a *set* is what Karmada's exclusive-failover `clusterAffinities` choose between
//! (one term each; ACK One and policies without clusterAffinities have one set). A set has
//! ordered *levels* (priority groups): ACK One clusterAffinities entries, or a Karmada term's
//! inline affinity followed by its overflowAffinities. Levels are filled and spilled: level 1
//! completely (idle → preemptible → elastic) before level 2.

#![allow(clippy::needless_range_loop)] // index loops over parallel per-cluster vectors read best

use super::apportion::{webster, webster_extend};
use super::*;
use crate::policy::{
    untolerated, ClusterAffinity, ClusterField, ClusterTaint, SpreadConstraint, TaintEffect,
};

const TIER_NAMES: [&str; 3] = ["idle", "preemptible", "elastic"];

/// Divide `input.replicas` over `input.clusters`. Deterministic; never panics.
pub fn place(input: &PlacementInput) -> PlacementPlan {
    Engine::new(input).run()
}

struct SetDef {
    name: Option<String>,
    levels: Vec<String>,
    level_of: Vec<Option<usize>>,
}

/// Why a cluster takes no part in a set (rendered only for the plan that is returned).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Out {
    /// Not matched by any affinity of the set.
    NotInSet,
    /// staticWeightList gives it weight 0.
    StaticZero,
    /// Dropped by `placement.spreadConstraints[idx]` (its group was not among the best
    /// `maxGroups`).
    Spread(usize),
    /// Lacks the field or label `placement.spreadConstraints[idx]` spreads by.
    SpreadNoValue(usize),
}

/// What spreadConstraints did to a set.
#[derive(Default)]
struct Spread {
    /// A `minGroups` that cannot be met: the set takes no new replicas.
    blocked: Option<String>,
    /// Explanation lines (which groups were kept).
    lines: Vec<String>,
}

#[derive(Clone)]
struct Role {
    level: Option<usize>,
    can_add: bool,
    kept: u32,
    weight: u64,
    out: Option<Out>,
    evicted: u32,
}

struct Run {
    set: usize,
    roles: Vec<Role>,
    desired: Vec<u32>,
    unplaced: u32,
    lines: Vec<String>,
    static_capped: Vec<String>,
    spread: Spread,
}

struct Engine<'a> {
    input: &'a PlacementInput,
    cls: Vec<&'a ClusterState>,
    strategy: Strategy,
    sets: Vec<SetDef>,
    notes: Vec<String>,
    /// Per cluster: the first taint the placement's clusterTolerations do not tolerate.
    bad_taint: Vec<Option<&'a ClusterTaint>>,
    /// Per cluster: its staticWeightList weight (empty unless static weights are in use).
    static_w: Vec<u64>,
}

impl<'a> Engine<'a> {
    fn new(input: &'a PlacementInput) -> Self {
        let mut cls: Vec<&ClusterState> = input.clusters.iter().collect();
        cls.sort_by(|a, b| a.name.cmp(&b.name));
        let mut notes = Vec::new();
        let before = cls.len();
        cls.dedup_by(|b, a| a.name == b.name);
        if cls.len() != before {
            notes.push(format!(
                "Ignored {} duplicate cluster entries (first one per name wins).",
                before - cls.len()
            ));
        }
        // dedup_by keeps the first of equal neighbours; sort is stable so that is the first input entry.
        let strategy = input.placement.replica_scheduling.strategy();
        let tolerations = &input.placement.cluster_tolerations;
        let bad_taint = cls
            .iter()
            .map(|c| untolerated(tolerations, &c.taints))
            .collect();
        let mut e = Engine {
            input,
            cls,
            strategy,
            sets: Vec::new(),
            notes,
            bad_taint,
            static_w: Vec::new(),
        };
        e.sets = e.build_sets();
        if e.static_list() {
            e.static_w = e.static_weights();
        }
        e
    }

    /// Strategy StaticWeight with a non-empty staticWeightList.
    fn static_list(&self) -> bool {
        self.strategy == Strategy::StaticWeight
            && self
                .input
                .placement
                .replica_scheduling
                .weight_preference
                .as_ref()
                .is_some_and(|w| !w.static_weight_list.is_empty())
    }

    fn build_sets(&self) -> Vec<SetDef> {
        let pl = &self.input.placement;
        // The first affinity that matches each cluster (one pass per affinity, names looked up
        // by binary search, so the cost stays linear in the fleet size).
        let level_of = |affs: &[&ClusterAffinity]| -> Vec<Option<usize>> {
            let mut out = vec![None; self.cls.len()];
            for (k, a) in affs.iter().enumerate() {
                self.for_matching(a, |i| {
                    out[i].get_or_insert(k);
                });
            }
            out
        };
        if pl.cluster_affinities.is_empty() {
            let all = ClusterAffinity::default();
            let aff = pl.cluster_affinity.as_ref().unwrap_or(&all);
            let name = if pl.cluster_affinity.is_some() {
                "clusterAffinity"
            } else {
                "all members"
            };
            return vec![SetDef {
                name: None,
                levels: vec![name.to_string()],
                level_of: level_of(&[aff]),
            }];
        }
        fn term_levels(
            t: &crate::policy::ClusterAffinityTerm,
        ) -> (Vec<String>, Vec<&ClusterAffinity>) {
            let mut names = vec![t.affinity_name.clone()];
            let mut affs = vec![&t.affinity];
            for (j, o) in t.overflow_affinities.iter().enumerate() {
                names.push(format!("{}/overflow[{j}]", t.affinity_name));
                affs.push(o);
            }
            (names, affs)
        }
        match self.input.flavor {
            Flavor::Karmada if self.strategy != Strategy::Duplicated => pl
                .cluster_affinities
                .iter()
                .map(|t| {
                    let (names, affs) = term_levels(t);
                    SetDef {
                        name: Some(t.affinity_name.clone()),
                        levels: names,
                        level_of: level_of(&affs),
                    }
                })
                .collect(),
            _ => {
                let mut names = Vec::new();
                let mut affs = Vec::new();
                for t in &pl.cluster_affinities {
                    let (n, a) = term_levels(t);
                    names.extend(n);
                    affs.extend(a);
                }
                vec![SetDef {
                    name: None,
                    levels: names,
                    level_of: level_of(&affs),
                }]
            }
        }
    }

    /// Position of a cluster name among the name-sorted clusters.
    fn index_of(&self, name: &str) -> Option<usize> {
        self.cls
            .binary_search_by(|c| c.name.as_str().cmp(name))
            .ok()
    }

    /// Call `f` with the index of every cluster `aff` matches, as [`ClusterAffinity::matches`]
    /// decides (an index may come more than once when `clusterNames` repeats a name). Names
    /// (`clusterNames`, `exclude`) are looked up by binary search over the name-sorted
    /// clusters, so large fleets and long name lists stay near-linear.
    fn for_matching(&self, aff: &ClusterAffinity, mut f: impl FnMut(usize)) {
        let mut excluded: Vec<usize> = aff
            .exclude
            .iter()
            .filter_map(|n| self.index_of(n))
            .collect();
        excluded.sort_unstable();
        let ok = |i: usize| {
            let c = self.cls[i];
            excluded.binary_search(&i).is_err()
                && aff
                    .label_selector
                    .as_ref()
                    .is_none_or(|s| s.matches(&c.labels))
                && aff
                    .field_selector
                    .as_ref()
                    .is_none_or(|s| s.matches(&c.name, &c.labels))
        };
        if aff.cluster_names.is_empty() {
            (0..self.cls.len()).filter(|&i| ok(i)).for_each(f);
            return;
        }
        // Lists are usually written in name order: try the slot after the previous hit before
        // searching.
        let mut hint = 0;
        for n in &aff.cluster_names {
            let found = match self.cls.get(hint) {
                Some(c) if c.name == *n => Some(hint),
                _ => self.index_of(n),
            };
            if let Some(i) = found {
                hint = i + 1;
                if ok(i) {
                    f(i);
                }
            }
        }
    }

    /// Static weight per cluster: the maximum over matching rules (0 = no rule matched).
    fn static_weights(&self) -> Vec<u64> {
        let mut w = vec![0u64; self.cls.len()];
        if let Some(pref) = &self.input.placement.replica_scheduling.weight_preference {
            for rule in &pref.static_weight_list {
                self.for_matching(&rule.target_cluster, |i| w[i] = w[i].max(rule.weight));
            }
        }
        w
    }

    fn eff_cap(&self, i: usize, kept: u32) -> Tiers {
        let c = self.cls[i].capacity;
        let mut t = Tiers {
            idle: c.idle,
            preemptible: if self.input.tiers.preemptible {
                c.preemptible
            } else {
                0
            },
            elastic: if self.input.tiers.elastic {
                c.elastic
            } else {
                0
            },
        };
        let total = t.total();
        if total < kept {
            // Running replicas fit by definition (the estimator may lag); count them as idle.
            t.idle = t.idle.saturating_add(kept - total);
        }
        t
    }

    fn roles(&self, s: usize, evict_unreachable: bool) -> (Vec<Role>, Spread) {
        let set = &self.sets[s];
        let static_list = !self.static_w.is_empty();
        let mut roles: Vec<Role> = self
            .cls
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let level = set.level_of[i];
                let bad = self.bad_taint[i];
                let no_execute = bad.is_some_and(|t| t.effect == TaintEffect::NoExecute);
                let can_add = level.is_some()
                    && c.reachable
                    && !c.cordoned
                    && !c.draining
                    && !c.removed
                    && bad.is_none();
                let keep = level.is_some()
                    && !c.removed
                    && !c.draining
                    && !no_execute
                    && (c.reachable || !evict_unreachable);
                let kept = if keep { c.running() } else { 0 };
                Role {
                    level,
                    can_add,
                    kept,
                    weight: if static_list { self.static_w[i] } else { 1 },
                    out: level.is_none().then_some(Out::NotInSet),
                    evicted: c.running() - kept,
                }
            })
            .collect();
        if static_list {
            let all_zero = roles.iter().all(|r| r.level.is_none() || r.weight == 0);
            for r in roles.iter_mut().filter(|r| r.level.is_some()) {
                if all_zero {
                    r.weight = 1;
                } else if r.weight == 0 {
                    exclude(r, Out::StaticZero);
                }
            }
        }
        let spread = self.apply_spread(&mut roles);
        (roles, spread)
    }

    /// Text for an [`Out`] reason in set `s`.
    fn out_text(&self, s: usize, out: Out) -> String {
        match out {
            Out::NotInSet => match &self.sets[s].name {
                Some(term) => format!("not in clusterAffinities term {term:?}"),
                None => "not selected by the placement's cluster affinity".into(),
            },
            Out::StaticZero => "static weight 0 (no staticWeightList rule matches)".into(),
            Out::Spread(k) => {
                let sc = &self.input.placement.spread_constraints[k];
                format!(
                    "not selected by spreadConstraints[{k}] (maxGroups {} by {})",
                    sc.max_groups,
                    spread_by(sc)
                )
            }
            Out::SpreadNoValue(k) => {
                let by = spread_by(&self.input.placement.spread_constraints[k]);
                format!("no {by} value (spreadConstraints[{k}] spreads by {by})")
            }
        }
    }

    /// The value a spread constraint groups a cluster by (`None`: the cluster lacks it).
    fn spread_key(&self, sc: &SpreadConstraint, i: usize) -> Option<&'a str> {
        let c: &'a ClusterState = self.cls[i];
        match (sc.spread_by_field, &sc.spread_by_label) {
            (Some(f), _) => f.value(&c.name, &c.labels),
            (None, Some(l)) => c.labels.get(l).map(String::as_str),
            (None, None) => None,
        }
    }

    /// Replicas cluster `i` can hold in this set: its enabled capacity when it may take new
    /// replicas, else what it keeps.
    fn room(&self, i: usize, r: &Role) -> u64 {
        if r.can_add {
            u64::from(self.eff_cap(i, r.kept).total())
        } else {
            u64::from(r.kept)
        }
    }

    /// `placement.spreadConstraints` (Karmada semantics where they narrow the cluster set).
    /// Constraints apply coarse to fine (provider, region, zone, spreadByLabel, cluster); each
    /// one groups the clusters still in the set by its field or label value, drops clusters
    /// without a value, and with `maxGroups > 0` keeps the best `maxGroups` groups: groups
    /// already running replicas first (stability), then the highest-priority group, then the
    /// most room (Karmada: most available replicas), then by value. A finer constraint first
    /// takes one group per value of the coarser ones until their `minGroups` are covered
    /// (Karmada takes the best cluster of each chosen region first). Afterwards every
    /// `minGroups` is checked against the groups that can run replicas; when one is not met
    /// the set is blocked: no new replicas (running ones stay), and the plan says why.
    /// Ignored with a staticWeightList, like Karmada.
    fn apply_spread(&self, roles: &mut [Role]) -> Spread {
        let scs = &self.input.placement.spread_constraints;
        let mut out = Spread::default();
        if scs.is_empty() {
            return out;
        }
        if self.static_list() {
            out.lines.push("spreadConstraints are ignored with a staticWeightList (as in Karmada): the weights choose the clusters.".into());
            return out;
        }
        let coarseness = |sc: &SpreadConstraint| match sc.spread_by_field {
            Some(ClusterField::Provider) => 0,
            Some(ClusterField::Region) => 1,
            Some(ClusterField::Zone) => 2,
            None => 3,
            Some(ClusterField::Cluster) => 4,
        };
        let mut order: Vec<usize> = (0..scs.len()).collect();
        order.sort_by_key(|&k| coarseness(&scs[k]));
        let n = self.cls.len();
        let mut applied: Vec<usize> = Vec::new();
        for &k in &order {
            let sc = &scs[k];
            struct Group<'g> {
                key: &'g str,
                kept: u64,
                level: usize,
                room: u64,
                members: Vec<usize>,
            }
            let mut groups: BTreeMap<&str, Group> = BTreeMap::new();
            for i in 0..n {
                let Some(level) = roles[i].level else {
                    continue;
                };
                let Some(key) = self.spread_key(sc, i) else {
                    exclude(&mut roles[i], Out::SpreadNoValue(k));
                    continue;
                };
                let g = groups.entry(key).or_insert_with(|| Group {
                    key,
                    kept: 0,
                    level,
                    room: 0,
                    members: Vec::new(),
                });
                g.kept += u64::from(roles[i].kept);
                g.level = g.level.min(level);
                g.room += self.room(i, &roles[i]);
                g.members.push(i);
            }
            let max = sc.max_groups as usize;
            if max > 0 && groups.len() > max {
                let mut ranked: Vec<Group> = groups.into_values().collect();
                ranked.sort_by(|a, b| {
                    b.kept
                        .cmp(&a.kept)
                        .then(a.level.cmp(&b.level))
                        .then(b.room.cmp(&a.room))
                        .then(a.key.cmp(b.key))
                });
                let mut chosen = vec![false; ranked.len()];
                let mut picked = 0;
                for &p in &applied {
                    let need = scs[p].min_groups as usize;
                    let mut covered: Vec<&str> = Vec::new();
                    let values = |g: &Group| -> Vec<&'a str> {
                        let mut v: Vec<&str> = g
                            .members
                            .iter()
                            .filter_map(|&i| self.spread_key(&scs[p], i))
                            .collect();
                        v.sort_unstable();
                        v.dedup();
                        v
                    };
                    for (gi, g) in ranked.iter().enumerate() {
                        if chosen[gi] {
                            covered.extend(values(g));
                        }
                    }
                    covered.sort_unstable();
                    covered.dedup();
                    for (gi, g) in ranked.iter().enumerate() {
                        if picked == max || covered.len() >= need {
                            break;
                        }
                        if chosen[gi] {
                            continue;
                        }
                        let vals = values(g);
                        if vals.iter().any(|v| covered.binary_search(v).is_err()) {
                            chosen[gi] = true;
                            picked += 1;
                            covered.extend(vals);
                            covered.sort_unstable();
                            covered.dedup();
                        }
                    }
                }
                for c in chosen.iter_mut() {
                    if picked == max {
                        break;
                    }
                    if !*c {
                        *c = true;
                        picked += 1;
                    }
                }
                let mut kept_keys: Vec<&str> = Vec::new();
                for (g, &c) in ranked.iter().zip(&chosen) {
                    if c {
                        kept_keys.push(g.key);
                    } else {
                        for &i in &g.members {
                            exclude(&mut roles[i], Out::Spread(k));
                        }
                    }
                }
                kept_keys.sort_unstable();
                out.lines.push(format!(
                    "spreadConstraints[{k}]: {max} of {} {} groups kept (maxGroups {max}): {}.",
                    ranked.len(),
                    spread_by(sc),
                    short_list(&kept_keys)
                ));
            }
            applied.push(k);
        }
        for &k in &order {
            let sc = &scs[k];
            let mut able: Vec<&str> = (0..n)
                .filter(|&i| {
                    let r = &roles[i];
                    r.level.is_some() && (r.kept > 0 || (r.can_add && self.room(i, r) > 0))
                })
                .filter_map(|i| self.spread_key(sc, i))
                .collect();
            able.sort_unstable();
            able.dedup();
            if !able.is_empty() && able.len() < sc.min_groups as usize {
                out.blocked = Some(format!(
                    "spreadConstraints[{k}] needs at least {} {} groups (minGroups), only {} can run replicas ({}); like Karmada, the workload is not scheduled (no new replicas)",
                    sc.min_groups,
                    spread_by(sc),
                    able.len(),
                    short_list(&able)
                ));
                break;
            }
        }
        if out.blocked.is_some() {
            for r in roles.iter_mut() {
                r.can_add = false;
            }
        }
        out
    }

    fn levels_members(&self, s: usize, roles: &[Role]) -> Vec<Vec<usize>> {
        let mut m = vec![Vec::new(); self.sets[s].levels.len()];
        for (i, r) in roles.iter().enumerate() {
            if let Some(l) = r.level {
                m[l].push(i);
            }
        }
        m
    }

    /// Divided placement within set `s`.
    fn run_divided(&self, s: usize, (roles, spread): (Vec<Role>, Spread), fresh: bool) -> Run {
        let n = self.cls.len();
        let caps: Vec<Tiers> = (0..n).map(|i| self.eff_cap(i, roles[i].kept)).collect();
        let mut rem: Vec<Tiers> = (0..n)
            .map(|i| {
                if roles[i].can_add {
                    subtract(caps[i], roles[i].kept)
                } else {
                    Tiers::default()
                }
            })
            .collect();
        let members = self.levels_members(s, &roles);
        let weights: Vec<u64> = roles.iter().map(|r| r.weight).collect();
        let mut desired: Vec<u32> = roles.iter().map(|r| r.kept).collect();
        let r_total = self.input.replicas;
        let kept_sum: u64 = roles.iter().map(|r| u64::from(r.kept)).sum();
        let mut lines = Vec::new();
        let mut static_capped = Vec::new();
        let level_name = |k: usize| format!("Group {} {:?}", k + 1, self.sets[s].levels[k]);
        let unplaced;
        if !fresh {
            if kept_sum > u64::from(r_total) {
                let excess = (kept_sum - u64::from(r_total)) as u32;
                let inside = if self.strategy == Strategy::Aggregated {
                    "the fewest clusters holding the most replicas keep them, in proportion to current replicas"
                } else {
                    "in proportion to current replicas"
                };
                lines.push(format!(
                    "Scaling in from {kept_sum} to {r_total}: lowest-priority group first; inside a group elastic replicas first, then {inside}."
                ));
                let mut left = excess;
                for k in (0..members.len()).rev() {
                    if left == 0 {
                        break;
                    }
                    let removed = self.shrink_level(&members[k], left, &mut desired, &weights);
                    if removed > 0 {
                        lines.push(format!("{}: -{removed}.", level_name(k)));
                    }
                    left -= removed;
                }
                unplaced = 0;
            } else {
                let mut need = r_total - kept_sum as u32;
                if kept_sum > 0 && need > 0 {
                    lines.push(format!(
                        "Keeping {kept_sum} running replicas where they are; placing {need} more."
                    ));
                }
                for (k, m) in members.iter().enumerate() {
                    if need == 0 {
                        break;
                    }
                    let (placed, per_tier) = self.fill_level(
                        m,
                        need,
                        &mut rem,
                        &mut desired,
                        &weights,
                        &mut static_capped,
                    );
                    if placed > 0 {
                        lines.push(format!("{}: {}.", level_name(k), tier_summary(per_tier)));
                    }
                    need -= placed;
                }
                unplaced = need;
            }
        } else {
            // Rebalance: how much each level holds in a fresh fill, then move toward it.
            let mut left = r_total;
            for (k, m) in members.iter().enumerate() {
                let level_cap: u64 = m
                    .iter()
                    .map(|&i| {
                        if roles[i].can_add {
                            u64::from(caps[i].total())
                        } else {
                            u64::from(roles[i].kept)
                        }
                    })
                    .sum();
                let target = u64::from(left).min(level_cap) as u32;
                left -= target;
                let kept_k: u32 = m.iter().map(|&i| roles[i].kept).sum();
                if kept_k > target {
                    let removed = self.shrink_level(m, kept_k - target, &mut desired, &weights);
                    lines.push(format!(
                        "{}: -{removed} (holds {target} after rebalance).",
                        level_name(k)
                    ));
                } else if target > kept_k {
                    let (placed, per_tier) = self.fill_level(
                        m,
                        target - kept_k,
                        &mut rem,
                        &mut desired,
                        &weights,
                        &mut static_capped,
                    );
                    if placed > 0 {
                        lines.push(format!("{}: {}.", level_name(k), tier_summary(per_tier)));
                    }
                    left += target - kept_k - placed;
                }
            }
            unplaced = left;
        }
        Run {
            set: s,
            roles,
            desired,
            unplaced,
            lines,
            static_capped,
            spread,
        }
    }

    /// Place up to `need` new replicas on the members of one level, tier by tier.
    /// Returns (placed, placed per tier).
    fn fill_level(
        &self,
        members: &[usize],
        need: u32,
        rem: &mut [Tiers],
        desired: &mut [u32],
        weights: &[u64],
        static_capped: &mut Vec<String>,
    ) -> (u32, [u32; 3]) {
        let mut placed = 0u32;
        let mut per_tier = [0u32; 3];
        let start: Vec<u32> = members.iter().map(|&i| desired[i]).collect();
        for t in 0..3 {
            if placed == need {
                break;
            }
            let avail: Vec<u32> = members.iter().map(|&i| rem[i].get(t)).collect();
            let sum: u64 = avail.iter().map(|&a| u64::from(a)).sum();
            if sum == 0 {
                continue;
            }
            let take = u64::from(need - placed).min(sum) as u32;
            let shares: Vec<u32> = match self.strategy {
                Strategy::DynamicWeight | Strategy::Duplicated => {
                    let w: Vec<u64> = avail.iter().map(|&a| u64::from(a)).collect();
                    webster(take, &w, Some(&avail))
                }
                Strategy::StaticWeight => {
                    let mut seats: Vec<u32> = members.iter().map(|&i| desired[i]).collect();
                    let before = seats.clone();
                    let caps: Vec<u32> = seats
                        .iter()
                        .zip(&avail)
                        .map(|(s, a)| s.saturating_add(*a))
                        .collect();
                    let w: Vec<u64> = members.iter().map(|&i| weights[i]).collect();
                    webster_extend(&mut seats, take, &w, Some(&caps));
                    seats.iter().zip(&before).map(|(a, b)| a - b).collect()
                }
                Strategy::Aggregated => {
                    // Karmada (division_algorithm.go): clusters already holding replicas
                    // first, each part by room (descending); keep the shortest prefix whose
                    // room covers the target, then divide by room (dynamic weight, Webster).
                    let holding = |j: usize| desired[members[j]] > 0;
                    let mut order: Vec<usize> =
                        (0..members.len()).filter(|&j| avail[j] > 0).collect();
                    order.sort_unstable_by(|&a, &b| {
                        holding(b)
                            .cmp(&holding(a))
                            .then(avail[b].cmp(&avail[a]))
                            .then(desired[members[b]].cmp(&desired[members[a]]))
                            .then(a.cmp(&b))
                    });
                    let w = aggregated_weights(&order, &avail, take);
                    webster(take, &w, Some(&avail))
                }
            };
            for (j, &i) in members.iter().enumerate() {
                desired[i] += shares[j];
                *rem[i].get_mut(t) -= shares[j];
                placed += shares[j];
                per_tier[t] += shares[j];
            }
        }
        if self.strategy == Strategy::StaticWeight && placed > 0 {
            // Which clusters got less than their weight share because of capacity?
            let total: u32 = members.iter().map(|&i| desired[i]).sum();
            let w: Vec<u64> = members.iter().map(|&i| weights[i]).collect();
            let mut ideal = start.clone();
            let already: u32 = start.iter().sum();
            webster_extend(&mut ideal, total - already, &w, None);
            for (j, &i) in members.iter().enumerate() {
                if desired[i] < ideal[j] {
                    static_capped.push(format!(
                        "{} (weight share {}, capacity allows {})",
                        self.cls[i].name, ideal[j], desired[i]
                    ));
                }
            }
        }
        (placed, per_tier)
    }

    /// Remove `excess` replicas from one level: replicas on elastic nodes first, then in
    /// proportion to current replicas (static weights: by weight; Aggregated: the fewest
    /// clusters holding the most replicas keep them, in proportion to their current replicas).
    /// Returns how many were removed.
    fn shrink_level(
        &self,
        members: &[usize],
        excess: u32,
        desired: &mut [u32],
        weights: &[u64],
    ) -> u32 {
        let total: u32 = members.iter().map(|&i| desired[i]).sum();
        let mut x = excess.min(total);
        let removed_all = x;
        let e: Vec<u32> = members
            .iter()
            .map(|&i| self.cls[i].current_elastic.min(desired[i]))
            .collect();
        let se: u32 = e.iter().sum();
        if se > 0 && x > 0 {
            let r = x.min(se);
            let keep = webster(
                se - r,
                &e.iter().map(|&v| u64::from(v)).collect::<Vec<_>>(),
                Some(&e),
            );
            for (j, &i) in members.iter().enumerate() {
                desired[i] -= e[j] - keep[j];
            }
            x -= r;
        }
        if x == 0 {
            return removed_all;
        }
        let cur: Vec<u32> = members.iter().map(|&i| desired[i]).collect();
        let s: u32 = cur.iter().sum();
        let new: Vec<u32> = match self.strategy {
            Strategy::Aggregated => {
                // Karmada's scale-down: the clusters holding the most replicas, as few as
                // cover the new total, divided in proportion to their current replicas.
                let mut order: Vec<usize> = (0..members.len()).filter(|&j| cur[j] > 0).collect();
                order.sort_unstable_by(|&a, &b| cur[b].cmp(&cur[a]).then(a.cmp(&b)));
                let w = aggregated_weights(&order, &cur, s - x);
                webster(s - x, &w, Some(&cur))
            }
            Strategy::StaticWeight => {
                let w: Vec<u64> = members.iter().map(|&i| weights[i].max(1)).collect();
                webster(s - x, &w, Some(&cur))
            }
            _ => webster(
                s - x,
                &cur.iter().map(|&v| u64::from(v)).collect::<Vec<_>>(),
                Some(&cur),
            ),
        };
        for (j, &i) in members.iter().enumerate() {
            desired[i] = new[j];
        }
        removed_all
    }

    /// The set the workload lives in, and the run there.
    fn choose(&self, evict_unreachable: bool, fresh: bool) -> Run {
        if self.sets.len() == 1 {
            return self.run_divided(0, self.roles(0, evict_unreachable), fresh);
        }
        // Karmada exclusive failover.
        let holding: Vec<usize> = (0..self.cls.len())
            .filter(|&i| self.cls[i].running() > 0 && !self.cls[i].removed)
            .collect();
        let current = if holding.is_empty() {
            None
        } else {
            (0..self.sets.len())
                .find(|&s| holding.iter().all(|&i| self.sets[s].level_of[i].is_some()))
        };
        let mut order: Vec<usize> = Vec::new();
        if !fresh {
            order.extend(current);
        }
        order.extend((0..self.sets.len()).filter(|s| Some(*s) != current || fresh));
        let mut first_with_room: Option<usize> = None;
        let mut first: Option<usize> = None;
        let mut skipped: Vec<String> = Vec::new();
        for s in order {
            let name = self.sets[s].name.clone().unwrap_or_default();
            // How many replicas the term can hold (exact: every strategy places min(need, room)).
            let roles = self.roles(s, evict_unreachable);
            let room: u64 = roles
                .0
                .iter()
                .enumerate()
                .filter(|(_, r)| r.level.is_some())
                .map(|(i, r)| {
                    if r.can_add {
                        u64::from(self.eff_cap(i, r.kept).total())
                    } else {
                        u64::from(r.kept)
                    }
                })
                .sum();
            if room < u64::from(self.input.replicas) {
                skipped.push(if roles.1.blocked.is_some() {
                    format!("{name:?} spreadConstraints minGroups not met")
                } else {
                    format!("{name:?} room {room}")
                });
                let slot = if room > 0 {
                    &mut first_with_room
                } else {
                    &mut first
                };
                if slot.is_none_or(|idx| idx > s) {
                    *slot = Some(s);
                }
                continue;
            }
            let run = self.run_divided(s, roles, fresh);
            if run.unplaced == 0 {
                let mut run = run;
                if Some(s) == current && !fresh {
                    run.lines.insert(0, format!("Karmada clusterAffinities: the workload stays in {name:?}, which still holds all {} replicas.", self.input.replicas));
                } else {
                    let mut line = format!("Karmada clusterAffinities: using {name:?}, the first group that can hold all {} replicas", self.input.replicas);
                    if !skipped.is_empty() {
                        line.push_str(&format!(" ({} cannot)", skipped.join(", ")));
                    }
                    line.push('.');
                    run.lines.insert(0, line);
                }
                return run;
            }
            // Not reached: room >= replicas means the term holds everything.
            skipped.push(format!(
                "{name:?} room {}",
                self.input.replicas - run.unplaced
            ));
        }
        let fallback = first_with_room.or(first).unwrap_or(0);
        let mut run = self.run_divided(fallback, self.roles(fallback, evict_unreachable), fresh);
        let name = self.sets[run.set].name.clone().unwrap_or_default();
        run.lines.insert(
            0,
            format!("Karmada clusterAffinities: no group can hold all {} replicas ({}); using {name:?}, the first with room.", self.input.replicas, skipped.join(", ")),
        );
        run
    }

    fn run(self) -> PlacementPlan {
        if self.strategy == Strategy::Duplicated {
            return self.run_duplicated();
        }
        let input = self.input;
        let (run, moves_info) = match input.mode {
            Mode::Plan => (self.choose(false, false), None),
            Mode::Rebalance { max_moves } => {
                let target = self.choose(true, true);
                let base = self.choose(true, false);
                let n = self.cls.len();
                let optional: u32 = (0..n)
                    .map(|i| base.desired[i].saturating_sub(target.desired[i]))
                    .sum();
                match max_moves {
                    Some(m) if optional > m => {
                        let mut run = target;
                        let level_key = |i: usize| run.roles[i].level.unwrap_or(usize::MAX);
                        let mut sources: Vec<usize> = (0..n)
                            .filter(|&i| base.desired[i] > run.desired[i])
                            .collect();
                        sources.sort_by(|&a, &b| level_key(b).cmp(&level_key(a)).then(a.cmp(&b)));
                        let mut dests: Vec<usize> = (0..n)
                            .filter(|&i| run.desired[i] > base.desired[i])
                            .collect();
                        dests.sort_by(|&a, &b| level_key(a).cmp(&level_key(b)).then(a.cmp(&b)));
                        let mut result = base.desired.clone();
                        let mut moved = 0;
                        let (mut si, mut di) = (0, 0);
                        while moved < m && si < sources.len() && di < dests.len() {
                            let (src, dst) = (sources[si], dests[di]);
                            if result[src] <= run.desired[src] {
                                si += 1;
                                continue;
                            }
                            if result[dst] >= run.desired[dst] {
                                di += 1;
                                continue;
                            }
                            result[src] -= 1;
                            result[dst] += 1;
                            moved += 1;
                        }
                        // Replicas the plan could not place may use the rest of the target's room.
                        let mut extra = base.unplaced;
                        for &d in &dests {
                            let room = run.desired[d].saturating_sub(result[d]).min(extra);
                            result[d] += room;
                            extra -= room;
                        }
                        run.desired = result;
                        run.unplaced = extra;
                        run.lines = base.lines;
                        run.static_capped = base.static_capped;
                        run.lines.push(format!(
                            "Rebalance: {optional} replicas should move toward higher-priority groups; moving {moved} now (max moves {m}), {} deferred to a later run.",
                            optional - moved
                        ));
                        (run, Some(optional - moved))
                    }
                    _ => {
                        let mut run = target;
                        if optional > 0 {
                            run.lines.push(format!("Rebalance: moving {optional} replicas toward higher-priority groups."));
                        }
                        (run, Some(0))
                    }
                }
            }
        };
        self.finish(run, moves_info.unwrap_or(0))
    }

    fn finish(self, run: Run, deferred: u32) -> PlacementPlan {
        let input = self.input;
        let n = self.cls.len();
        let set = &self.sets[run.set];
        let mut explanation = self.header();
        explanation.extend(self.notes.iter().cloned());
        explanation.extend(run.spread.lines.iter().cloned());
        let evicted: Vec<String> = (0..n)
            .filter(|&i| run.roles[i].evicted > 0 && run.desired[i] < self.cls[i].running())
            .map(|i| {
                format!(
                    "{} ({})",
                    self.cls[i].name,
                    self.evict_why(run.set, i, &run.roles[i])
                )
            })
            .collect();
        if !evicted.is_empty() {
            explanation.push(format!("Re-placing replicas from: {}.", evicted.join(", ")));
        }
        let pending: u32 = self.cls.iter().map(|c| c.pending.min(c.current)).sum();
        if pending > 0 {
            explanation.push(format!(
                "Re-placing {pending} Pending replicas by the same rules."
            ));
        }
        explanation.extend(run.lines.iter().cloned());
        if !run.static_capped.is_empty() {
            explanation.push(format!(
                "Static weights capped by capacity: {}; the rest went to the other clusters of the group by weight, then to the next tier/group (Karmada would leave them Pending).",
                run.static_capped.join(", ")
            ));
        }
        let unplaced_reason = (run.unplaced > 0).then(|| self.unplaced_reason(&run));
        if let Some(r) = &unplaced_reason {
            explanation.push(format!("{} replicas unplaced: {r}.", run.unplaced));
        }
        let caps: Vec<Tiers> = (0..n).map(|i| self.eff_cap(i, run.roles[i].kept)).collect();
        let rows: Vec<ClusterPlacement> = (0..n)
            .map(|i| {
                let tiers = breakdown(run.desired[i], caps[i]);
                ClusterPlacement {
                    cluster: self.cls[i].name.clone(),
                    group: run.roles[i].level,
                    group_name: run.roles[i].level.map(|l| set.levels[l].clone()),
                    current: self.cls[i].current,
                    pending: self.cls[i].pending.min(self.cls[i].current),
                    desired: run.desired[i],
                    tiers,
                    capacity: self.cls[i].capacity,
                    shortfall: run.desired[i].saturating_sub(caps[i].total()),
                    reason: self.reason(&run, i, caps[i]),
                }
            })
            .collect();
        let groups = self.groups(run.set, &run.roles, &run.desired, &caps);
        let moves = moves(&self.cls, &run.desired);
        let placed = run.desired.iter().fold(0u32, |a, &d| a.saturating_add(d));
        PlacementPlan {
            flavor: input.flavor,
            strategy: self.strategy,
            replicas: input.replicas,
            placed,
            unplaced: run.unplaced,
            unplaced_reason,
            affinity_name: set.name.clone(),
            groups,
            clusters: sort_rows(rows),
            moves,
            deferred_moves: deferred,
            explanation,
        }
    }

    fn groups(
        &self,
        s: usize,
        roles: &[Role],
        desired: &[u32],
        caps: &[Tiers],
    ) -> Vec<GroupSummary> {
        let members = self.levels_members(s, roles);
        self.sets[s]
            .levels
            .iter()
            .enumerate()
            .map(|(k, name)| GroupSummary {
                index: k,
                name: name.clone(),
                clusters: members[k]
                    .iter()
                    .map(|&i| self.cls[i].name.clone())
                    .collect(),
                desired: members[k].iter().map(|&i| desired[i]).sum(),
                capacity: members[k]
                    .iter()
                    .filter(|&&i| roles[i].can_add)
                    .map(|&i| u64::from(caps[i].total()))
                    .sum(),
            })
            .collect()
    }

    fn header(&self) -> Vec<String> {
        let input = self.input;
        let mut lines = Vec::new();
        let pl = &input.placement;
        if !pl.cluster_affinities.is_empty() {
            lines.push(match input.flavor {
                Flavor::AckOne => "ACK One clusterAffinities are fill-and-spill priority groups: group 1 is filled (idle, then preemptible, then elastic) before group 2 is used; scale-in starts at the last group.".to_string(),
                Flavor::Karmada => {
                    if pl.cluster_affinities.iter().any(|t| !t.overflow_affinities.is_empty()) {
                        "Karmada clusterAffinities are exclusive failover groups (the whole workload runs in one group); inside a group, overflowAffinities are filled and spilled in order.".to_string()
                    } else {
                        "Karmada clusterAffinities are exclusive failover groups: the whole workload runs in the first group that can hold it.".to_string()
                    }
                }
            });
        }
        let mut used = vec!["idle"];
        let mut off = Vec::new();
        if input.tiers.preemptible {
            used.push("preemptible");
        } else {
            off.push("preemptible off: no priorityClassName on the pod template and no preemption: Always");
        }
        if input.tiers.elastic {
            used.push("elastic");
        } else {
            off.push("elastic off: autoScaling.ecsProvision is not true");
        }
        let mut t = format!(
            "Strategy {}; capacity tiers used in order {}",
            self.strategy.as_str(),
            used.join(" → ")
        );
        if !off.is_empty() {
            t.push_str(&format!(" ({})", off.join("; ")));
        }
        t.push('.');
        lines.push(t);
        lines
    }

    fn evict_why(&self, s: usize, i: usize, role: &Role) -> String {
        let c = self.cls[i];
        if c.removed {
            "removed from the fleet".into()
        } else if c.draining {
            "draining".into()
        } else if !c.reachable {
            "unreachable, failover".into()
        } else if let Some(o) = role.out {
            self.out_text(s, o)
        } else if let Some(t) = self.bad_taint[i] {
            taint_text(t)
        } else {
            "no longer allowed".into()
        }
    }

    /// The row's `reason`: its parts joined by `; `, written into one buffer (this runs for
    /// every cluster of the fleet, so it avoids per-part allocations).
    fn reason(&self, run: &Run, i: usize, cap: Tiers) -> String {
        use std::fmt::Write as _;
        let (s, role, desired) = (run.set, &run.roles[i], run.desired[i]);
        let c = self.cls[i];
        let mut out = String::new();
        // Start a new part (separator unless first); returns the buffer to write it into.
        fn part(out: &mut String) -> &mut String {
            if !out.is_empty() {
                out.push_str("; ");
            }
            out
        }
        match (role.out, role.level) {
            (Some(o), _) => part(&mut out).push_str(&self.out_text(s, o)),
            (None, Some(_)) => {}
            (None, None) => part(&mut out).push_str("not selected"),
        }
        if c.removed {
            part(&mut out).push_str("removed from the fleet");
        }
        if c.draining {
            part(&mut out).push_str("draining: replicas move away");
        }
        if !c.reachable {
            part(&mut out).push_str(if role.evicted > 0 {
                "unreachable: replicas re-placed (failover)"
            } else {
                "unreachable: replicas kept, no new ones"
            });
        }
        if c.cordoned {
            part(&mut out).push_str("cordoned: no new replicas");
        }
        if let Some(t) = self.bad_taint[i] {
            part(&mut out).push_str(&taint_text(t));
        }
        if run.spread.blocked.is_some() && role.level.is_some() {
            part(&mut out).push_str("spreadConstraints minGroups not met: no new replicas");
        }
        let running = c.running();
        if c.pending > 0 {
            let _ = write!(
                part(&mut out),
                "{} Pending re-placed",
                c.pending.min(c.current)
            );
        }
        if desired > role.kept {
            let o = part(&mut out);
            let _ = write!(o, "+{} (", desired - role.kept);
            breakdown_added(o, role.kept, desired, cap);
            o.push(')');
        }
        if desired < running {
            let lost = running - desired;
            if role.evicted >= lost {
                let _ = write!(part(&mut out), "-{lost} moved away");
            } else {
                let _ = write!(part(&mut out), "-{lost} scale-in");
            }
        }
        if role.level.is_some() && desired == running && running > 0 && out.is_empty() {
            let _ = write!(out, "keeps {running}");
        }
        if role.can_add && cap.total() == 0 {
            part(&mut out).push_str("no room (0 idle, 0 preemptible, 0 elastic)");
        } else if role.can_add && desired > 0 && desired == cap.total() && desired > role.kept {
            part(&mut out).push_str("full");
        }
        if out.is_empty() {
            if desired == 0 {
                out.push_str("not needed");
            } else {
                let _ = write!(out, "keeps {desired}");
            }
        }
        out
    }

    fn unplaced_reason(&self, run: &Run) -> String {
        if let Some(b) = &run.spread.blocked {
            return b.clone();
        }
        let input = self.input;
        let members = self.levels_members(run.set, &run.roles);
        if members.iter().all(Vec::is_empty) {
            return "no member cluster is selected by the policy".into();
        }
        if !run.roles.iter().any(|r| r.can_add) {
            return "no selected cluster can take new replicas (cordoned, draining, unreachable or tainted)".into();
        }
        let mut r = "every selected cluster is full (idle".to_string();
        if input.tiers.preemptible {
            r.push_str(", preemptible");
        }
        if input.tiers.elastic {
            r.push_str(", elastic");
        }
        r.push_str(" capacity used)");
        let hidden: u64 = (0..self.cls.len())
            .filter(|&i| run.roles[i].can_add)
            .map(|i| {
                let c = self.cls[i].capacity;
                u64::from(if input.tiers.preemptible {
                    0
                } else {
                    c.preemptible
                }) + u64::from(if input.tiers.elastic { 0 } else { c.elastic })
            })
            .sum();
        if hidden > 0 {
            let mut hints = Vec::new();
            if !input.tiers.elastic {
                hints.push("set autoScaling.ecsProvision: true for the elastic tier");
            }
            if !input.tiers.preemptible {
                hints.push("give the pod template a priorityClassName for the preemptible tier");
            }
            r.push_str(&format!(
                "; {hidden} more would fit in disabled tiers ({})",
                hints.join(", ")
            ));
        }
        r
    }

    fn run_duplicated(self) -> PlacementPlan {
        let input = self.input;
        let r_total = input.replicas;
        let n = self.cls.len();
        let (roles, spread) = self.roles(0, matches!(input.mode, Mode::Rebalance { .. }));
        let caps: Vec<Tiers> = (0..n).map(|i| self.eff_cap(i, roles[i].kept)).collect();
        let members = self.levels_members(0, &roles);
        let eligible = |i: usize| roles[i].can_add || roles[i].kept > 0;
        let fits = |i: usize| {
            if roles[i].can_add {
                caps[i].total() >= r_total
            } else {
                roles[i].kept >= r_total
            }
        };
        let chosen = members
            .iter()
            .position(|m| m.iter().any(|&i| eligible(i) && fits(i)))
            .or_else(|| members.iter().position(|m| m.iter().any(|&i| eligible(i))));
        let mut desired = vec![0u32; n];
        let mut lines = Vec::new();
        if let Some(k) = chosen {
            for &i in &members[k] {
                if roles[i].can_add {
                    desired[i] = r_total;
                } else if roles[i].kept > 0 {
                    desired[i] = r_total.min(roles[i].kept);
                }
            }
            if members.len() > 1 {
                lines.push(format!(
                    "Duplicated: every eligible cluster of group {} {:?} (the first group with a cluster that fits {r_total}) runs all {r_total} replicas.",
                    k + 1,
                    self.sets[0].levels[k]
                ));
            } else {
                lines.push(format!(
                    "Duplicated: every eligible cluster runs all {r_total} replicas."
                ));
            }
        }
        let short: Vec<String> = (0..n)
            .filter(|&i| desired[i] > caps[i].total())
            .map(|i| {
                format!(
                    "{} (needs {}, room {})",
                    self.cls[i].name,
                    desired[i],
                    caps[i].total()
                )
            })
            .collect();
        let shortfall: u32 = (0..n)
            .map(|i| desired[i].saturating_sub(caps[i].total()))
            .fold(0u32, u32::saturating_add);
        let missing: u32 = (0..n)
            .filter(|&i| desired[i] > 0)
            .map(|i| r_total - desired[i])
            .fold(0u32, u32::saturating_add);
        let (unplaced, unplaced_reason) =
            if let Some(b) = spread.blocked.as_ref().filter(|_| r_total > 0) {
                let copies = (0..n).any(|i| desired[i] > 0);
                (
                    if copies {
                        missing.saturating_add(shortfall)
                    } else {
                        r_total
                    },
                    Some(b.clone()),
                )
            } else if chosen.is_none() && r_total > 0 {
                (
                    r_total,
                    Some(
                        "no eligible cluster (none selected, or all cordoned/unreachable/tainted)"
                            .to_string(),
                    ),
                )
            } else if shortfall > 0 {
                (
                    shortfall,
                    Some(format!(
                        "clusters that cannot fit {r_total}: {}",
                        short.join(", ")
                    )),
                )
            } else {
                (0, None)
            };
        let run = Run {
            set: 0,
            roles,
            desired,
            unplaced,
            lines,
            static_capped: Vec::new(),
            spread,
        };
        let mut plan = self.finish(run, 0);
        plan.unplaced_reason = unplaced_reason;
        if let Some(r) = &plan.unplaced_reason {
            plan.explanation
                .push(format!("{} replicas over capacity: {r}.", plan.unplaced));
        }
        plan
    }
}

/// `region`, `cluster`, … or `label <key>`.
fn spread_by(sc: &SpreadConstraint) -> String {
    match (sc.spread_by_field, &sc.spread_by_label) {
        (Some(f), _) => f.as_str().to_string(),
        (None, Some(l)) => format!("label {l}"),
        (None, None) => "nothing".into(),
    }
}

/// `a, b, c` (at most 8 names, then `and N more`).
fn short_list(names: &[&str]) -> String {
    let mut s = names.iter().take(8).copied().collect::<Vec<_>>().join(", ");
    if names.len() > 8 {
        s.push_str(&format!(" and {} more", names.len() - 8));
    }
    s
}

fn taint_text(t: &ClusterTaint) -> String {
    format!("untolerated taint {}={}:{:?}", t.key, t.value, t.effect)
}

/// Take a cluster out of the set (its running replicas are re-placed).
fn exclude(r: &mut Role, why: Out) {
    r.level = None;
    r.can_add = false;
    r.evicted += r.kept;
    r.kept = 0;
    r.out = Some(why);
}

/// `cap` minus `kept`, consumed idle → preemptible → elastic.
fn subtract(cap: Tiers, kept: u32) -> Tiers {
    let mut left = kept;
    let mut out = cap;
    for t in 0..3 {
        let x = out.get(t).min(left);
        *out.get_mut(t) -= x;
        left -= x;
    }
    out
}

/// How `desired` replicas spread over the tiers of `cap`, in order idle → preemptible → elastic.
fn breakdown(desired: u32, cap: Tiers) -> Tiers {
    let mut left = desired;
    let mut out = Tiers::default();
    for t in 0..3 {
        let x = cap.get(t).min(left);
        *out.get_mut(t) = x;
        left -= x;
    }
    // Over capacity (Duplicated): the rest would be Pending; report it as `shortfall`.
    out
}

/// Append where the replicas added on top of `kept` come from (`idle 2, elastic 1`).
fn breakdown_added(out: &mut String, kept: u32, desired: u32, cap: Tiers) {
    use std::fmt::Write as _;
    let all = breakdown(desired, cap);
    let before = breakdown(kept, cap);
    let start = out.len();
    let sep = |out: &mut String| {
        if out.len() > start {
            out.push_str(", ");
        }
    };
    for (t, name) in TIER_NAMES.iter().enumerate() {
        let d = all.get(t) - before.get(t);
        if d > 0 {
            sep(out);
            let _ = write!(out, "{name} {d}");
        }
    }
    let over = desired.saturating_sub(cap.total().max(kept));
    if over > 0 {
        sep(out);
        let _ = write!(out, "{over} over capacity");
    }
    if out.len() == start {
        out.push_str("kept");
    }
}

fn tier_summary(per_tier: [u32; 3]) -> String {
    let parts: Vec<String> = TIER_NAMES
        .iter()
        .enumerate()
        .filter(|(t, _)| per_tier[*t] > 0)
        .map(|(t, n)| format!("+{} {n}", per_tier[t]))
        .collect();
    parts.join(", ")
}

fn moves(cls: &[&ClusterState], desired: &[u32]) -> u32 {
    let mut out = 0u64;
    let mut inn = 0u64;
    for (c, &d) in cls.iter().zip(desired) {
        let r = c.running();
        out += u64::from(r.saturating_sub(d));
        inn += u64::from(d.saturating_sub(r));
    }
    out.min(inn) as u32
}

/// Order rows by group (ungrouped last), then name. `rows` come in name order (one per
/// name-sorted cluster), so a stable sort by group alone is enough and compares no strings.
fn sort_rows(mut rows: Vec<ClusterPlacement>) -> Vec<ClusterPlacement> {
    debug_assert!(rows.windows(2).all(|w| w[0].cluster < w[1].cluster));
    rows.sort_by_key(|r| r.group.unwrap_or(usize::MAX));
    rows
}

/// Weights for Karmada's Aggregated division: the room of the shortest prefix of `order`
/// whose room covers `target` (all of `order` when none does); 0 for every other party.
fn aggregated_weights(order: &[usize], room: &[u32], target: u32) -> Vec<u64> {
    let mut w = vec![0u64; room.len()];
    let mut sum = 0u64;
    for &j in order {
        if sum >= u64::from(target) {
            break;
        }
        w[j] = u64::from(room[j]);
        sum += w[j];
    }
    w
}
