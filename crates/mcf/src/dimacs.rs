//! DIMACS min-cost-flow files, the format every external solver reads (LEMON's `dimacs-solver`,
//! OR-tools, CS2, …):
//!
//! ```text
//! c any comment
//! p min <nodes> <arcs>
//! n <id> <supply>                      (only nodes with non-zero supply; ids are 1-based)
//! a <from> <to> <low> <capacity> <cost>
//! ```
//!
//! Comments are kept in order ([`DimacsFile::comments`]) so a writer can carry metadata, e.g. the
//! exporter's `c node 1 02ab…` lines mapping node ids to public keys. Lower bounds other than 0
//! are rejected (shift them into the supplies before writing). Every parse error names its
//! 1-based line.

use crate::problem::{McfError, Problem};
use std::io::{BufWriter, Read, Write};

/// A parsed DIMACS file: the problem and its comment lines.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DimacsFile {
    /// The problem; DIMACS node `i` is node `i − 1`, arcs keep file order.
    pub problem: Problem,
    /// The text of every `c` line in file order, without the leading `c` and one space.
    pub comments: Vec<String>,
}

fn err(line: usize, reason: impl Into<String>) -> McfError {
    McfError::Parse {
        line,
        reason: reason.into(),
    }
}

fn number<T: std::str::FromStr>(line: usize, what: &str, tok: Option<&str>) -> Result<T, McfError> {
    let tok = tok.ok_or_else(|| err(line, format!("missing {what}")))?;
    tok.parse()
        .map_err(|_| err(line, format!("{what} {tok:?} is not a valid integer")))
}

/// Parses DIMACS min-cost-flow text.
///
/// # Errors
/// [`McfError::Parse`] with the line number: unknown line kind, missing or extra fields, numbers
/// that do not parse, a node id outside `1..=nodes`, a repeated `n` line, a non-zero lower bound, a
/// negative capacity, a missing or repeated `p` line, or an arc count different from the `p`
/// line's. The supplies are not required to balance here ([`Problem::validate`] checks that when
/// solving).
///
/// # Complexity
/// `O(size of the text)`.
pub fn parse_dimacs(text: &str) -> Result<DimacsFile, McfError> {
    let mut out = DimacsFile::default();
    let mut header: Option<(usize, usize, usize)> = None; // (line, nodes, arcs)
    let mut supply_line: Vec<usize> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let l = raw.trim();
        if l.is_empty() {
            continue;
        }
        let mut toks = l.split_ascii_whitespace();
        let kind = toks.next().unwrap_or("");
        match kind {
            "c" => {
                let rest = raw.trim_start();
                let rest = &rest[1..];
                out.comments.push(
                    rest.strip_prefix(' ')
                        .unwrap_or(rest)
                        .trim_end()
                        .to_string(),
                );
                continue;
            }
            "p" => {
                if let Some((first, _, _)) = header {
                    return Err(err(
                        line,
                        format!("second 'p' line (first on line {first})"),
                    ));
                }
                let ty = toks.next().unwrap_or("");
                if ty != "min" {
                    return Err(err(line, format!("expected 'p min', found 'p {ty}'")));
                }
                let n: usize = number(line, "node count", toks.next())?;
                let m: usize = number(line, "arc count", toks.next())?;
                if n > u32::MAX as usize || m > u32::MAX as usize {
                    return Err(err(line, "more than 2^32 - 1 nodes or arcs"));
                }
                out.problem = Problem::new(n);
                let reserve = m.min(1 << 24);
                out.problem.from.reserve(reserve);
                out.problem.to.reserve(reserve);
                out.problem.capacity.reserve(reserve);
                out.problem.cost.reserve(reserve);
                supply_line = vec![0; n];
                header = Some((line, n, m));
            }
            "n" | "a" => {
                let (_, n, _) = header
                    .ok_or_else(|| err(line, format!("'{kind}' line before the 'p' line")))?;
                let node = |what: &str, tok: Option<&str>| -> Result<u32, McfError> {
                    let id: u64 = number(line, what, tok)?;
                    if id == 0 || id > n as u64 {
                        return Err(err(line, format!("{what} {id} outside 1..={n}")));
                    }
                    Ok((id - 1) as u32)
                };
                if kind == "n" {
                    let v = node("node id", toks.next())?;
                    let s: i64 = number(line, "supply", toks.next())?;
                    let prev = supply_line[v as usize];
                    if prev != 0 {
                        return Err(err(
                            line,
                            format!("node {} already has an 'n' line (line {prev})", v + 1),
                        ));
                    }
                    supply_line[v as usize] = line;
                    out.problem.supply[v as usize] = s;
                } else {
                    let u = node("tail", toks.next())?;
                    let v = node("head", toks.next())?;
                    let low: i64 = number(line, "lower bound", toks.next())?;
                    let cap: i64 = number(line, "capacity", toks.next())?;
                    let cost: i64 = number(line, "cost", toks.next())?;
                    if low != 0 {
                        return Err(err(
                            line,
                            format!(
                                "lower bound {low} is not supported (only 0; move it into the \
                                 supplies)"
                            ),
                        ));
                    }
                    if cap < 0 {
                        return Err(err(line, format!("negative capacity {cap}")));
                    }
                    out.problem.add_arc(u, v, cap, cost);
                }
            }
            other => {
                return Err(err(
                    line,
                    format!("unknown line kind {other:?} (expected c, p, n or a)"),
                ))
            }
        }
        if let Some(extra) = toks.next() {
            return Err(err(line, format!("unexpected extra field {extra:?}")));
        }
    }
    let (pline, _, m) = header.ok_or_else(|| err(0, "no 'p min' line"))?;
    if out.problem.num_arcs() != m {
        return Err(err(
            pline,
            format!(
                "the 'p' line declares {m} arcs but the file has {}",
                out.problem.num_arcs()
            ),
        ));
    }
    Ok(out)
}

/// Reads a DIMACS min-cost-flow file from `reader` (see [`parse_dimacs`]).
///
/// # Errors
/// [`McfError::Io`] when reading fails or the input is not UTF-8; otherwise as [`parse_dimacs`].
pub fn read_dimacs<R: Read>(mut reader: R) -> Result<DimacsFile, McfError> {
    let mut text = String::new();
    reader.read_to_string(&mut text)?;
    parse_dimacs(&text)
}

/// Writes `problem` in DIMACS min-cost-flow form: the `comments` first (one `c` line per line of
/// each comment), then `p min`, `n` lines for the non-zero supplies and one `a` line per arc with
/// lower bound 0. Node `v` is written as `v + 1`.
///
/// # Errors
/// [`McfError::Io`] when writing fails.
///
/// # Complexity
/// `O(n + m)`.
pub fn write_dimacs<W: Write, S: AsRef<str>>(
    writer: W,
    problem: &Problem,
    comments: &[S],
) -> Result<(), McfError> {
    let mut w = BufWriter::new(writer);
    for c in comments {
        for l in c.as_ref().split('\n') {
            if l.is_empty() {
                writeln!(w, "c")?;
            } else {
                writeln!(w, "c {l}")?;
            }
        }
    }
    writeln!(w, "p min {} {}", problem.num_nodes, problem.num_arcs())?;
    for (v, &s) in problem.supply.iter().enumerate() {
        if s != 0 {
            writeln!(w, "n {} {s}", v + 1)?;
        }
    }
    for a in 0..problem.num_arcs() {
        writeln!(
            w,
            "a {} {} 0 {} {}",
            problem.from[a] as u64 + 1,
            problem.to[a] as u64 + 1,
            problem.capacity[a],
            problem.cost[a]
        )?;
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOY: &str =
        "c toy\nc node 1 alice\np min 3 3\nn 1 4\nn 3 -4\na 1 2 0 5 1\na 2 3 0 5 1\na 1 3 0 2 5\n";

    #[test]
    fn round_trip() {
        let f = parse_dimacs(TOY).unwrap();
        assert_eq!(f.comments, vec!["toy", "node 1 alice"]);
        assert_eq!(f.problem.num_nodes, 3);
        assert_eq!(f.problem.supply, vec![4, 0, -4]);
        assert_eq!(f.problem.from, vec![0, 1, 0]);
        assert_eq!(f.problem.cost, vec![1, 1, 5]);
        let mut buf = Vec::new();
        write_dimacs(&mut buf, &f.problem, &f.comments).unwrap();
        assert_eq!(String::from_utf8(buf).unwrap(), TOY);
    }

    fn line_of(text: &str) -> usize {
        match parse_dimacs(text).unwrap_err() {
            McfError::Parse { line, .. } => line,
            e => panic!("not a parse error: {e}"),
        }
    }

    #[test]
    fn errors_name_the_line() {
        assert_eq!(line_of("p min 2 1\na 1 3 0 1 1\n"), 2);
        assert_eq!(line_of("c x\np min 2 1\nn 1 1\nn 1 2\n"), 4);
        assert_eq!(line_of("p min 2 1\na 1 2 1 1 1\n"), 2);
        assert_eq!(line_of("p min 2 1\na 1 2 0 -1 1\n"), 2);
        assert_eq!(line_of("p min 2 1\na 1 2 0 x 1\n"), 2);
        assert_eq!(line_of("p min 2 1\na 1 2 0 1\n"), 2);
        assert_eq!(line_of("p min 2 1\na 1 2 0 1 1 9\n"), 2);
        assert_eq!(line_of("a 1 2 0 1 1\n"), 1);
        assert_eq!(line_of("p max 2 1\n"), 1);
        assert_eq!(line_of("p min 2 1\np min 2 1\n"), 2);
        assert_eq!(line_of("\n\np min 2 2\na 1 2 0 1 1\n"), 3);
        assert_eq!(line_of("x\n"), 1);
        assert_eq!(line_of("c only comments\n"), 0);
    }

    #[test]
    fn lower_bound_message_is_clear() {
        let e = parse_dimacs("p min 2 1\na 1 2 3 5 1\n").unwrap_err();
        assert!(
            e.to_string().contains("lower bound 3 is not supported"),
            "{e}"
        );
    }

    #[test]
    fn multi_line_comments_are_split() {
        let p = Problem::new(1);
        let mut buf = Vec::new();
        write_dimacs(&mut buf, &p, &["a\nb", ""]).unwrap();
        assert_eq!(String::from_utf8(buf).unwrap(), "c a\nc b\nc\np min 1 0\n");
    }
}
