//! sim (placeholder, filled by its owner).
