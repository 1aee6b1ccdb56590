//! The solvers against brute force and each other, and the petgraph
//! adapter against the crate's own network type.

mod graphs;
mod solvers;
