//! output (placeholder, filled by its owner).
