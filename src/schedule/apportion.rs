//! Webster / Sainte-Laguë apportionment (the divisor method Karmada uses since v1.16).
//!
//! Seats are handed out one at a time to the party with the highest `weight / (2·seats + 1)`;
//! ties go to the party with more room left (`cap − seats`), then to the lower index (callers
//! pass parties sorted by cluster name). Because the result for `n + 1` seats is the result
//! for `n` plus one seat, the method is house-monotone: raising the total never takes a seat
//! away from anyone (no Alabama paradox). All arithmetic that decides a seat is exact integer
//! arithmetic, so the result is the same on every machine.
//!
//! How it is computed (without handing out seats one by one): seat `k` of party `i` has the
//! fixed key (priority `w_i/(2k+1)`, room `cap_i − k`, index `i`), and the one-at-a-time
//! process hands out seats in decreasing key order, so the result for `total` seats is the
//! `total` highest keys. A floating-point divisor search (a few O(n) passes) guesses every
//! party's seat count; two heaps then move single seats until no seat outside the result
//! outranks one inside it and the count is exact. Floating point only shapes the guess, the
//! corrections compare keys exactly, so the answer equals the seat-by-seat definition (a
//! proptest checks this against a seat-by-seat reference).

use std::cmp::{Ordering, Reverse};
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
    let live: Vec<usize> = (0..n)
        .filter(|&i| weights[i] > 0 && seats[i] < cap(i))
        .collect();
    if add == 0 || live.is_empty() {
        return 0;
    }
    let room: u64 = live.iter().map(|&i| u64::from(cap(i) - seats[i])).sum();
    if room <= u64::from(add) {
        for &i in &live {
            seats[i] = cap(i);
        }
        return room as u32;
    }
    // From here 0 < add < room: exactly `add` seats are handed out.
    let start: Vec<u32> = seats[..n].to_vec();
    if u64::from(add) > live.len() as u64 / 4 + 4 {
        guess(seats, &start, add, weights, &live, &cap);
    }
    correct(seats, &start, add, weights, &live, &cap);
    add
}

/// Seats party (w, from s, cap c) holds when it has every seat whose priority `w/(2k+1)` is
/// above `lambda` (floating point; only used for the guess).
fn seats_above(w: u64, s: u32, c: u32, lambda: f64) -> u32 {
    let k = ((w as f64 / lambda - 1.0) * 0.5).ceil();
    if k.is_nan() || k <= f64::from(s) {
        s
    } else if k >= f64::from(c) {
        c
    } else {
        k as u32
    }
}

/// Set `seats[i]` (for live parties) to a divisor-method guess whose total is close to
/// `start + add`: a search over the divisor λ, stopped as soon as the guess is within
/// `live/8 + 2` seats of the target (the heap corrections are cheaper than more passes).
fn guess(
    seats: &mut [u32],
    start: &[u32],
    add: u32,
    weights: &[u64],
    live: &[usize],
    cap: &impl Fn(usize) -> u32,
) {
    let target = u64::from(add);
    let tol = live.len() as u64 / 8 + 2;
    let count = |lambda: f64| -> u64 {
        live.iter()
            .map(|&i| u64::from(seats_above(weights[i], start[i], cap(i), lambda) - start[i]))
            .sum()
    };
    let close = |g: u64| g.abs_diff(target) <= tol;
    let w_sum: f64 = live.iter().map(|&i| weights[i] as f64).sum();
    let s_sum: f64 = live.iter().map(|&i| f64::from(start[i])).sum();
    let mut lambda = w_sum / (2.0 * (f64::from(add) + s_sum));
    let mut g = count(lambda);
    if !close(g) {
        // Bracket: count(lo) >= target >= count(hi) (a larger λ gives fewer seats).
        let (mut lo, mut hi) = (lambda, lambda);
        if g < target {
            for _ in 0..1100 {
                lo *= 0.5;
                if lo <= 0.0 || count(lo) >= target {
                    break;
                }
            }
        } else {
            for _ in 0..1100 {
                hi *= 2.0;
                if !hi.is_finite() || count(hi) <= target {
                    break;
                }
            }
        }
        lambda = hi;
        for _ in 0..64 {
            let mid = 0.5 * (lo + hi);
            if !(mid > lo && mid < hi) {
                break;
            }
            g = count(mid);
            if close(g) {
                lambda = mid;
                break;
            }
            if g > target {
                lo = mid;
            } else {
                hi = mid;
                lambda = mid;
            }
        }
    }
    if lambda > 0.0 && lambda.is_finite() {
        for &i in live {
            seats[i] = seats_above(weights[i], start[i], cap(i), lambda);
        }
    }
}

/// Exact correction: move single seats until `Σ(seats − start) == add` and no seat outside
/// the allocation outranks one inside it.
fn correct(
    seats: &mut [u32],
    start: &[u32],
    add: u32,
    weights: &[u64],
    live: &[usize],
    cap: &impl Fn(usize) -> u32,
) {
    let seat = |i: usize, k: u32| Party {
        weight: weights[i],
        seats: k,
        cap: cap(i),
        index: i,
    };
    // `next`: each party's best seat not held (k = seats[i]); `last`: its worst held seat
    // above its start (k = seats[i] − 1). Entries go stale when seats[i] changes; they are
    // checked when they reach the top.
    let mut next: BinaryHeap<Party> = live
        .iter()
        .filter(|&&i| seats[i] < cap(i))
        .map(|&i| seat(i, seats[i]))
        .collect();
    let mut last: BinaryHeap<Reverse<Party>> = live
        .iter()
        .filter(|&&i| seats[i] > start[i])
        .map(|&i| Reverse(seat(i, seats[i] - 1)))
        .collect();
    let mut held: i64 = live
        .iter()
        .map(|&i| i64::from(seats[i]) - i64::from(start[i]))
        .sum();
    let target = i64::from(add);

    fn top_next(h: &mut BinaryHeap<Party>, seats: &[u32]) -> Option<Party> {
        while let Some(p) = h.peek() {
            if seats[p.index] == p.seats {
                return Some(*p);
            }
            h.pop();
        }
        None
    }
    fn top_last(h: &mut BinaryHeap<Reverse<Party>>, seats: &[u32]) -> Option<Party> {
        while let Some(Reverse(p)) = h.peek() {
            if seats[p.index] == p.seats + 1 {
                return Some(*p);
            }
            h.pop();
        }
        None
    }
    let give = |p: Party,
                seats: &mut [u32],
                next: &mut BinaryHeap<Party>,
                last: &mut BinaryHeap<Reverse<Party>>| {
        let i = p.index;
        seats[i] += 1;
        if seats[i] < p.cap {
            next.push(seat(i, seats[i]));
        }
        last.push(Reverse(p));
    };
    let take = |p: Party,
                seats: &mut [u32],
                next: &mut BinaryHeap<Party>,
                last: &mut BinaryHeap<Reverse<Party>>| {
        let i = p.index;
        seats[i] -= 1;
        next.push(p);
        if seats[i] > start[i] {
            last.push(Reverse(seat(i, seats[i] - 1)));
        }
    };
    while held < target {
        let Some(p) = top_next(&mut next, seats) else {
            break;
        };
        give(p, seats, &mut next, &mut last);
        held += 1;
    }
    while held > target {
        let Some(p) = top_last(&mut last, seats) else {
            break;
        };
        take(p, seats, &mut next, &mut last);
        held -= 1;
    }
    while let (Some(o), Some(l)) = (top_next(&mut next, seats), top_last(&mut last, seats)) {
        if o <= l {
            break;
        }
        // `o` and `l` belong to different parties (a party's held seat outranks its next one).
        take(l, seats, &mut next, &mut last);
        give(o, seats, &mut next, &mut last);
    }
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

    /// One-seat-at-a-time reference (the definition, no shortcuts).
    fn reference(total: u32, weights: &[u64], caps: Option<&[u32]>) -> Vec<u32> {
        let mut seats = vec![0u32; weights.len()];
        reference_extend(&mut seats, total, weights, caps);
        seats
    }

    fn reference_extend(seats: &mut [u32], total: u32, weights: &[u64], caps: Option<&[u32]>) {
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

        /// The divisor guess + heap correction equals handing out seats one by one, also
        /// for many parties and houses far larger than the number of parties.
        #[test]
        fn webster_fast_path_equals_seat_by_seat_for_many_parties(
            weights in prop::collection::vec(prop_oneof![Just(0u64), 1u64..40, 1u64..100_000], 1..80),
            caps in prop::collection::vec(0u32..200, 80),
            total in 0u32..4000,
            use_caps in any::<bool>(),
        ) {
            let caps = &caps[..weights.len()];
            let c = use_caps.then_some(caps);
            prop_assert_eq!(webster(total, &weights, c), reference(total, &weights, c));
        }

        /// Dynamic-weight shape used by the engine: weight == cap == free room.
        #[test]
        fn webster_with_weights_equal_to_caps_equals_seat_by_seat(
            avail in prop::collection::vec(0u32..60, 1..120),
            frac in 0u32..=100,
        ) {
            let w: Vec<u64> = avail.iter().map(|&a| u64::from(a)).collect();
            let total = avail.iter().sum::<u32>() * frac / 100;
            prop_assert_eq!(webster(total, &w, Some(&avail)), reference(total, &w, Some(&avail)));
        }

        /// Extending an arbitrary allocation equals continuing it seat by seat.
        #[test]
        fn webster_extend_equals_seat_by_seat(
            weights in prop::collection::vec(0u64..500, 1..60),
            start in prop::collection::vec(0u32..30, 60),
            extra in prop::collection::vec(0u32..100, 60),
            add in 0u32..3000,
            use_caps in any::<bool>(),
        ) {
            let n = weights.len();
            let caps: Vec<u32> = (0..n).map(|i| start[i] + extra[i]).collect();
            let c = use_caps.then_some(&caps[..]);
            let mut fast = start[..n].to_vec();
            let mut slow = start[..n].to_vec();
            let handed = webster_extend(&mut fast, add, &weights, c);
            reference_extend(&mut slow, add, &weights, c);
            prop_assert_eq!(&fast, &slow);
            let grown: u32 = (0..n).map(|i| fast[i] - start[i]).sum();
            prop_assert_eq!(handed, grown);
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
