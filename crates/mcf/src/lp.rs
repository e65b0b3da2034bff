//! The LP backend (`"lp"`, cargo feature `lp`): the min-cost-flow linear program solved by CBC
//! through good_lp.
//!
//! One continuous variable `0 <= f_a <= capacity_a` per arc, one equality per node
//! (`Σ out − Σ in = supply`), objective `min Σ cost_a f_a`. The constraint matrix is a network
//! matrix (totally unimodular), so the simplex method ends on an integral vertex; the values are
//! rounded to the nearest integer and the rounded flow is checked for feasibility before it is
//! returned. An independent check of the native backend: it shares no code with it. It returns no
//! potentials.

use crate::maxflow::max_flow;
use crate::problem::{McfError, McfSolver, Problem, Solution};
use good_lp::{
    coin_cbc, variable, Expression, ProblemVariables, ResolutionError, Solution as _, SolverModel,
};

/// Largest magnitude represented exactly by `f64` (2^53): costs, capacities and supplies beyond it
/// are refused rather than solved approximately.
const EXACT_F64: i64 = 1 << 53;

/// The LP backend. Stateless.
#[derive(Debug, Default, Clone, Copy)]
pub struct LpSolver;

impl LpSolver {
    /// A new LP backend.
    pub fn new() -> Self {
        LpSolver
    }
}

fn backend(reason: impl Into<String>) -> McfError {
    McfError::Backend {
        backend: "lp",
        reason: reason.into(),
    }
}

impl McfSolver for LpSolver {
    fn name(&self) -> &'static str {
        "lp"
    }

    /// # Complexity
    /// Building the model is `O(n + m)`; CBC's dual simplex has no useful polynomial bound (it is
    /// exponential in the worst case and typically a few hundred milliseconds to seconds on
    /// 300,000 arcs).
    fn solve(&mut self, problem: &Problem) -> Result<Solution, McfError> {
        problem.validate()?;
        let too_big = problem
            .cost
            .iter()
            .chain(&problem.capacity)
            .chain(&problem.supply)
            .any(|x| x.unsigned_abs() > EXACT_F64 as u64);
        if too_big {
            return Err(backend(
                "a cost, capacity or supply exceeds 2^53 and is not exact in f64",
            ));
        }
        let m = problem.num_arcs();
        let mut vars = ProblemVariables::new();
        let f: Vec<_> = (0..m)
            .map(|a| vars.add(variable().min(0.0).max(problem.capacity[a] as f64)))
            .collect();
        let mut objective = Expression::with_capacity(m);
        let mut balance: Vec<Expression> = vec![Expression::default(); problem.num_nodes];
        for a in 0..m {
            objective.add_mul(problem.cost[a] as f64, f[a]);
            if problem.from[a] != problem.to[a] {
                balance[problem.from[a] as usize].add_mul(1.0, f[a]);
                balance[problem.to[a] as usize].add_mul(-1.0, f[a]);
            }
        }
        let mut model = vars.minimise(objective).using(coin_cbc);
        model.set_parameter("log", "0");
        for (v, expr) in balance.into_iter().enumerate() {
            model.add_constraint(expr.eq(problem.supply[v] as f64));
        }
        let solution = match model.solve() {
            Ok(s) => s,
            Err(ResolutionError::Infeasible) => {
                return Err(McfError::Infeasible {
                    max_flow: max_flow(problem)?,
                    required: problem.total_supply(),
                })
            }
            Err(e) => return Err(backend(e.to_string())),
        };
        let flow: Vec<i64> = f
            .iter()
            .map(|&x| solution.value(x).round() as i64)
            .collect();
        problem
            .check_feasible(&flow)
            .map_err(|e| backend(format!("rounded LP solution is not a feasible flow: {e}")))?;
        let cost = problem.flow_cost(&flow)?;
        Ok(Solution {
            flow,
            cost,
            potentials: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solves_a_small_problem() {
        let mut p = Problem::new(4);
        p.add_arc(0, 1, 1, 1);
        p.add_arc(1, 2, 1, 1);
        p.add_arc(2, 3, 1, 1);
        p.add_arc(0, 2, 1, 5);
        p.add_arc(1, 3, 1, 5);
        p.set_single_pair(0, 3, 2);
        let s = LpSolver::new().solve(&p).unwrap();
        assert_eq!(s.cost, 12);
        assert_eq!(p.check_feasible(&s.flow), Ok(()));
    }

    #[test]
    fn infeasible_reports_max_flow() {
        let mut p = Problem::new(3);
        p.add_arc(0, 1, 5, 1);
        p.add_arc(1, 2, 3, 1);
        p.set_single_pair(0, 2, 4);
        assert_eq!(
            LpSolver::new().solve(&p),
            Err(McfError::Infeasible {
                max_flow: 3,
                required: 4
            })
        );
    }
}
