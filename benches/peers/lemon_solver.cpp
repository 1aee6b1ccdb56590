// Solves DIMACS minimum-cost flow files with LEMON's network simplex and
// prints, per file, "FILE COST MICROSECONDS" (COST is "infeasible" when no
// feasible flow exists). The time covers NetworkSimplex::run() only, not
// reading the file. Built by benches/peers/run.py.
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
        NetworkSimplex<SmartDigraph, long long, long long> ns(g);
        ns.lowerMap(lower).upperMap(capacity).costMap(cost).supplyMap(supply);
        auto start = std::chrono::steady_clock::now();
        auto result = ns.run();
        auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::steady_clock::now() - start).count();
        if (result == NetworkSimplex<SmartDigraph, long long, long long>::OPTIMAL) {
            std::cout << argv[i] << " " << ns.totalCost() << " " << micros << "\n";
        } else {
            std::cout << argv[i] << " infeasible " << micros << "\n";
        }
    }
    return 0;
}
