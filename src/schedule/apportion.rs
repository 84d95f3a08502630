//! Webster / Sainte-Laguë apportionment (the divisor method Karmada uses since v1.16).
//!
//! Seats are handed out one at a time to the party with the highest `weight / (2·seats + 1)`;
//! ties go to the party with more room left (`cap − seats`), then to the lower index (callers
//! pass parties sorted by cluster name). Because the result for `n + 1` seats is the result
//! for `n` plus one seat, the method is house-monotone: raising the total never takes a seat
//! away from anyone (no Alabama paradox). All arithmetic is exact integer arithmetic, so the
//! result is the same on every machine.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Split `total` seats in proportion to `weights`, never giving party `i` more than `caps[i]`
/// (when given). Parties with weight 0 get nothing. The sum of the result is
/// `min(total, Σ caps of parties with weight > 0)`.
pub fn webster(total: u32, weights: &[u64], caps: Option<&[u32]>) -> Vec<u32> {
    let mut seats = vec![0; weights.len()];
    webster_extend(&mut seats, total, weights, caps);
    seats
}

/// Continue a Webster allocation: hand `add` more seats to the parties holding `seats`
/// (in place). Returns how many seats were handed out (less than `add` only when every
/// party with weight > 0 reached its cap).
pub fn webster_extend(seats: &mut [u32], add: u32, weights: &[u64], caps: Option<&[u32]>) -> u32 {
    let n = seats.len().min(weights.len());
    let cap = |i: usize| caps.and_then(|c| c.get(i).copied()).unwrap_or(u32::MAX);
    let mut left = add;

    // Phase 1 (large houses): every seat whose priority is strictly above a threshold λ is
    // certainly among the next `add` seats when fewer than `add` such seats exist. Find the
    // smallest such λ (fixed point, exact) and hand those seats out in bulk.
    if u64::from(left) > 2 * n as u64 + 64 {
        let max_w = (0..n).map(|i| weights[i]).max().unwrap_or(0);
        if max_w > 0 {
            let count = |p: u128| -> u64 {
                (0..n)
                    .map(|i| u64::from(above(weights[i], seats[i], cap(i), p) - seats[i]))
                    .sum()
            };
            // λ = p / Q. At p = max_w·Q nothing is above λ (priorities are ≤ w ≤ max_w).
            let (mut lo, mut hi) = (1u128, u128::from(max_w) * Q);
            if count(lo) > u64::from(left) {
                while lo + 1 < hi {
                    let mid = lo + (hi - lo) / 2;
                    if count(mid) <= u64::from(left) {
                        hi = mid;
                    } else {
                        lo = mid;
                    }
                }
                for i in 0..n {
                    let t = above(weights[i], seats[i], cap(i), hi);
                    if t > seats[i] {
                        left -= t - seats[i];
                        seats[i] = t;
                    }
                }
            }
        }
    }

    // Phase 2: one seat at a time.
    let mut heap: BinaryHeap<Party> = (0..n)
        .filter(|&i| weights[i] > 0 && seats[i] < cap(i))
        .map(|i| Party {
            weight: weights[i],
            seats: seats[i],
            cap: cap(i),
            index: i,
        })
        .collect();
    while left > 0 {
        let Some(mut p) = heap.pop() else { break };
        p.seats += 1;
        seats[p.index] = p.seats;
        left -= 1;
        if p.seats < p.cap {
            heap.push(p);
        }
    }
    add - left
}

const Q: u128 = 1 << 40;

/// Number of seats party (w, from s, cap) holds when it receives every seat whose priority
/// `w / (2k + 1)` is strictly greater than `p / Q` (k ≥ s, k < cap).
fn above(w: u64, s: u32, cap: u32, p: u128) -> u32 {
    if w == 0 || s >= cap {
        return s;
    }
    // w / (2k+1) > p / Q  <=>  w·Q > p·(2k+1)  <=>  2k+1 < w·Q / p
    let wq = u128::from(w) * Q;
    // largest odd m = 2k+1 with m·p < wq  => k_max = (ceil(wq / p) - 2) / 2 (when >= 0)
    let m_bound = wq.div_ceil(p); // m < m_bound
    if m_bound < 2 {
        return s;
    }
    let k_count = (m_bound - 2) / 2 + 1; // k in 0..k_count satisfy
    let t = k_count.min(u128::from(cap)) as u32;
    t.max(s)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Party {
    weight: u64,
    seats: u32,
    cap: u32,
    index: usize,
}

impl Ord for Party {
    fn cmp(&self, other: &Self) -> Ordering {
        // priority w/(2s+1), compared exactly by cross-multiplication
        let a = u128::from(self.weight) * u128::from(2 * u64::from(other.seats) + 1);
        let b = u128::from(other.weight) * u128::from(2 * u64::from(self.seats) + 1);
        a.cmp(&b)
            .then((self.cap - self.seats).cmp(&(other.cap - other.seats)))
            .then(other.index.cmp(&self.index))
    }
}

impl PartialOrd for Party {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// One-seat-at-a-time reference (no bulk phase).
    fn reference(total: u32, weights: &[u64], caps: Option<&[u32]>) -> Vec<u32> {
        let mut seats = vec![0u32; weights.len()];
        for _ in 0..total {
            let mut best: Option<Party> = None;
            for (i, &w) in weights.iter().enumerate() {
                let cap = caps.map_or(u32::MAX, |c| c[i]);
                if w == 0 || seats[i] >= cap {
                    continue;
                }
                let p = Party {
                    weight: w,
                    seats: seats[i],
                    cap,
                    index: i,
                };
                if best.is_none_or(|b| p > b) {
                    best = Some(p);
                }
            }
            match best {
                Some(b) => seats[b.index] += 1,
                None => break,
            }
        }
        seats
    }

    #[test]
    fn webster_differs_from_largest_remainder_at_3_2_1() {
        assert_eq!(webster(9, &[3, 2, 1], None), vec![4, 3, 2]);
        assert_eq!(webster(3, &[3, 2, 1], None), vec![1, 1, 1]);
    }

    #[test]
    fn webster_matches_karmada_static_weight_tables() {
        assert_eq!(webster(9, &[1, 2], None), vec![3, 6]);
        assert_eq!(webster(9, &[1, 3], None), vec![2, 7]);
    }

    #[test]
    fn webster_ties_go_to_larger_room_then_lower_index() {
        assert_eq!(webster(1, &[1, 1], Some(&[1, 5])), vec![0, 1]);
        assert_eq!(webster(1, &[1, 1], None), vec![1, 0]);
    }

    #[test]
    fn webster_respects_caps_and_zero_weights() {
        assert_eq!(webster(10, &[5, 5, 0], Some(&[2, 20, 20])), vec![2, 8, 0]);
        assert_eq!(webster(10, &[1, 1], Some(&[2, 3])), vec![2, 3]);
        assert_eq!(webster(10, &[0, 0], None), vec![0, 0]);
    }

    #[test]
    fn webster_bulk_phase_handles_huge_houses_quickly() {
        let w = webster(2_000_000_000, &[1, 1, 2], None);
        assert_eq!(w.iter().map(|&s| u64::from(s)).sum::<u64>(), 2_000_000_000);
        assert_eq!(w, vec![500_000_000, 500_000_000, 1_000_000_000]);
    }

    proptest! {
        #[test]
        fn webster_is_house_monotone(
            weights in prop::collection::vec(0u64..50, 1..8),
            caps in prop::collection::vec(0u32..40, 8),
            total in 0u32..200,
            use_caps in any::<bool>(),
        ) {
            let caps = &caps[..weights.len()];
            let c = use_caps.then_some(caps);
            let a = webster(total, &weights, c);
            let b = webster(total + 1, &weights, c);
            for i in 0..weights.len() {
                prop_assert!(b[i] >= a[i], "party {} lost a seat: {:?} -> {:?}", i, a, b);
            }
        }

        #[test]
        fn webster_bulk_phase_equals_seat_by_seat(
            weights in prop::collection::vec(0u64..1000, 1..6),
            caps in prop::collection::vec(0u32..3000, 6),
            total in 0u32..3000,
            use_caps in any::<bool>(),
        ) {
            let caps = &caps[..weights.len()];
            let c = use_caps.then_some(caps);
            prop_assert_eq!(webster(total, &weights, c), reference(total, &weights, c));
        }

        #[test]
        fn webster_hands_out_min_of_total_and_capacity(
            weights in prop::collection::vec(0u64..20, 1..8),
            caps in prop::collection::vec(0u32..30, 8),
            total in 0u32..300,
        ) {
            let caps = &caps[..weights.len()];
            let s = webster(total, &weights, Some(caps));
            let room: u32 = weights.iter().zip(caps).filter(|(w, _)| **w > 0).map(|(_, c)| *c).sum();
            prop_assert_eq!(s.iter().sum::<u32>(), total.min(room));
            for i in 0..s.len() { prop_assert!(s[i] <= caps[i]); }
        }
    }
}
