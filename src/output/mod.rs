//! Output: everything kubectl-fleet prints on stdout goes through here.
//!
//! - [`table`]: kubectl-look tables (uppercase headers, left aligned, columns separated by
//!   three spaces, no borders), with optional per-cell colour that never changes alignment.
//! - [`format`]: `-o json|yaml|name|wide` handling; lists are printed as a kubectl `List`.
//! - [`plan`] and [`applied`]: the plan (summary or per-workload tables) and the closing lines
//!   of an apply.
//! - [`color`]: the colour policy (`--color auto|always|never`, `NO_COLOR`, TTY detection).

pub mod age;
pub mod applied;
pub mod autoscaler;
pub mod color;
pub mod describe;
pub mod diff;
pub mod format;
pub mod jsonpath;
pub mod objects;
pub mod plan;
pub mod report;
pub mod rollout;
pub mod table;
pub mod top;

pub use color::{ColorChoice, Paint, Styler};
pub use format::{list_document, to_json, to_name, to_yaml, OutputFormat};
pub use table::{Cell, Table};
