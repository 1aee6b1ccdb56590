//! xuncha-avoid on synthetic rosters: the engine's properties, the index
//! against pairwise checks, CSV round trips.

mod engine;
mod fixtures;
mod index;
mod roster;
