//! Loading ground-truth liquidity from a balances CSV into an [`Oracle`].
//!
//! The format (as in `../shared/data/*.balances.csv.gz`), plain or gzip-compressed (detected by
//! the magic bytes `1f 8b`):
//!
//! ```text
//! short_channel_id,source,liquidity_sat
//! 600000x0x0,02dd94…,4300
//! 600000x0x0,0277a2…,45700
//! ```
//!
//! One row per direction: the channel, the node whose side it is, and that side's liquidity in
//! whole satoshis. Rules, each violation an error naming the line:
//! - the header is required; blank lines are ignored;
//! - the channel must be in the graph and the source one of its two endpoints;
//! - the liquidity must not exceed the capacity; each (channel, side) appears at most once;
//! - when both sides have a row they must sum to the capacity (in whole satoshis, rounded down
//!   when the capacity is not a whole number of satoshis);
//! - every *listed* direction of the graph needs a row; the side of a channel listed in one
//!   direction only may be omitted and then holds `capacity − liquidity` of the listed side.

use crate::error::SessionError;
use crate::oracle::Oracle;
use pp_graph::{ChannelIdx, Graph, Msat, NodeId, ShortChannelId};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

const HEADER: &str = "short_channel_id,source,liquidity_sat";
const NO_ROW: u64 = u64::MAX;

impl<'g> Oracle<'g> {
    /// Loads a balances CSV (plain or gzip) from a file. See the module docs for the rules.
    pub fn from_balances_path(graph: &'g Graph, path: &Path) -> Result<Self, SessionError> {
        let origin = path.display().to_string();
        let file = std::fs::File::open(path).map_err(|e| SessionError::BalancesIo {
            origin: origin.clone(),
            source: e,
        })?;
        Self::from_balances_reader(graph, file, &origin)
    }

    /// Loads a balances CSV (plain or gzip) from any reader; `origin` names it in errors.
    ///
    /// # Complexity
    /// One pass over the input, O(rows + channels) time, O(channels) memory.
    pub fn from_balances_reader(
        graph: &'g Graph,
        reader: impl Read,
        origin: &str,
    ) -> Result<Self, SessionError> {
        let io_err = |e: std::io::Error| SessionError::BalancesIo {
            origin: origin.to_string(),
            source: e,
        };
        let mut buf = BufReader::with_capacity(1 << 16, reader);
        let gz = buf.fill_buf().map_err(io_err)?.starts_with(&[0x1f, 0x8b]);
        let input: Box<dyn BufRead> = if gz {
            Box::new(BufReader::with_capacity(
                1 << 16,
                flate2::bufread::MultiGzDecoder::new(buf),
            ))
        } else {
            Box::new(buf)
        };
        parse(graph, input, origin)
    }
}

fn parse<'g>(
    graph: &'g Graph,
    mut input: Box<dyn BufRead + '_>,
    origin: &str,
) -> Result<Oracle<'g>, SessionError> {
    let line_err = |line: u64, reason: String| SessionError::BalancesLine {
        origin: origin.to_string(),
        line,
        reason,
    };
    // Per channel and side: liquidity in msat (NO_ROW if absent) and the line it came from.
    let mut liq = vec![[NO_ROW; 2]; graph.channel_count()];
    let mut line_of = vec![[0u64; 2]; graph.channel_count()];
    let mut text = String::new();
    let mut line_no = 0u64;
    let mut seen_header = false;
    loop {
        text.clear();
        let n = input
            .read_line(&mut text)
            .map_err(|e| SessionError::BalancesIo {
                origin: format!("{origin} after line {line_no}"),
                source: e,
            })?;
        if n == 0 {
            break;
        }
        line_no += 1;
        let row = text.trim();
        if row.is_empty() {
            continue;
        }
        if !seen_header {
            if row != HEADER {
                return Err(line_err(
                    line_no,
                    format!("expected the header {HEADER:?}, found {:?}", clip(row)),
                ));
            }
            seen_header = true;
            continue;
        }
        let mut fields = row.split(',').map(str::trim);
        let (Some(scid), Some(source), Some(sat), None) =
            (fields.next(), fields.next(), fields.next(), fields.next())
        else {
            return Err(line_err(
                line_no,
                format!(
                    "expected 3 comma-separated fields (short_channel_id,source,liquidity_sat), \
                     found {:?}",
                    clip(row)
                ),
            ));
        };
        let scid: ShortChannelId = scid
            .parse()
            .map_err(|e| line_err(line_no, format!("bad short_channel_id: {e}")))?;
        let source: NodeId = source
            .parse()
            .map_err(|e| line_err(line_no, format!("bad source: {e}")))?;
        let sat: u64 = sat.parse().map_err(|_| {
            line_err(
                line_no,
                format!("liquidity_sat {sat:?} is not a non-negative integer"),
            )
        })?;
        let c = graph
            .channel_index(scid)
            .ok_or_else(|| line_err(line_no, format!("unknown channel {scid}")))?;
        let side = side_of(graph, c, &source).ok_or_else(|| {
            line_err(
                line_no,
                format!("node {source} is not an endpoint of channel {scid}"),
            )
        })?;
        let cap = graph.channel_capacity(c);
        let l = sat
            .checked_mul(1000)
            .filter(|&l| l <= cap.0)
            .ok_or_else(|| {
                line_err(
                    line_no,
                    format!(
                        "liquidity {sat} sat exceeds the capacity {} sat of channel {scid}",
                        cap.to_sat_floor().0
                    ),
                )
            })?;
        if liq[c.ix()][side] != NO_ROW {
            return Err(line_err(
                line_no,
                format!(
                    "second row for channel {scid} from {source} (first on line {})",
                    line_of[c.ix()][side]
                ),
            ));
        }
        liq[c.ix()][side] = l;
        line_of[c.ix()][side] = line_no;
    }
    if !seen_header {
        return Err(SessionError::BalancesLine {
            origin: origin.to_string(),
            line: 1,
            reason: "empty file (expected a header and one row per direction)".into(),
        });
    }
    let mut missing = 0usize;
    let mut first_missing = None;
    for c in graph.channels() {
        let [l0, l1] = liq[c.ix()];
        let cap = graph.channel_capacity(c);
        if l0 != NO_ROW && l1 != NO_ROW && (l0 + l1) / 1000 != cap.0 / 1000 {
            let line = line_of[c.ix()][0].max(line_of[c.ix()][1]);
            return Err(line_err(
                line,
                format!(
                    "the two sides of channel {} sum to {} sat, not its capacity {} sat",
                    graph.channel_scid(c),
                    (l0 + l1) / 1000,
                    cap.0 / 1000
                ),
            ));
        }
        for d in graph.channel_directions(c).into_iter().flatten() {
            if liq[c.ix()][graph.side(d) as usize] == NO_ROW {
                missing += 1;
                first_missing.get_or_insert(d);
            }
        }
    }
    if let Some(d) = first_missing {
        return Err(SessionError::BalancesMissing {
            origin: origin.to_string(),
            scid: graph.scid(d),
            source_node: graph.node_id(graph.source(d)),
            missing,
        });
    }
    let oracle = Oracle::from_side0_liquidity(graph, |c| {
        let [l0, l1] = liq[c.ix()];
        if l0 != NO_ROW {
            Msat(l0)
        } else {
            // Only side 1 has a row (checked above: some side has one).
            Msat(graph.channel_capacity(c).0 - l1)
        }
    })?;
    Ok(oracle)
}

/// The side bit of `source` on channel `c`, if it is one of the channel's endpoints.
fn side_of(graph: &Graph, c: ChannelIdx, source: &NodeId) -> Option<usize> {
    let d = graph.channel_directions(c).into_iter().flatten().next()?;
    let side = graph.side(d) as usize;
    if graph.node_id(graph.source(d)) == *source {
        Some(side)
    } else if graph.node_id(graph.target(d)) == *source {
        Some(1 - side)
    } else {
        None
    }
}

fn clip(s: &str) -> String {
    s.chars().take(80).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use pp_graph::{DirectionRecord, GraphBuilder, Policy, Ppm, Sat};
    use std::io::Write;

    fn graph() -> Graph {
        let p = Policy {
            base_fee_msat: Msat(0),
            fee_ppm: Ppm(0),
            cltv_delta: 40,
            htlc_minimum_msat: Msat(0),
            htlc_maximum_msat: Msat(1 << 40),
            active: true,
            last_update: 0,
        };
        let mut b = GraphBuilder::new();
        let rec = |scid: &str, s, t| DirectionRecord {
            scid: scid.parse().expect("scid"),
            source: NodeId::synthetic(s),
            destination: NodeId::synthetic(t),
            capacity: Sat(1000).to_msat().expect("small"),
            policy: p,
        };
        b.add(&rec("1x1x0", 1, 2)).expect("ok");
        b.add(&rec("1x1x0", 2, 1)).expect("ok");
        // Listed in one direction only.
        b.add(&rec("1x2x0", 2, 3)).expect("ok");
        b.build()
    }

    fn n(i: u32) -> String {
        NodeId::synthetic(i).to_string()
    }

    fn load(text: &str) -> Result<Vec<(String, u64)>, SessionError> {
        let g = graph();
        let o = Oracle::from_balances_reader(&g, text.as_bytes(), "test.csv")?;
        Ok(g.directions()
            .map(|d| (g.scid(d).to_string(), o.liquidity(d).to_sat_floor().0))
            .collect())
    }

    fn good() -> String {
        format!(
            "{HEADER}\n1x1x0,{},300\n1x1x0,{},700\n\n1x2x0,{},250\n",
            n(1),
            n(2),
            n(2)
        )
    }

    #[test]
    fn loads_plain_and_gzip_and_derives_unlisted_sides() {
        let g = graph();
        let o = Oracle::from_balances_reader(&g, good().as_bytes(), "plain").expect("valid");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(good().as_bytes()).expect("in memory");
        let bytes = gz.finish().expect("in memory");
        let z = Oracle::from_balances_reader(&g, &bytes[..], "gz").expect("valid");
        let c2 = g
            .channel_index("1x2x0".parse().expect("scid"))
            .expect("known");
        for d in g.directions() {
            assert_eq!(o.liquidity(d), z.liquidity(d));
        }
        let d23 = g
            .channel_directions(c2)
            .into_iter()
            .flatten()
            .next()
            .expect("listed");
        assert_eq!(o.liquidity(d23), Msat(250_000));
        assert_eq!(o.channel_side_liquidity(c2, 1 - g.side(d23)), Msat(750_000));
    }

    #[test]
    fn errors_name_the_line() {
        let cases = [
            (
                format!("{HEADER}\n9x9x9,{},1\n", n(1)),
                "line 2: unknown channel 9x9x9",
            ),
            (
                format!("{HEADER}\n1x1x0,{},1\n", n(3)),
                "is not an endpoint",
            ),
            (
                format!("{HEADER}\n1x1x0,{},1001\n", n(1)),
                "exceeds the capacity",
            ),
            (
                format!(
                    "{HEADER}\n1x1x0,{},300\n1x1x0,{},600\n1x2x0,{},1\n",
                    n(1),
                    n(2),
                    n(2)
                ),
                "line 3: the two sides of channel 1x1x0 sum to 900 sat",
            ),
            (
                format!("{HEADER}\n1x1x0,{},300\n1x2x0,{},1\n", n(1), n(2)),
                "no row for channel 1x1x0",
            ),
            (
                format!("{HEADER}\n1x2x0,{},1\n1x2x0,{},2\n", n(2), n(2)),
                "line 3: second row",
            ),
            (
                format!("{HEADER}\n1x1x0,{},-5\n", n(1)),
                "not a non-negative integer",
            ),
            (
                format!("{HEADER}\n1x1x0,{}\n", n(1)),
                "expected 3 comma-separated",
            ),
            ("scid,node,sat\n".to_string(), "line 1: expected the header"),
            (String::new(), "empty file"),
        ];
        for (text, want) in cases {
            let err = load(&text).expect_err(want).to_string();
            assert!(err.contains(want), "{err:?} should contain {want:?}");
        }
        assert!(load(&good()).is_ok());
    }
}
