//! The incremental linearizer's pieces: one direction's pieces from its belief entry
//! ([`pieces_of`]), what it can carry in a round ([`room_of`]), and computing every stale
//! direction's pieces and entropy at once, on rayon's pool when there are many.

use super::*;

impl IncrementalLinearizer<'_> {
    /// Computes the pieces of every stale direction (see [`IncrementalLinearizer::refresh`]).
    pub(super) fn refresh_pieces(&mut self) {
        let stale = self.f.count.iter().filter(|&&c| c == STALE).count();
        if stale == 0 {
            return;
        }
        let stride = self.f.stride;
        let (shape, pols, srcs, seen, order) = (
            &self.f.params.shape,
            self.graph.policies(),
            self.graph.sources(),
            &self.f.seen,
            &self.f.order,
        );
        let own_source = self.f.own_source;
        // The pieces of the stale positions of one chunk starting at position `first`.
        let q = shape.quantum.0;
        let fill = |first: usize,
                    count: &mut [u16],
                    room: &mut [u64],
                    piece: &mut [u8],
                    units: &mut [u64],
                    slope: &mut [f64]| {
            for (j, (c, room)) in count.iter_mut().zip(room).enumerate() {
                if *c != STALE {
                    continue;
                }
                let pos = first + j;
                let i = if order.is_empty() {
                    pos
                } else {
                    order[pos] as usize
                };
                let r = j * stride..(j + 1) * stride;
                let own = srcs[i].0 == own_source;
                *c = pieces_of(
                    shape,
                    &pols[i],
                    own,
                    seen[i],
                    &mut piece[r.clone()],
                    &mut units[r.clone()],
                    &mut slope[r],
                );
                *room = room_of(
                    &units[j * stride..j * stride + *c as usize],
                    &pols[i],
                    own,
                    q,
                );
            }
        };
        #[cfg(feature = "parallel")]
        if stale >= PARALLEL_MIN_STALE {
            use rayon::prelude::*;
            self.f
                .count
                .par_chunks_mut(PARALLEL_CHUNK)
                .zip(self.f.room.par_chunks_mut(PARALLEL_CHUNK))
                .zip(self.f.slot_piece.par_chunks_mut(PARALLEL_CHUNK * stride))
                .zip(self.f.slot_units.par_chunks_mut(PARALLEL_CHUNK * stride))
                .zip(self.f.slot_slope.par_chunks_mut(PARALLEL_CHUNK * stride))
                .enumerate()
                .for_each(|(k, ((((c, room), p), u), s))| {
                    fill(k * PARALLEL_CHUNK, c, room, p, u, s)
                });
            return;
        }
        fill(
            0,
            &mut self.f.count,
            &mut self.f.room,
            &mut self.f.slot_piece,
            &mut self.f.slot_units,
            &mut self.f.slot_slope,
        );
    }

    /// Computes the entropy of every direction whose entropy is out of date.
    pub(super) fn refresh_entropy(&mut self) {
        let one = |(e, ok): (&mut f64, &mut bool), &(mn, mx, _): &(u64, u64, u64)| {
            if !*ok {
                *e = interval_entropy_bits(mn, mx);
                *ok = true;
            }
        };
        #[cfg(feature = "parallel")]
        if self.f.entropy_ok.iter().filter(|&&ok| !ok).count() >= PARALLEL_MIN_STALE {
            use rayon::prelude::*;
            self.f
                .entropy
                .par_iter_mut()
                .zip(self.f.entropy_ok.par_iter_mut())
                .zip(self.f.seen.par_iter())
                .with_min_len(PARALLEL_CHUNK)
                .for_each(|(e, seen)| one(e, seen));
            return;
        }
        for (e, seen) in self
            .f
            .entropy
            .iter_mut()
            .zip(self.f.entropy_ok.iter_mut())
            .zip(self.f.seen.iter())
        {
            one(e, seen);
        }
    }

    /// The pieces of direction `i` at position `pos` from its snapshot (see [`pieces_of`]).
    #[inline(never)]
    pub(super) fn recompute(&mut self, pos: usize, i: usize) {
        let base = pos * self.f.stride;
        let range = base..base + self.f.stride;
        let pol = &self.graph.policies()[i];
        let own = self.graph.sources()[i].0 == self.f.own_source;
        let n = pieces_of(
            &self.f.params.shape,
            pol,
            own,
            self.f.seen[i],
            &mut self.f.slot_piece[range.clone()],
            &mut self.f.slot_units[range],
            &mut self.f.slot_slope[base..base + self.f.stride],
        );
        self.f.count[pos] = n;
        self.f.room[pos] = room_of(
            &self.f.slot_units[base..base + n as usize],
            pol,
            own,
            self.f.params.shape.quantum.0,
        );
    }
}

/// What a direction with these pieces (`units`) can carry in one round: their total, capped at
/// its `htlc_maximum_msat` in units of `quantum` msat unless it is uncapped as the round's
/// source's (`own`).
#[inline]
fn room_of(units: &[u64], pol: &pp_graph::Policy, own: bool, quantum: u64) -> u64 {
    let total = units.iter().sum::<u64>();
    if own {
        total
    } else {
        total.min(pol.htlc_maximum_msat.0 / quantum)
    }
}

/// The pieces of one direction with policy `pol` and belief entry `seen` (min, max, in-flight
/// in msat) under `shape`, written to the first slots of `piece_s`, `units_s` and `slope_s`
/// (each at least `shape.pieces + 1` long); returns how many (see docs/MODEL.md §3 and the
/// header of crates/uncertainty/src/linearize.rs for the rules). A direction leaving the
/// round's source with `source_uncapped` (`own`) is not capped at its `htlc_maximum_msat`.
#[inline]
fn pieces_of(
    shape: &PieceShape,
    pol: &pp_graph::Policy,
    own: bool,
    (mn, mx, inf): (u64, u64, u64),
    piece_s: &mut [u8],
    units_s: &mut [u64],
    slope_s: &mut [f64],
) -> u16 {
    if !(pol.active || shape.include_inactive) {
        return 0;
    }
    if shape.prune && uniform_probability(mn, mx, inf, PRUNE_TEST_AMOUNT.0) < PRUNE_MIN_PROBABILITY
    {
        return 0;
    }
    let q = shape.quantum.0;
    let n_pieces = shape.pieces as u64;
    let top = mx.saturating_sub(inf);
    let cap = if shape.htlc_max == HtlcMaxRule::PerDirection && !own {
        top.min(pol.htlc_maximum_msat.0)
    } else {
        top
    };
    if cap == 0 || pol.htlc_minimum_msat.0 > cap {
        return 0;
    }
    let cap_u = cap / q;
    if cap_u == 0 {
        return 0;
    }
    let max_arcs = if shape.prune {
        PRUNE_MAX_ARCS
    } else {
        usize::MAX
    };
    let mut n = 0usize;
    let mut push = |piece: u8, units: u64, slope: f64| {
        piece_s[n] = piece;
        units_s[n] = units;
        slope_s[n] = slope;
        n += 1;
    };
    let certain_u = mn.saturating_sub(inf) / q;
    let mut arcs = 0;
    if certain_u.min(cap_u) > 0 {
        push(0, certain_u.min(cap_u), 0.0);
        arcs += 1;
    }
    let top_u = top / q;
    let width = top_u - certain_u;
    if width > 0 && cap_u > certain_u {
        // `k · width` fits in 64 bits unless the width is above 2^56 units (2^64 / 256 pieces):
        // a 64-bit division then, which is several times cheaper than a 128-bit one.
        let narrow = width.checked_mul(n_pieces).is_some();
        let mut lo = certain_u;
        for k in 1..=n_pieces {
            if arcs >= max_arcs || lo >= cap_u {
                break;
            }
            let step = if narrow {
                k * width / n_pieces
            } else {
                ((k as u128 * width as u128) / n_pieces as u128) as u64
            };
            let hi = certain_u + step;
            if hi == lo {
                continue;
            }
            let hi_c = hi.min(cap_u);
            let units = hi_c - lo;
            let slope = match shape.slopes {
                SlopeRule::Secant => {
                    neg_log_increase(mn, mx, lo * q + inf, hi_c * q + inf) / units as f64
                }
                SlopeRule::Linear => k as f64 / width as f64,
            };
            push(k as u8, units, slope);
            arcs += 1;
            lo = hi;
        }
    }
    n as u16
}
