//! The optimality checker: verifies a [`Solution`] against its [`Problem`] without trusting the
//! solver that produced it.

use crate::problem::{McfError, Problem, Solution};

fn reject(reason: String) -> McfError {
    McfError::CertificateRejected { reason }
}

/// Verifies that `solution` is an optimal flow of `problem`:
///
/// 1. the flow is feasible (length, `0 <= flow <= capacity`, conservation at every node);
/// 2. `solution.cost` equals `Σ flow × cost`;
/// 3. the potentials are a certificate: with reduced cost `rc(a) = cost(a) + π(from) − π(to)`, every
///    arc with `flow < capacity` has `rc >= 0` and every arc with `flow > 0` has `rc <= 0`, i.e. no
///    residual arc has a negative reduced cost. By LP duality (complementary slackness) this proves
///    the flow has least cost.
///
/// # Errors
/// [`McfError::InvalidInput`] / [`McfError::Overflow`] when the problem itself is invalid;
/// [`McfError::CertificateRejected`] naming the first violation (including missing potentials).
///
/// # Complexity
/// `O(n + m)`.
pub fn check_optimality(problem: &Problem, solution: &Solution) -> Result<(), McfError> {
    problem.validate()?;
    problem
        .check_feasible(&solution.flow)
        .map_err(|e| match e {
            McfError::InvalidInput { reason } => reject(format!("infeasible flow: {reason}")),
            other => other,
        })?;
    let cost = problem.flow_cost(&solution.flow)?;
    if cost != solution.cost {
        return Err(reject(format!(
            "reported cost {} but the flow costs {cost}",
            solution.cost
        )));
    }
    let pot = solution
        .potentials
        .as_ref()
        .ok_or_else(|| reject("no potentials to certify optimality".into()))?;
    if pot.len() != problem.num_nodes {
        return Err(reject(format!(
            "{} potentials for {} nodes",
            pot.len(),
            problem.num_nodes
        )));
    }
    for a in 0..problem.num_arcs() {
        let (u, v) = (problem.from[a] as usize, problem.to[a] as usize);
        let rc = problem.cost[a] as i128 + pot[u] as i128 - pot[v] as i128;
        let f = solution.flow[a];
        if f < problem.capacity[a] && rc < 0 {
            return Err(reject(format!(
                "arc {a} ({u} -> {v}) has spare capacity and negative reduced cost {rc}"
            )));
        }
        if f > 0 && rc > 0 {
            return Err(reject(format!(
                "arc {a} ({u} -> {v}) carries flow at positive reduced cost {rc}"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two_routes() -> Problem {
        let mut p = Problem::new(3);
        p.add_arc(0, 1, 2, 1);
        p.add_arc(1, 2, 2, 1);
        p.add_arc(0, 2, 5, 3);
        p.set_single_pair(0, 2, 3);
        p
    }

    fn optimal() -> Solution {
        // Distances from 0 would be 0, 1, 2; with the direct arc used, potential of 2 is 3.
        Solution {
            flow: vec![2, 2, 1],
            cost: 7,
            potentials: Some(vec![0, 1, 3]),
        }
    }

    #[test]
    fn accepts_a_certified_optimum() {
        assert_eq!(check_optimality(&two_routes(), &optimal()), Ok(()));
    }

    #[test]
    fn rejects_a_suboptimal_flow() {
        let s = Solution {
            flow: vec![1, 1, 2],
            cost: 8,
            potentials: Some(vec![0, 1, 3]),
        };
        let e = check_optimality(&two_routes(), &s).unwrap_err();
        assert!(e.to_string().contains("negative reduced cost"), "{e}");
    }

    #[test]
    fn rejects_wrong_cost_missing_potentials_and_infeasible_flow() {
        let p = two_routes();
        let mut s = optimal();
        s.cost = 6;
        assert!(check_optimality(&p, &s).is_err());
        let mut s = optimal();
        s.potentials = None;
        assert!(check_optimality(&p, &s).is_err());
        let mut s = optimal();
        s.flow[2] = 0;
        s.cost = 4;
        let e = check_optimality(&p, &s).unwrap_err();
        assert!(e.to_string().contains("infeasible"), "{e}");
        let mut s = optimal();
        s.potentials = Some(vec![0, 1]);
        assert!(check_optimality(&p, &s).is_err());
    }
}
