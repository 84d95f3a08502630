//! fleet: the I/O edge between the pure core and the member clusters.
//!
//! Owns membership (kubeconfig + optional Fleet file → [`Fleet`] of [`Member`]s, each with a
//! lazily built `kube::Client`), concurrent fan-out with per-member timeouts
//! ([`Fleet::for_each`]), reads ([`read_snapshots`]: nodes, lean pods, priority classes,
//! Deployments, cordon state, capacity-provider pools), planning ([`plan`] → [`FleetPlan`]),
//! applying a plan make-before-break ([`apply()`]), the `get`/`clusters` views, scale, delete
//! and cordon state. Everything kubectl-fleet remembers lives in the members ([`state`],
//! docs/state.md): no hub, no local state file.
//!
//! Operations return structured reports; nothing here prints. Credentials never appear in
//! errors, `Debug` output or logs.

pub mod apply;
pub mod autoscale;
pub mod describe;
pub mod diff;
pub mod drain;
pub mod error;
pub mod events;
pub mod fanout;
pub mod fleetfile;
pub mod lock;
pub mod membership;
pub mod ops;
pub mod plan;
pub mod providers;
pub mod read;
pub mod rebalance;
pub mod reconcile;
pub mod rollout;
pub mod selector;
pub mod state;
pub mod top;
pub mod torn;
pub mod views;
pub mod write;

pub use apply::{
    apply, ApplyOptions, ApplyProgress, ApplyReport, ChangeAction, DryRun, MemberChange,
    ProgressFn, ReportCounts, WorkloadReport,
};
pub use error::{FleetError, MemberError};
pub use events::{get_events, EventRow, ObjectRef};
pub use fanout::MemberResult;
pub use fleetfile::{CapacityProvider, FleetFile, MemberSpec, PoolSpec, TaintSpec};
pub use lock::{lock_workload, lock_workloads, Fence, LockOptions, WorkloadLock, WorkloadLocks};
pub use membership::{load_kubeconfig, Fleet, Member, MembershipOptions};
pub use ops::{
    cordon, delete, plan_scale, read_cordon, uncordon, write_cordon, DeleteAction, DeleteChange,
    DeleteOptions, DeleteReport,
};
pub use plan::{
    clean_deployment, managed_workloads, plan, plan_managed, plan_with, stored_policy, ApplySpec,
    ConflictResolution, FleetPlan, Inputs, Placement, PlanChange, PlanNote, PlanOptions, Tiers,
    WorkloadPlan,
};
pub use read::{
    read_member, read_snapshots, DeploymentState, MemberSnapshot, MemberState, ReadOptions,
};
pub use selector::LabelSelector;
pub use state::CordonState;
pub use views::{
    clusters, get_deployments, get_nodes, get_pods, Adoption, ClusterRow, DeploymentTotals,
    DeploymentsView, FleetView, MemberDeploymentRow, MemberFailure, NodeRow, PodRow, Usage,
};
