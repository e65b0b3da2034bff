// lemon_mcf: solve one DIMACS min-cost-flow file with LEMON (Debian liblemon-dev) and print one
// JSON line {"status","cost","solve_ms"} like `pickhardt mcf solve --json`.
//
//   g++ -O2 -std=c++17 -o lemon_mcf benches/scripts/lemon_mcf.cpp -llemon
//   ./lemon_mcf FILE.min [--algo ns|cs] [--repeat N]
//
// solve_ms is the median over N repetitions of constructing the solver on the already-built
// graph, setting the maps and run() (parsing and graph building are excluded, as in pickhardt).
// ns = NetworkSimplex (block search pivot, LEMON's default), cs = CostScaling.
#include <lemon/cost_scaling.h>
#include <lemon/dimacs.h>
#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

using namespace lemon;
typedef long long V;
typedef SmartDigraph G;

template <typename Solver>
static const char* run(Solver& s, const G::ArcMap<V>& lower, const G::ArcMap<V>& cap,
                       const G::ArcMap<V>& cost, const G::NodeMap<V>& sup, V* total) {
  s.lowerMap(lower).upperMap(cap).costMap(cost).supplyMap(sup);
  typename Solver::ProblemType r = s.run();
  if (r == Solver::OPTIMAL) {
    *total = s.template totalCost<V>();
    return "OPTIMAL";
  }
  return r == Solver::INFEASIBLE ? "INFEASIBLE" : "UNBOUNDED";
}

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE.min [--algo ns|cs] [--repeat N]\n", argv[0]);
    return 2;
  }
  std::string algo = "ns";
  int repeat = 1;
  for (int i = 2; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--algo")) algo = argv[i + 1];
    else if (!std::strcmp(argv[i], "--repeat")) repeat = std::max(1, std::atoi(argv[i + 1]));
    else {
      std::fprintf(stderr, "error: unknown option %s\n", argv[i]);
      return 2;
    }
  }
  std::ifstream in(argv[1]);
  if (!in) {
    std::fprintf(stderr, "error: cannot open %s\n", argv[1]);
    return 2;
  }
  G g;
  G::ArcMap<V> lower(g), cap(g), cost(g);
  G::NodeMap<V> sup(g);
  readDimacsMin(in, g, lower, cap, cost, sup);
  std::vector<double> times;
  const char* status = "";
  V total = 0;
  for (int k = 0; k < repeat; ++k) {
    auto t0 = std::chrono::steady_clock::now();
    if (algo == "cs") {
      CostScaling<G, V, V> s(g);
      status = run(s, lower, cap, cost, sup, &total);
    } else {
      NetworkSimplex<G, V, V> s(g);
      status = run(s, lower, cap, cost, sup, &total);
    }
    auto t1 = std::chrono::steady_clock::now();
    times.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
  }
  std::sort(times.begin(), times.end());
  double med = times[times.size() / 2];
  if (!std::strcmp(status, "OPTIMAL"))
    std::printf("{\"status\":\"%s\",\"cost\":%lld,\"solve_ms\":%.6f}\n", status, total, med);
  else
    std::printf("{\"status\":\"%s\",\"cost\":null,\"solve_ms\":%.6f}\n", status, med);
  return 0;
}
