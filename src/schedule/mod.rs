//! schedule (placeholder, filled by its owner).
