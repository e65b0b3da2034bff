//! `pickhardt graph convert`: the upstream originals of the real snapshots (CLoTH's network
//! CSVs, core-lightning's `GOSSMAP_COMPRESSv1` with its node map) to `listchannels` JSON and a
//! balances CSV, exactly as the shared `ln-2020-cloth.*` and `ln-2026.*` files.

use anyhow::Context;
use pp_graph::{Converted, GossmapOptions, ListChannelsForm};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Arguments of `pickhardt graph convert`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("input").required(true).args(["cloth", "gossmap"])))]
pub struct ConvertArgs {
    /// Folder with CLoTH's nodes_ln.csv, channels_ln.csv and edges_ln.csv (each may be .csv.gz).
    #[arg(long, value_name = "DIR", conflicts_with_all = ["gossmap", "node_map"])]
    pub cloth: Option<PathBuf>,
    /// core-lightning GOSSMAP_COMPRESSv1 file (gzip or plain); needs --node-map.
    #[arg(long, value_name = "FILE", requires = "node_map")]
    pub gossmap: Option<PathBuf>,
    /// The gossmap's node map, lines `index:pubkey:alias` (xz, gzip or plain).
    #[arg(long, value_name = "FILE", requires = "gossmap")]
    pub node_map: Option<PathBuf>,
    /// Output listchannels JSON; gzip-compressed when the name ends in .gz; `-` writes stdout.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: PathBuf,
    /// Also write the ground-truth balances CSV (short_channel_id,source,liquidity_sat);
    /// gzip-compressed when the name ends in .gz.
    #[arg(long, value_name = "FILE")]
    pub balances: Option<PathBuf>,
    /// listchannels form: `old` (satoshis, "…msat" strings) or `new` (integers, direction).
    /// Default: old for --cloth, new for --gossmap (as the shared snapshots).
    #[arg(long, value_enum)]
    pub form: Option<Form>,
    /// Seed of the Python random.Random drawing the gossmap balances (the shared ln-2026 used 1).
    #[arg(long, value_name = "N", default_value_t = 1, conflicts_with = "cloth")]
    pub seed: u64,
}

/// The `--form` values.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Form {
    /// Old form.
    Old,
    /// New form.
    New,
}

/// Runs the command.
pub fn run(a: &ConvertArgs) -> anyhow::Result<()> {
    let (c, what, default_form) = match (&a.cloth, &a.gossmap, &a.node_map) {
        (Some(dir), _, _) => (
            pp_graph::read_cloth_dir(dir)
                .with_context(|| format!("converting CLoTH files in {}", dir.display()))?,
            format!("CLoTH files in {}", dir.display()),
            ListChannelsForm::Old,
        ),
        (None, Some(g), Some(m)) => {
            let opts = GossmapOptions {
                balance_seed: a.seed,
                ..GossmapOptions::default()
            };
            (
                pp_graph::read_gossmap_files(g, m, &opts).with_context(|| {
                    format!("converting {} with node map {}", g.display(), m.display())
                })?,
                format!("gossmap {}", g.display()),
                ListChannelsForm::New,
            )
        }
        // clap's argument group requires --cloth or --gossmap, and --gossmap --node-map.
        _ => anyhow::bail!("give --cloth DIR, or --gossmap FILE with --node-map FILE"),
    };
    let form = match a.form {
        None => default_form,
        Some(Form::Old) => ListChannelsForm::Old,
        Some(Form::New) => ListChannelsForm::New,
    };
    write_to(&a.output, |w| c.write_listchannels(form, w))?;
    if let Some(b) = &a.balances {
        write_to(b, |w| c.write_balances(w))?;
    }
    report(&c, &what, a);
    Ok(())
}

fn report(c: &Converted, what: &str, a: &ConvertArgs) {
    let r = &c.report;
    let disabled = if r.halves_disabled > 0 {
        format!(", {} disabled halves left out", r.halves_disabled)
    } else {
        String::new()
    };
    eprintln!(
        "converted {what}: {} nodes, {} channels, {} directions ({} channels read{disabled}, \
         {} directions skipped)",
        c.graph.node_count(),
        c.graph.channel_count(),
        c.graph.direction_count(),
        r.channels_read,
        r.skipped
    );
    for w in &r.warnings {
        eprintln!("warning: {w}");
    }
    if r.skipped > r.warnings.len() {
        eprintln!("warning: … and {} more", r.skipped - r.warnings.len());
    }
    let mut wrote = vec![a.output.display().to_string()];
    wrote.extend(a.balances.iter().map(|b| b.display().to_string()));
    eprintln!("wrote {}", wrote.join(" and "));
}

/// Writes through `f` to `path` (`-` = stdout), gzip-compressed when the name ends in `.gz`.
/// A file is written under a temporary name and renamed at the end, so a failed conversion
/// leaves no half-written output.
fn write_to(
    path: &Path,
    f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    let gz = path.extension().is_some_and(|e| e == "gz");
    if path == Path::new("-") {
        let mut out = std::io::stdout().lock();
        return f(&mut out).context("writing to stdout");
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    let file =
        std::fs::File::create(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
    let written = if gz {
        let mut enc = flate2::write::GzEncoder::new(file, flate2::Compression::default());
        f(&mut enc).and_then(|()| enc.finish().map(drop))
    } else {
        let mut file = file;
        f(&mut file)
    };
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e).with_context(|| format!("cannot write {}", path.display()));
    }
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))
}
