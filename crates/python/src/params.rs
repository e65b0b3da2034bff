//! Keyword arguments to `PayParams`: the one mapping, shared by `Session` and `simulate`. Names
//! follow the CLI's routing flags (`--min-probability` is `min_plan_probability`).

use crate::errors::{Error, Result};
use pp_graph::{Msat, Ppm};
use pp_session::{FeeBudget, HtlcMaxRule, PayParams, SlopeRule};
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// The keyword arguments accepted, for error messages and the stubs.
pub(crate) const KEYS: &[&str] = &[
    "legacy",
    "mu",
    "frugality",
    "first_round_fee_weight",
    "pieces",
    "slopes",
    "quantum_msat",
    "prune",
    "htlc_max",
    "htlc_max_fallback",
    "base_fee_threshold_msat",
    "base_fee_in_cost",
    "base_fee_fallback",
    "max_rounds",
    "max_stalled_rounds",
    "min_plan_probability",
    "min_part_probability",
    "min_expected_share",
    "min_cut_probability",
    "fee_budget_msat",
    "fee_budget_ppm",
    "solver",
    "max_parts",
    "max_hops",
    "max_total_cltv",
    "local_knowledge",
];

fn get<'py, T>(kwargs: &Bound<'py, PyDict>, key: &str) -> Result<Option<T>>
where
    T: FromPyObjectOwned<'py>,
{
    match kwargs.get_item(key) {
        Ok(Some(v)) if !v.is_none() => v
            .extract::<T>()
            .map(Some)
            .map_err(|e| Error::input(format!("{key}: {}", Into::<PyErr>::into(e)))),
        _ => Ok(None),
    }
}

/// `PayParams` from keyword arguments (unknown keys are an error; `None` means the default).
///
/// `legacy=True` starts from `PayParams::legacy()` (the reference package's routing rules)
/// instead of the defaults; every other key then overrides one field.
pub(crate) fn pay_params(kwargs: Option<&Bound<'_, PyDict>>) -> Result<PayParams> {
    let Some(kw) = kwargs else {
        return Ok(PayParams::default());
    };
    for k in kw.keys() {
        let k: String = k
            .extract()
            .map_err(|_| Error::input("parameter names must be strings"))?;
        if !KEYS.contains(&k.as_str()) {
            return Err(Error::input(format!(
                "unknown parameter {k:?}; known: {}",
                KEYS.join(", ")
            )));
        }
    }
    let mut p = if get::<bool>(kw, "legacy")?.unwrap_or(false) {
        PayParams::legacy()
    } else {
        PayParams::default()
    };
    match (get::<f64>(kw, "mu")?, get::<f64>(kw, "frugality")?) {
        (Some(_), Some(_)) => return Err(Error::input("give mu or frugality, not both")),
        (Some(mu), None) => p = p.with_mu(mu),
        (None, Some(f)) => p = p.with_frugality(f),
        (None, None) => {}
    }
    if let Some(v) = get::<f64>(kw, "first_round_fee_weight")? {
        p.first_round_fee_weight = v;
    }
    if let Some(v) = get::<u32>(kw, "pieces")? {
        p.shape.pieces = v;
    }
    if let Some(v) = get::<String>(kw, "slopes")? {
        p.shape.slopes = match v.as_str() {
            "secant" => SlopeRule::Secant,
            "linear" => SlopeRule::Linear,
            _ => {
                return Err(Error::input(format!(
                    "slopes: {v:?} is not \"secant\" or \"linear\""
                )))
            }
        };
    }
    if let Some(v) = get::<u64>(kw, "quantum_msat")? {
        p.shape.quantum = Msat(v);
    }
    if let Some(v) = get::<bool>(kw, "prune")? {
        p.shape.prune = v;
    }
    if let Some(v) = get::<String>(kw, "htlc_max")? {
        p.shape.htlc_max = match v.as_str() {
            "per_direction" => HtlcMaxRule::PerDirection,
            "per_part" => HtlcMaxRule::PerPart,
            _ => {
                return Err(Error::input(format!(
                    "htlc_max: {v:?} is not \"per_direction\" or \"per_part\""
                )))
            }
        };
    }
    if let Some(v) = get::<bool>(kw, "htlc_max_fallback")? {
        p.htlc_max_fallback = v;
    }
    if let Some(v) = get::<u64>(kw, "base_fee_threshold_msat")? {
        p.base_fee_threshold = Msat(v);
    }
    if let Some(v) = get::<bool>(kw, "base_fee_in_cost")? {
        p.base_fee_in_cost = v;
    }
    if let Some(v) = get::<bool>(kw, "base_fee_fallback")? {
        p.base_fee_fallback = v;
    }
    if let Some(v) = get::<u32>(kw, "max_rounds")? {
        p.max_rounds = v;
    }
    if let Some(v) = get::<u32>(kw, "max_stalled_rounds")? {
        p.max_stalled_rounds = v;
    }
    if let Some(v) = get::<f64>(kw, "min_plan_probability")? {
        p.min_plan_probability = v;
    }
    if let Some(v) = get::<f64>(kw, "min_part_probability")? {
        p.min_part_probability = v;
    }
    if let Some(v) = get::<f64>(kw, "min_expected_share")? {
        p.min_expected_share = v;
    }
    if let Some(v) = get::<f64>(kw, "min_cut_probability")? {
        p.min_cut_probability = v;
    }
    match (
        get::<i64>(kw, "fee_budget_msat")?,
        get::<u32>(kw, "fee_budget_ppm")?,
    ) {
        (Some(_), Some(_)) => {
            return Err(Error::input(
                "give fee_budget_msat or fee_budget_ppm, not both",
            ))
        }
        (Some(m), None) if m < 0 => p.fee_budget = FeeBudget::Unlimited,
        (Some(m), None) => p.fee_budget = FeeBudget::Fixed(Msat(m as u64)),
        (None, Some(ppm)) => {
            p.fee_budget = FeeBudget::Proportional {
                ppm: Ppm(ppm),
                floor: Msat(5_000),
            }
        }
        (None, None) => {}
    }
    if let Some(v) = get::<String>(kw, "solver")? {
        p.solver = v;
    }
    if let Some(v) = get::<usize>(kw, "max_parts")? {
        p.limits.max_parts = Some(v);
    }
    if let Some(v) = get::<usize>(kw, "max_hops")? {
        p.limits.max_hops = Some(v);
    }
    if let Some(v) = get::<u32>(kw, "max_total_cltv")? {
        p.limits.max_total_cltv = Some(v);
    }
    if let Some(v) = get::<bool>(kw, "local_knowledge")? {
        p.local_knowledge = v;
    }
    p.validate().map_err(Error::from)?;
    Ok(p)
}
