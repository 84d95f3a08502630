//! Invariants of the split: member totals are preserved, a step runs exactly its count of
//! new replicas (when nothing was folded before), progress is monotone per member.

use std::collections::BTreeSet;

use proptest::prelude::*;

use super::{split, Share, StepReplicas};

fn shares() -> impl Strategy<Value = Vec<Share>> {
    proptest::collection::vec(0u32..20, 1..8).prop_map(|v| {
        v.into_iter()
            .enumerate()
            .map(|(i, r)| Share {
                cluster: format!("m{i}"),
                replicas: r,
            })
            .collect()
    })
}

proptest! {
    #[test]
    fn member_totals_are_preserved(sh in shares(), target in 0u32..200) {
        for m in split(&sh, target, &BTreeSet::new()) {
            let want = sh.iter().find(|s| s.cluster == m.cluster).unwrap().replicas;
            prop_assert_eq!(m.total, want);
            prop_assert_eq!(m.stable() + m.canary() + if m.folded { m.total } else { 0 }, want);
            prop_assert!(m.new <= m.total);
        }
    }

    #[test]
    fn a_step_runs_exactly_its_count(sh in shares(), pct in 0u32..=100) {
        let total: u32 = sh.iter().map(|s| s.replicas).sum();
        let target = StepReplicas::Percent(pct).resolve(total);
        let out = split(&sh, target, &BTreeSet::new());
        prop_assert_eq!(out.iter().map(|m| m.new).sum::<u32>(), target);
        // At most one member runs a partial step (a canary Deployment next to its stable copy).
        prop_assert!(out.iter().filter(|m| m.canary() > 0).count() <= 1);
    }

    #[test]
    fn progress_is_monotone(sh in shares(), a in 0u32..=100, b in 0u32..=100) {
        let total: u32 = sh.iter().map(|s| s.replicas).sum();
        let (lo, hi) = (a.min(b), a.max(b));
        let first = split(&sh, StepReplicas::Percent(lo).resolve(total), &BTreeSet::new());
        let folded: BTreeSet<String> =
            first.iter().filter(|m| m.folded).map(|m| m.cluster.clone()).collect();
        let second = split(&sh, StepReplicas::Percent(hi).resolve(total), &folded);
        for (x, y) in first.iter().zip(&second) {
            prop_assert!(y.new >= x.new, "{} went back from {} to {}", x.cluster, x.new, y.new);
            prop_assert!(!x.folded || y.folded);
        }
    }

    #[test]
    fn folded_members_never_revert_when_shares_change(
        sh in shares(), pct in 0u32..=100, grow in proptest::collection::vec(0u32..10, 8)
    ) {
        let total: u32 = sh.iter().map(|s| s.replicas).sum();
        let first = split(&sh, StepReplicas::Percent(pct).resolve(total), &BTreeSet::new());
        let folded: BTreeSet<String> =
            first.iter().filter(|m| m.folded).map(|m| m.cluster.clone()).collect();
        let scaled: Vec<Share> = sh.iter().zip(&grow).map(|(s, g)| Share {
            cluster: s.cluster.clone(), replicas: s.replicas + g }).collect();
        let total2: u32 = scaled.iter().map(|s| s.replicas).sum();
        let second = split(&scaled, StepReplicas::Percent(pct).resolve(total2), &folded);
        for m in &second {
            if folded.contains(&m.cluster) && m.total > 0 {
                prop_assert!(m.folded && m.new == m.total);
            }
        }
    }
}
