//! capacity (placeholder, filled by its owner).
