// Solves DIMACS minimum-cost flow files with LEMON's network simplex and
// prints, per file, "FILE COST MICROSECONDS" (COST is "infeasible" when no
// feasible flow exists). The time covers building the solver and
// NetworkSimplex::run(), as xuncha's time covers its solve(); reading the
// file is not counted. Built by benches/peers/run.py.
#include <chrono>
#include <fstream>
#include <iostream>
#include <lemon/dimacs.h>
#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>

int main(int argc, char** argv) {
    using namespace lemon;
    for (int i = 1; i < argc; ++i) {
        std::ifstream in(argv[i]);
        SmartDigraph g;
        SmartDigraph::ArcMap<long long> lower(g), capacity(g), cost(g);
        SmartDigraph::NodeMap<long long> supply(g);
        readDimacsMin(in, g, lower, capacity, cost, supply);
        // Timed like xuncha's solve(): setting up the solver (its arrays)
        // and running it; reading the file is not counted. Best of seven, as
        // xuncha is timed.
        long long nanos = -1;
        bool optimal = false;
        long long total = 0;
        for (int run = 0; run < 7; ++run) {
            auto start = std::chrono::steady_clock::now();
            NetworkSimplex<SmartDigraph, long long, long long> ns(g);
            ns.lowerMap(lower).upperMap(capacity).costMap(cost).supplyMap(supply);
            auto result = ns.run();
            long long t = std::chrono::duration_cast<std::chrono::nanoseconds>(
                              std::chrono::steady_clock::now() - start).count();
            if (nanos < 0 || t < nanos) nanos = t;
            optimal = result == NetworkSimplex<SmartDigraph, long long, long long>::OPTIMAL;
            if (optimal) total = ns.totalCost();
        }
        if (optimal) {
            std::cout << argv[i] << " " << total << " " << nanos / 1000.0 << "\n";
        } else {
            std::cout << argv[i] << " infeasible " << nanos / 1000.0 << "\n";
        }
    }
    return 0;
}
