//! Python's `random.Random(seed)`, bit for bit: the MT19937 generator seeded as CPython seeds it
//! from an integer (`init_by_array` over the seed's 32-bit words), `getrandbits(k)` and
//! `randint(a, b)` through CPython's `_randbelow` (rejection sampling over `getrandbits`).
//!
//! Only what the `ln-2026` balances need: they were drawn in Python with
//! `random.Random(1).randint(0, capacity_sat)`, once per channel, and reproducing the shared
//! file exactly needs the same stream. Tests compare against outputs of CPython 3.11.

/// Python's `random.Random`, restricted to integer seeds and `getrandbits`/`randint`.
#[derive(Clone)]
pub(crate) struct PyRandom {
    mt: [u32; N],
    index: usize,
}

impl std::fmt::Debug for PyRandom {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PyRandom")
            .field("index", &self.index)
            .finish_non_exhaustive()
    }
}

const N: usize = 624;
const M: usize = 397;

impl PyRandom {
    /// `random.Random(seed)` for a non-negative integer seed (CPython uses `abs(seed)`).
    pub fn new(seed: u64) -> PyRandom {
        // CPython splits abs(seed) into 32-bit words, least significant first; 0 is one word.
        let key: Vec<u32> = if seed >> 32 == 0 {
            vec![seed as u32]
        } else {
            vec![seed as u32, (seed >> 32) as u32]
        };
        let mut r = PyRandom {
            mt: [0; N],
            index: N,
        };
        r.init_genrand(19_650_218);
        let (mut i, mut j) = (1usize, 0usize);
        for _ in 0..N.max(key.len()) {
            let prev = r.mt[i - 1] ^ (r.mt[i - 1] >> 30);
            r.mt[i] = (r.mt[i] ^ prev.wrapping_mul(1_664_525))
                .wrapping_add(key[j])
                .wrapping_add(j as u32);
            i += 1;
            j += 1;
            if i >= N {
                r.mt[0] = r.mt[N - 1];
                i = 1;
            }
            if j >= key.len() {
                j = 0;
            }
        }
        for _ in 0..N - 1 {
            let prev = r.mt[i - 1] ^ (r.mt[i - 1] >> 30);
            r.mt[i] = (r.mt[i] ^ prev.wrapping_mul(1_566_083_941)).wrapping_sub(i as u32);
            i += 1;
            if i >= N {
                r.mt[0] = r.mt[N - 1];
                i = 1;
            }
        }
        r.mt[0] = 0x8000_0000;
        r
    }

    fn init_genrand(&mut self, s: u32) {
        self.mt[0] = s;
        for i in 1..N {
            let prev = self.mt[i - 1] ^ (self.mt[i - 1] >> 30);
            self.mt[i] = 1_812_433_253u32.wrapping_mul(prev).wrapping_add(i as u32);
        }
        self.index = N;
    }

    /// The next 32-bit output (`genrand_uint32`).
    pub fn next_u32(&mut self) -> u32 {
        if self.index >= N {
            for k in 0..N {
                let y = (self.mt[k] & 0x8000_0000) | (self.mt[(k + 1) % N] & 0x7fff_ffff);
                let mag = if y & 1 == 1 { 0x9908_b0df } else { 0 };
                self.mt[k] = self.mt[(k + M) % N] ^ (y >> 1) ^ mag;
            }
            self.index = 0;
        }
        let mut y = self.mt[self.index];
        self.index += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }

    /// `getrandbits(k)` for `k` in 1..=64: 32-bit words filled least significant first, the
    /// last (most significant) word keeping its top bits.
    pub fn getrandbits(&mut self, k: u32) -> u64 {
        debug_assert!((1..=64).contains(&k));
        if k <= 32 {
            return u64::from(self.next_u32() >> (32 - k));
        }
        let low = u64::from(self.next_u32());
        let high = u64::from(self.next_u32() >> (64 - k));
        low | (high << 32)
    }

    /// `randint(a, b)`: uniform in `a..=b`, as `a + _randbelow(b - a + 1)`.
    pub fn randint(&mut self, a: u64, b: u64) -> u64 {
        assert!(a <= b, "randint({a}, {b}): empty range");
        let n = b - a + 1; // b - a < u64::MAX in every use here (amounts in sat)
        let k = 64 - n.leading_zeros();
        loop {
            let r = self.getrandbits(k);
            if r < n {
                return a + r;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `python3 -c 'import random; r=random.Random(1); print([r.randint(0,10**6) for _ in range(5)]); print(r.getrandbits(32))'`
    #[test]
    fn matches_cpython_randint_seed_1() {
        let mut r = PyRandom::new(1);
        let got: Vec<u64> = (0..5).map(|_| r.randint(0, 1_000_000)).collect();
        assert_eq!(got, [140_891, 596_853, 888_598, 841_235, 800_875]);
        assert_eq!(r.getrandbits(32), 271_041_745);
    }

    /// The first three ln-2026 channels: `[r.randint(0, c) for c in (9093802, 10132801,
    /// 150000000)]` with `r = random.Random(1)`.
    #[test]
    fn matches_cpython_on_the_first_ln_2026_capacities() {
        let mut r = PyRandom::new(1);
        let got: Vec<u64> = [9_093_802, 10_132_801, 150_000_000]
            .iter()
            .map(|&c| r.randint(0, c))
            .collect();
        assert_eq!(got, [2_254_257, 9_549_656, 16_940_109]);
    }

    /// Wide draws (two words) and other seeds:
    /// `r=random.Random(0); print([r.getrandbits(40), r.getrandbits(64), r.randint(5, 5), r.randint(0, 2**50)])`
    /// and `random.Random(2**40+3).getrandbits(32)`.
    #[test]
    fn matches_cpython_on_wide_draws_and_other_seeds() {
        let mut r = PyRandom::new(0);
        assert_eq!(r.getrandbits(40), WIDE[0]);
        assert_eq!(r.getrandbits(64), WIDE[1]);
        assert_eq!(r.randint(5, 5), 5);
        assert_eq!(r.randint(0, 1 << 50), WIDE[2]);
        assert_eq!(PyRandom::new((1 << 40) + 3).getrandbits(32), WIDE[3]);
    }

    const WIDE: [u64; 4] = [
        424_533_559_245,
        16_422_101_724_900_707_500,
        583_024_804_441_908,
        943_978_446,
    ];
}
