//! Parsing a large listchannels text's records on rayon's thread pool (feature `parallel`).
//!
//! The text must have the plain shape `{"channels": [ {…},\n{…}, … ]}` (whitespace anywhere,
//! nothing else at the top level), as `listchannels` and `graph generate` write it. The array
//! is cut into chunks at commas between records that are followed by whitespace: the comma
//! becomes `]` and the whitespace byte after it `[`, so that every chunk is itself a JSON array
//! of records, parsed by the same visitor as the sequential path into a list of records. The
//! records are then added to one [`GraphBuilder`] in file order, so node numbering, warnings and
//! the report are those of the sequential path.
//!
//! A cut is only found by looking at a few bytes (`}` `,` whitespace … `{`), which could also
//! occur inside a string. Such a cut cannot go unnoticed: every chunk starts where the previous
//! one ended, the first at the array's real start, so a chunk begins at a true record boundary
//! and must parse to its end; a chunk that ends inside a string does not. When any chunk fails
//! (a cut inside a string, or a record with an error), the caller parses the whole text
//! sequentially, which reports the exact error and position; the cut bytes are put back as soon
//! as the chunks are parsed.

use super::record::State;
use super::{is_json_whitespace, ArraySeed, Loaded, RecordKind, UTF8_BOM};
use crate::graph::DirectionRecord;
use rayon::prelude::*;
use serde::de::DeserializeSeed;

/// Texts shorter than this are parsed sequentially: 8 MiB (a quarter of a 2026 snapshot).
const MIN_PARALLEL_BYTES: usize = 8 << 20;
/// How far past its target offset a cut is looked for: 64 KiB.
const MAX_CUT_SEARCH: usize = 64 << 10;

/// Parses `text` (a whole snapshot, `gzip`: whether it was decompressed) on the thread pool.
/// `None` when the text is small or does not have the plain shape, or when a chunk does not
/// parse or a record does not fit the builder; either way the text is left as it was.
pub(super) fn parse_listchannels(text: &mut [u8], gzip: bool) -> Option<Loaded> {
    let start = if text.starts_with(UTF8_BOM) { 3 } else { 0 };
    let (open, close) = array_bounds(&text[start..])?;
    let (open, close) = (open + start, close + start);
    if close - open < MIN_PARALLEL_BYTES {
        return None;
    }
    let chunks = (rayon::current_num_threads() * 4).max(2);
    let mut cuts = Vec::with_capacity(chunks);
    for k in 1..chunks {
        let target = open + (close - open) / chunks * k;
        let from = cuts.last().map_or(open, |&c: &usize| c + 2).max(target);
        if let Some(c) = find_cut(text, from, close) {
            cuts.push(c);
        }
    }
    if cuts.is_empty() {
        return None;
    }
    parse_at(text, open, close, &cuts, gzip)
}

/// [`parse_listchannels`] with the array at `open..=close` cut at the commas `cuts`
/// (increasing, each followed by a whitespace byte).
fn parse_at(
    text: &mut [u8],
    open: usize,
    close: usize,
    cuts: &[usize],
    gzip: bool,
) -> Option<Loaded> {
    let saved: Vec<u8> = cuts.iter().map(|&c| text[c + 1]).collect();
    for &c in cuts {
        text[c] = b']';
        text[c + 1] = b'[';
    }
    let mut bounds = Vec::with_capacity(cuts.len() + 1);
    let mut begin = open;
    for &c in cuts {
        bounds.push((begin, c));
        begin = c + 1;
    }
    bounds.push((begin, close));
    let parsed: Vec<Option<(Vec<DirectionRecord>, bool)>> = bounds
        .par_iter()
        .map(|&(b, e)| parse_chunk(&text[b..=e]))
        .collect();
    // The records are owned: the text is put back before anything can fail.
    for (&c, &b) in cuts.iter().zip(&saved) {
        text[c] = b',';
        text[c + 1] = b;
    }
    if parsed.iter().any(Option::is_none) {
        return None;
    }
    let mut state = State {
        entered: true,
        saw_channels: true,
        ..State::default()
    };
    for (records, old_form) in parsed.into_iter().flatten() {
        state.old_form |= old_form;
        for rec in &records {
            let index = state.records;
            state.add(index, rec).ok()?;
            state.records += 1;
        }
    }
    state.finish(gzip).ok()
}

/// The records of one chunk (a JSON array) and whether any was in the old form.
fn parse_chunk(chunk: &[u8]) -> Option<(Vec<DirectionRecord>, bool)> {
    let mut st = State {
        collected: Some(Vec::new()),
        ..State::default()
    };
    let mut de = serde_json::Deserializer::from_slice(chunk);
    ArraySeed {
        st: &mut st,
        kind: RecordKind::ListChannels,
    }
    .deserialize(&mut de)
    .and_then(|()| de.end())
    .ok()?;
    Some((st.collected.take().unwrap_or_default(), st.old_form))
}

/// The positions of the `[` and `]` of the `channels` array when the text is exactly
/// `{"channels": [ … ]}` up to whitespace.
fn array_bounds(text: &[u8]) -> Option<(usize, usize)> {
    let skip = |mut i: usize| {
        while i < text.len() && is_json_whitespace(text[i]) {
            i += 1;
        }
        i
    };
    let mut i = skip(0);
    let mut open = 0;
    for token in [&b"{"[..], b"\"channels\"", b":", b"["] {
        if !text[i..].starts_with(token) {
            return None;
        }
        open = i;
        i = skip(i + token.len());
    }
    let mut j = text.len();
    for token in [b'}', b']'] {
        while j > 0 && is_json_whitespace(text[j - 1]) {
            j -= 1;
        }
        if j == 0 || text[j - 1] != token {
            return None;
        }
        j -= 1;
    }
    (j > open).then_some((open, j))
}

/// A comma at or after `from` (and before `close`) that looks like one between two records:
/// `}` and whitespace before it, whitespace right after it and `{` after that.
fn find_cut(text: &[u8], from: usize, close: usize) -> Option<usize> {
    let end = close.min(from.saturating_add(MAX_CUT_SEARCH));
    (from..end).find(|&c| {
        text[c] == b','
            && c + 2 < close
            && is_json_whitespace(text[c + 1])
            && text[..c]
                .iter()
                .rev()
                .find(|&&b| !is_json_whitespace(b))
                .is_some_and(|&b| b == b'}')
            && text[c + 1..close]
                .iter()
                .find(|&&b| !is_json_whitespace(b))
                .is_some_and(|&b| b == b'{')
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::parse_text;
    use crate::{generate, write_listchannels, GeneratorParams, Graph};

    fn records(g: &Graph) -> Vec<DirectionRecord> {
        g.directions().map(|d| g.direction_record(d)).collect()
    }

    fn text_of(nodes: usize) -> Vec<u8> {
        let g = generate(&GeneratorParams::new(nodes, 1)).expect("generates");
        let mut text = Vec::new();
        write_listchannels(&g, &mut text).expect("writes");
        text
    }

    /// A text large enough for the thread pool loads to the same graph and report as the
    /// sequential parser, node numbering and warnings included.
    #[test]
    fn large_texts_load_as_the_sequential_parser_loads_them() {
        let mut text = text_of(3000);
        assert!(text.len() > MIN_PARALLEL_BYTES, "{} bytes", text.len());
        // A record the builder skips (the same direction twice), for the warnings' order.
        let dup_at = text.len() / 2;
        let rec_start = dup_at + text[dup_at..].iter().position(|&b| b == b'{').expect("{");
        let rec_end = rec_start
            + text[rec_start..]
                .iter()
                .position(|&b| b == b'}')
                .expect("}");
        let dup = text[rec_start..=rec_end].to_vec();
        // Listed again after the first record.
        let at = text
            .windows(3)
            .position(|w| w == b"},\n")
            .expect("a boundary")
            + 2;
        let mut again = b"\n".to_vec();
        again.extend_from_slice(&dup);
        again.push(b',');
        text.splice(at..at, again);
        let sequential = parse_text(&text, false).expect("loads");
        let before = text.clone();
        let parallel = parse_listchannels(&mut text, false).expect("the parallel path applies");
        assert_eq!(parallel.report, sequential.report);
        assert_eq!(parallel.report.skipped, 1);
        assert_eq!(records(&parallel.graph), records(&sequential.graph));
        let ids = |g: &Graph| g.nodes().map(|n| g.node_id(n)).collect::<Vec<_>>();
        assert_eq!(ids(&parallel.graph), ids(&sequential.graph));
        assert_eq!(text, before, "the cuts are put back");
    }

    /// A cut inside a string makes a chunk fail: the text is put back byte for byte and the
    /// caller parses it sequentially.
    #[test]
    fn a_cut_inside_a_string_gives_the_text_back() {
        let text = br#"{"channels": [{"features": "}, {"},
 {"x": 1}]}"#;
        let mut t = text.to_vec();
        let open = t.iter().position(|&b| b == b'[').expect("[");
        let close = t.len() - 2;
        let inside = t
            .windows(3)
            .position(|w| w == b", {")
            .expect("in the string");
        assert_eq!(
            find_cut(&t, inside, close),
            Some(inside),
            "looks like a boundary"
        );
        assert!(parse_at(&mut t, open, close, &[inside], false).is_none());
        assert_eq!(t, text.to_vec());
        // The true boundary after it would have been found next.
        let real = find_cut(&t, inside + 1, close).expect("the real boundary");
        assert!(real > inside);
    }

    #[test]
    fn only_the_plain_shape_is_cut() {
        assert_eq!(array_bounds(b" {\"channels\" : [ ] } \n"), Some((15, 17)));
        assert_eq!(array_bounds(br#"{"channels": [], "x": 1}"#), None);
        assert_eq!(array_bounds(br#"{"x": 1, "channels": []}"#), None);
        assert_eq!(array_bounds(br#"{"edges": []}"#), None);
        assert_eq!(array_bounds(br#"{"channels": []"#), None);
        assert!(parse_listchannels(&mut br#"{"channels": []}"#.to_vec(), false).is_none());
    }
}
