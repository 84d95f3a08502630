//! fleet (placeholder, filled by its owner).
