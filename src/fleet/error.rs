//! Errors of the fleet layer: [`FleetError`] for the fleet as a whole (bad kubeconfig, bad
//! Fleet file, bad selection, bad inputs) and [`MemberError`] for one member (unreachable,
//! timed out, API error). Every message is one line and names the file, field or cluster.

use std::path::PathBuf;
use std::time::Duration;

/// An error that stops a fleet operation as a whole.
#[derive(Debug, thiserror::Error)]
pub enum FleetError {
    /// A kubeconfig file could not be read or parsed.
    #[error("kubeconfig {path}: {message}")]
    Kubeconfig { path: PathBuf, message: String },
    /// No kubeconfig at all.
    #[error("no kubeconfig found: set KUBECONFIG, pass --kubeconfig, or create ~/.kube/config")]
    NoKubeconfig,
    /// The Fleet file is invalid; `field` is the path inside the file.
    #[error("fleet file {path}: {field}: {message}")]
    FleetFile {
        path: PathBuf,
        field: String,
        message: String,
    },
    /// `--clusters` / `--cluster-selector` / Fleet file selection problems.
    #[error("{0}")]
    Selection(String),
    /// Bad operation input (a Deployment without policy, a missing workload, ...).
    #[error("{0}")]
    Input(String),
    /// The operation would change a member that cannot be reached; `reason` starts with
    /// `unreachable: ` ([`MemberError::unreachable_reason`]).
    #[error("member {member} is {reason}; refusing to change it (allow with --allow-unreachable)")]
    Unreachable { member: String, reason: String },
    /// An existing object is in the way (conflictResolution Abort).
    #[error("{member}: {object} exists and is not managed by kubectl-fleet (conflictResolution Abort; use Overwrite to adopt it)")]
    Conflict { member: String, object: String },
    /// Another writer holds the workload's write lock (see `fleet::lock`).
    #[error("deployment {workload} is locked by {holder} ({command}, since {since}); waited {}: retry when it is done or raise --lock-timeout; if that writer is known to be dead, --force-unlock takes the lock", humantime::format_duration(*.waited))]
    Locked {
        workload: String,
        holder: String,
        command: String,
        since: String,
        waited: Duration,
    },
    /// The write lock could not be taken for another reason (no majority reachable).
    #[error("cannot lock deployment {workload}: {reason}")]
    LockUnavailable { workload: String, reason: String },
    /// The operation was cancelled between members.
    #[error("cancelled")]
    Cancelled,
    /// The fleet did not get where the operation needs it in time (a rollout step not Ready
    /// by `--timeout`): a runtime condition, not bad input (exit 1).
    #[error("{0}")]
    NotReady(String),
    /// Any other failure at run time the fleet layer describes in one line (a rollout record
    /// no member would take, a record another writer changed meanwhile, a step that failed,
    /// a stored record that cannot be read): not bad input (exit 1). Code that decides on
    /// the error's type (`Input`: "not managed, no record") never sees these as input.
    #[error("{0}")]
    Runtime(String),
    /// A member failed during an operation that needs it.
    #[error("{member}: {source}")]
    Member {
        member: String,
        #[source]
        source: MemberError,
    },
}

/// An error of one member; the member's name is carried next to it by the caller.
#[derive(Debug, Clone, thiserror::Error)]
pub enum MemberError {
    /// The member's kubeconfig entry is unusable (missing cluster, user, bad certificate...).
    #[error("kubeconfig: {0}")]
    Config(String),
    /// The per-member timeout elapsed.
    #[error("timed out after {}", humantime::format_duration(*.0))]
    Timeout(Duration),
    /// Connection refused, DNS, TLS... the member cannot be reached.
    #[error("unreachable: {0}")]
    Unreachable(String),
    /// The API server answered with an error status.
    #[error("{reason} ({code}): {message}")]
    Api {
        code: u16,
        reason: String,
        message: String,
    },
    /// Anything else (bad response body, ...).
    #[error("{0}")]
    Other(String),
}

impl MemberError {
    /// True when the member could not be reached at all (as opposed to answering with an error).
    pub fn is_unreachable(&self) -> bool {
        matches!(
            self,
            MemberError::Unreachable(_) | MemberError::Timeout(_) | MemberError::Config(_)
        )
    }

    /// Why the member is treated as unreachable, always starting with `unreachable: ` once
    /// (an [`MemberError::Unreachable`] already says it; others get the prefix).
    pub fn unreachable_reason(&self) -> String {
        match self {
            MemberError::Unreachable(_) => self.to_string(),
            other => format!("unreachable: {other}"),
        }
    }

    /// True for a 404 answer.
    pub fn is_not_found(&self) -> bool {
        matches!(self, MemberError::Api { code: 404, .. })
    }

    /// The HTTP status code of an API error.
    pub fn code(&self) -> Option<u16> {
        match self {
            MemberError::Api { code, .. } => Some(*code),
            _ => None,
        }
    }
}

/// First line of a message: kube and YAML errors can be multi-line snippets.
pub(crate) fn one_line(message: impl std::fmt::Display) -> String {
    let text = message.to_string();
    let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    line.trim().to_string()
}

impl From<kube::Error> for MemberError {
    fn from(err: kube::Error) -> Self {
        match err {
            kube::Error::Api(status) => MemberError::Api {
                code: status.code,
                reason: if status.reason.is_empty() {
                    "Error".to_string()
                } else {
                    status.reason.clone()
                },
                message: one_line(&status.message),
            },
            kube::Error::HyperError(e) => MemberError::Unreachable(one_line(source_chain(&e))),
            kube::Error::Service(e) => MemberError::Unreachable(one_line(source_chain(&*e))),
            kube::Error::InferConfig(e) => MemberError::Config(one_line(e)),
            kube::Error::Auth(e) => MemberError::Config(one_line(e)),
            other => MemberError::Other(one_line(source_chain(&other))),
        }
    }
}

/// "outer: inner: innermost" for errors whose Display hides the cause (hyper, tower).
fn source_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![err.to_string()];
    let mut cur = err.source();
    while let Some(e) = cur {
        let s = e.to_string();
        if !parts.iter().any(|p| p.contains(&s)) {
            parts.push(s);
        }
        cur = e.source();
    }
    parts.join(": ")
}
