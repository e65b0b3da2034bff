//! The corpus of broken inputs in `tests/malformed/`: every file must give exactly the error or
//! warning listed here (and never a panic). Each file is small and named after what is wrong.
//! The outcome is written as `error Variant(field)` for errors and
//! `ok D directions, K skipped (FirstReason)` for loads that succeed.

use pp_graph::{load_bytes, load_path, GraphError, Loaded, SkipReason};
use std::path::PathBuf;

/// (file, expected outcome).
const CORPUS: &[(&str, &str)] = &[
    // Not JSON, not the right JSON.
    ("empty.json", "error Empty"),
    ("whitespace_only.json", "error Empty"),
    ("truncated.json", "error Json"),
    ("truncated_gzip.json.gz", "error Decompress"),
    ("gzip_garbage.json.gz", "error Decompress"),
    ("binary_garbage.bin", "error UnknownFormat"),
    ("top_level_array.json", "error UnknownFormat"),
    ("no_channels_key.json", "error UnknownFormat"),
    ("both_formats.json", "error UnknownFormat"),
    ("lnd_nodes_without_edges.json", "error UnknownFormat"),
    ("channels_not_array.json", "error Json"),
    ("trailing_garbage.json", "error Json"),
    ("invalid_utf8_in_source.json", "error Json"),
    // Valid enough: unknown fields are skipped without recursion and without UTF-8 checks.
    ("deep_nesting.json", "ok 0 directions, 0 skipped"),
    (
        "invalid_utf8_in_ignored_field.json",
        "ok 2 directions, 0 skipped",
    ),
    ("record_not_object.json", "error BadRecord"),
    // listchannels: wrong types and impossible values.
    ("wrong_type_fee.json", "error BadField(fee_per_millionth)"),
    ("wrong_type_active.json", "error BadField(active)"),
    ("null_source.json", "error BadField(source)"),
    ("bad_hex_source.json", "error BadNodeId(source)"),
    ("short_destination.json", "error BadNodeId(destination)"),
    ("bad_node_prefix.json", "error BadNodeId(source)"),
    ("bad_scid.json", "error BadScid(short_channel_id)"),
    ("scid_out_of_range.json", "error BadScid(short_channel_id)"),
    (
        "negative_base_fee.json",
        "error BadField(base_fee_millisatoshi)",
    ),
    (
        "negative_msat_string.json",
        "error BadField(htlc_minimum_msat)",
    ),
    ("overflow_amount.json", "error BadField(amount_msat)"),
    ("overflow_ppm.json", "error BadField(fee_per_millionth)"),
    ("cltv_too_large.json", "error BadField(delay)"),
    ("fractional_delay.json", "error BadField(delay)"),
    ("last_update_overflow.json", "error BadField(last_update)"),
    ("missing_source.json", "error MissingField(source)"),
    ("missing_amount.json", "error MissingField(amount_msat)"),
    (
        "missing_htlc_minimum.json",
        "error MissingField(htlc_minimum_msat)",
    ),
    ("bad_msat_suffix.json", "error BadField(htlc_maximum_msat)"),
    (
        "msat_string_without_unit.json",
        "error BadField(amount_msat)",
    ),
    ("satoshis_disagree.json", "error BadField(amount_msat)"),
    ("over_supply.json", "error BadField(satoshis)"),
    ("duplicate_field.json", "error BadField(delay)"),
    // listchannels: records that do not fit the model are skipped with a warning.
    (
        "htlc_min_above_max.json",
        "ok 1 directions, 1 skipped (HtlcMinAboveMax)",
    ),
    (
        "zero_capacity.json",
        "ok 1 directions, 1 skipped (ZeroCapacity)",
    ),
    (
        "capacity_mismatch.json",
        "ok 1 directions, 1 skipped (CapacityMismatch)",
    ),
    (
        "endpoint_mismatch.json",
        "ok 1 directions, 1 skipped (EndpointMismatch)",
    ),
    (
        "duplicate_direction.json",
        "ok 2 directions, 1 skipped (DuplicateDirection)",
    ),
    ("self_loop.json", "ok 1 directions, 1 skipped (SelfLoop)"),
    // LND describegraph.
    (
        "lnd_null_policies.json",
        "ok 2 directions, 1 skipped (NoPolicy)",
    ),
    ("lnd_one_null_policy.json", "ok 1 directions, 0 skipped"),
    ("lnd_bad_channel_id.json", "error BadScid(channel_id)"),
    ("lnd_policy_wrong_type.json", "error BadField(node1_policy)"),
    (
        "lnd_negative_fee.json",
        "error BadField(node1_policy.fee_base_msat)",
    ),
    ("lnd_missing_capacity.json", "error MissingField(capacity)"),
    (
        "lnd_time_lock_overflow.json",
        "error BadField(node2_policy.time_lock_delta)",
    ),
    (
        "lnd_missing_min_htlc.json",
        "error MissingField(node2_policy.min_htlc)",
    ),
    ("lnd_capacity_float.json", "error BadField(capacity)"),
];

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/malformed")
}

/// The name of an enum variant from its `Debug` form (`BadField { .. }` → `BadField`).
fn variant_name(debug: String) -> String {
    debug
        .split([' ', '(', '{'])
        .next()
        .unwrap_or_default()
        .to_string()
}

pub(crate) fn describe(r: &Result<Loaded, GraphError>) -> String {
    match r {
        Ok(l) => {
            let first = l.report.warnings.first().map(|w| match &w.reason {
                SkipReason::Record(p) => variant_name(format!("{p:?}")),
                other => variant_name(format!("{other:?}")),
            });
            let mut s = format!(
                "ok {} directions, {} skipped",
                l.graph.direction_count(),
                l.report.skipped
            );
            if let Some(f) = first {
                s.push_str(&format!(" ({f})"));
            }
            s
        }
        Err(e) => {
            let name = variant_name(format!("{e:?}"));
            match e {
                GraphError::BadField { field, .. }
                | GraphError::MissingField { field, .. }
                | GraphError::BadNodeId { field, .. }
                | GraphError::BadScid { field, .. } => format!("error {name}({field})"),
                _ => format!("error {name}"),
            }
        }
    }
}

#[test]
fn every_malformed_input_gives_its_documented_outcome() {
    let dir = corpus_dir();
    let mut failures = Vec::new();
    for (file, expected) in CORPUS {
        let path = dir.join(file);
        let r = load_path(&path);
        let got = describe(&r);
        if got != *expected {
            failures.push(format!(
                "{file}: expected `{expected}`, got `{got}` ({r:?})"
            ));
        }
        // The same bytes through load_bytes give the same outcome.
        let bytes = std::fs::read(&path).expect("corpus file readable");
        assert_eq!(describe(&load_bytes(&bytes)), got, "{file}");
        // Error messages are one line and name the record where there is one.
        if let Err(e) = &r {
            let msg = e.to_string();
            assert!(!msg.contains('\n'), "{file}: multi-line message {msg:?}");
            if got.contains('(') {
                assert!(msg.starts_with("record "), "{file}: {msg}");
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn corpus_is_large_and_fully_listed() {
    let mut on_disk: Vec<String> = std::fs::read_dir(corpus_dir())
        .expect("corpus dir")
        .map(|e| {
            e.expect("dir entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = CORPUS.iter().map(|(f, _)| f.to_string()).collect();
    listed.sort();
    assert_eq!(
        on_disk, listed,
        "every corpus file has an expectation and vice versa"
    );
    assert!(CORPUS.len() >= 25);
}

#[test]
fn errors_carry_record_index_scid_and_position() {
    let r = load_path(&corpus_dir().join("wrong_type_fee.json"));
    match r {
        Err(GraphError::BadField {
            index,
            scid,
            field,
            line,
            ..
        }) => {
            assert_eq!(index, 1);
            assert_eq!(scid.map(|s| s.to_string()).as_deref(), Some("100x1x0"));
            assert_eq!(field, "fee_per_millionth");
            assert!(line > 20, "line {line} should point into the second record");
        }
        other => panic!("unexpected {other:?}"),
    }
    let w = load_path(&corpus_dir().join("duplicate_direction.json")).expect("loads");
    assert_eq!(w.report.warnings[0].index, 2);
    assert_eq!(
        w.report.warnings[0].to_string(),
        "record 2 (short_channel_id 100x1x0) skipped: duplicate direction 0 of channel 100x1x0"
    );
}
