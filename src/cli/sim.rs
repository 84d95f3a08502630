//! `kubectl fleet sim up|fault` (placeholder, filled by the simulator owner).
