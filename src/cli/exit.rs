//! Exit codes, in one place, and the one-line error rendering.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success |
//! | 1 | runtime or API error (a member unreachable, the server refused, ...) |
//! | 2 | bad input or usage (unknown flag, unreadable/invalid file, unknown cluster) |
//! | 3 | the plan leaves replicas unplaced (`plan`, `apply`, `scale`) |

use std::fmt;

/// What the process exits with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// 0: everything worked.
    Success,
    /// 1: runtime or API error.
    Failure,
    /// 2: bad input or usage.
    Usage,
    /// 3: the plan leaves replicas unplaced.
    Unplaced,
}

impl ExitStatus {
    /// The numeric process exit code.
    pub fn code(self) -> i32 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Failure => 1,
            ExitStatus::Usage => 2,
            ExitStatus::Unplaced => 3,
        }
    }
}

/// An error caused by the user's input (flags, files, names). Exits 2.
#[derive(Debug)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// Build an [`anyhow::Error`] that exits 2.
pub fn usage(msg: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(UsageError(msg.into()))
}

/// Which exit status an error maps to.
pub fn classify(err: &anyhow::Error) -> ExitStatus {
    for cause in err.chain() {
        if cause.is::<UsageError>() {
            return ExitStatus::Usage;
        }
        if cause.is::<crate::policy::PolicyError>() {
            return ExitStatus::Usage;
        }
        if let Some(fe) = cause.downcast_ref::<crate::fleet::FleetError>() {
            use crate::fleet::FleetError as F;
            return match fe {
                F::Kubeconfig { .. }
                | F::NoKubeconfig
                | F::FleetFile { .. }
                | F::Selection(_)
                | F::Input(_) => ExitStatus::Usage,
                _ => ExitStatus::Failure,
            };
        }
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::BrokenPipe {
                return ExitStatus::Success;
            }
        }
    }
    ExitStatus::Failure
}

/// The error as one line: its causes joined with `: `, newlines folded, repeated causes
/// (errors that already print their source) dropped.
pub fn one_line(err: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.is_empty() || line.contains(&text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context as _;

    #[test]
    fn usage_errors_exit_2_even_when_wrapped() {
        let err = Err::<(), _>(usage("unknown cluster \"x\""))
            .context("selecting members")
            .unwrap_err();
        assert_eq!(classify(&err), ExitStatus::Usage);
        assert_eq!(one_line(&err), "selecting members: unknown cluster \"x\"");
    }

    #[test]
    fn other_errors_exit_1_and_broken_pipe_exits_0() {
        assert_eq!(classify(&anyhow::anyhow!("boom")), ExitStatus::Failure);
        let pipe = anyhow::Error::new(std::io::Error::from(std::io::ErrorKind::BrokenPipe));
        assert_eq!(classify(&pipe), ExitStatus::Success);
    }

    #[test]
    fn fleet_runtime_failures_exit_1_and_fleet_input_exits_2() {
        use crate::fleet::FleetError;
        for e in [
            FleetError::Runtime("cannot record the rollout state".into()),
            FleetError::NotReady("step 1/2 is not ready".into()),
        ] {
            assert_eq!(classify(&anyhow::Error::new(e)), ExitStatus::Failure);
        }
        let input = anyhow::Error::new(FleetError::Input("revision 99".into()));
        assert_eq!(classify(&input), ExitStatus::Usage);
    }

    #[test]
    fn multi_line_messages_fold_into_one_line() {
        let err = anyhow::anyhow!("line one\n  line two");
        assert_eq!(one_line(&err), "line one line two");
    }
}
