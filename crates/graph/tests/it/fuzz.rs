//! Property tests: arbitrary bytes, mutated valid snapshots and records with arbitrary field
//! values never make a loader panic; whatever loads satisfies the graph invariants.

use flate2::write::GzEncoder;
use pp_graph::{load_bytes, load_reader, GraphError, Loaded};
use proptest::prelude::*;
use std::io::Write;

const TOY_CLN: &str = include_str!("../../../../data/toy.listchannels.json");
const TOY_LND: &str = include_str!("../../../../data/toy.describegraph.json");

/// Loads through both paths (in-memory slice parser and streaming reader), checks they agree,
/// and, if the load succeeds, checks the invariants the graph promises.
fn load_and_check(bytes: &[u8]) -> Result<Loaded, GraphError> {
    let r = load_bytes(bytes);
    let streamed = load_reader(bytes);
    assert_eq!(
        crate::malformed::describe(&r),
        crate::malformed::describe(&streamed),
        "slice and streaming loaders disagree on {:?}",
        String::from_utf8_lossy(bytes)
    );
    if let Ok(l) = &r {
        let g = &l.graph;
        assert!(l.report.warnings.len() <= l.report.skipped);
        for d in g.directions() {
            let p = g.policy(d);
            assert!(p.htlc_minimum_msat <= p.htlc_maximum_msat);
            assert!(g.capacity(d).get() > 0);
            assert_ne!(g.source(d), g.target(d));
            if let Some(r) = g.reverse(d) {
                assert_eq!(g.reverse(r), Some(d));
                assert_eq!(g.capacity(r), g.capacity(d));
                assert_eq!((g.source(r), g.target(r)), (g.target(d), g.source(d)));
            }
        }
    }
    r
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(bytes).expect("in-memory write");
    enc.finish().expect("in-memory write")
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Delete(usize, usize),
    Insert(usize, String),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let token = prop_oneof![
        Just("null".to_string()),
        Just("-1".to_string()),
        Just("1e400".to_string()),
        Just("18446744073709551616".to_string()),
        Just("\"".to_string()),
        Just("{".to_string()),
        Just("]".to_string()),
        Just(",".to_string()),
        Just("\"x\":".to_string()),
        Just("\\u0000".to_string()),
        "[ -~]{0,8}",
    ];
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Flip(i, b)),
        (any::<usize>(), 1usize..40).prop_map(|(i, n)| Mutation::Delete(i, n)),
        (any::<usize>(), token).prop_map(|(i, t)| Mutation::Insert(i, t)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn apply(mut v: Vec<u8>, muts: &[Mutation]) -> Vec<u8> {
    for m in muts {
        let len = v.len().max(1);
        match m {
            Mutation::Flip(i, b) => {
                if !v.is_empty() {
                    let i = i % len;
                    v[i] ^= b;
                }
            }
            Mutation::Delete(i, n) => {
                let i = i % len;
                let end = (i + n).min(v.len());
                if i < end {
                    v.drain(i..end);
                }
            }
            Mutation::Insert(i, t) => {
                let i = i % (v.len() + 1);
                v.splice(i..i, t.bytes());
            }
            Mutation::Truncate(i) => v.truncate(i % len),
        }
    }
    v
}

/// A JSON value of a random shape, as text.
fn any_json_value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<u64>().prop_map(|v| v.to_string()),
        any::<i64>().prop_map(|v| v.to_string()),
        any::<f64>().prop_map(|v| if v.is_finite() {
            format!("{v:e}")
        } else {
            "0.5".into()
        }),
        (0u64..70_000).prop_map(|v| v.to_string()),
        any::<u64>().prop_map(|v| format!("\"{v}msat\"")),
        any::<u64>().prop_map(|v| format!("\"{v}\"")),
        "\"[0-9a-fx]{0,70}\"",
        Just("null".to_string()),
        Just("true".to_string()),
        Just("[]".to_string()),
        Just("{}".to_string()),
    ]
}

const CLN_FIELDS: &[&str] = &[
    "source",
    "destination",
    "short_channel_id",
    "satoshis",
    "amount_msat",
    "active",
    "last_update",
    "base_fee_millisatoshi",
    "fee_per_millionth",
    "delay",
    "htlc_minimum_msat",
    "htlc_maximum_msat",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..1024)) {
        let r = load_and_check(&bytes);
        prop_assert!(r.is_ok() || r.is_err());
        let _ = load_and_check(&gzip(&bytes));
        let mut prefixed = b"{\"channels\": [".to_vec();
        prefixed.extend_from_slice(&bytes);
        let _ = load_and_check(&prefixed);
        let mut gz_header = vec![0x1f, 0x8b];
        gz_header.extend_from_slice(&bytes);
        prop_assert!(load_and_check(&gz_header).is_err());
    }

    #[test]
    fn mutated_snapshots_never_panic(
        lnd in any::<bool>(),
        muts in prop::collection::vec(mutation(), 1..6),
        compress in any::<bool>(),
    ) {
        let base = if lnd { TOY_LND } else { TOY_CLN };
        let mut bytes = apply(base.as_bytes().to_vec(), &muts);
        if compress {
            bytes = gzip(&bytes);
        }
        let _ = load_and_check(&bytes);
    }

    #[test]
    fn mutated_gzip_streams_never_panic(muts in prop::collection::vec(mutation(), 1..4)) {
        let bytes = apply(gzip(TOY_CLN.as_bytes()), &muts);
        let _ = load_and_check(&bytes);
    }

    #[test]
    fn records_with_arbitrary_field_values_never_panic(
        values in prop::collection::vec((0..CLN_FIELDS.len(), any_json_value()), 0..8),
        drop in prop::collection::vec(0..CLN_FIELDS.len(), 0..3),
    ) {
        let mut rec: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str::<serde_json::Value>(TOY_CLN)
                .expect("toy parses")["channels"][0]
                .as_object()
                .expect("record")
                .clone();
        let mut text_fields = Vec::new();
        for (f, v) in &values {
            rec.remove(CLN_FIELDS[*f]);
            text_fields.push(format!("\"{}\": {v}", CLN_FIELDS[*f]));
        }
        for f in &drop {
            rec.remove(CLN_FIELDS[*f]);
        }
        let mut body = serde_json::to_string(&rec).expect("serializes");
        body.pop(); // the closing brace
        for t in text_fields {
            body.push_str(", ");
            body.push_str(&t);
        }
        body.push('}');
        let doc = format!("{{\"channels\": [{body}, {body}]}}");
        let _ = load_and_check(doc.as_bytes());
    }
}
