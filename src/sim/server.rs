//! HTTP serving: one API server per simulated cluster (closing its listener while the cluster
//! is Down and re-binding the same port on Up) and the fleet's admin server (`/clusters`,
//! `/faults`), documented in `docs/simulator-api.md`.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio::sync::watch;

use super::cluster::ClusterCtx;
use super::store::Kind;
use super::{Fault, FleetShared};

async fn wait_true(rx: &mut watch::Receiver<bool>) {
    if rx.wait_for(|v| *v).await.is_err() {
        std::future::pending::<()>().await;
    }
}

async fn bind_retry(addr: SocketAddr, shutdown: &mut watch::Receiver<bool>) -> Option<TcpListener> {
    loop {
        if let Ok(l) = TcpListener::bind(addr).await {
            return Some(l);
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_millis(100)) => {}
            _ = wait_true(shutdown) => return None,
        }
    }
}

/// Serves one cluster's API until shutdown, honouring the Down/Up fault.
pub(crate) async fn serve_cluster(
    ctx: Arc<ClusterCtx>,
    listener: TcpListener,
    tls: super::tls::FleetTls,
    router: Router,
    mut shutdown: watch::Receiver<bool>,
) {
    let addr = listener
        .local_addr()
        .expect("bound listener has an address");
    let mut listener = Some(listener);
    let mut down = ctx.faults.down_watch();
    loop {
        if *shutdown.borrow() {
            return;
        }
        if ctx.faults.is_down() {
            drop(listener.take());
            tokio::select! {
                r = down.wait_for(|d| !*d) => if r.is_err() { return },
                _ = wait_true(&mut shutdown) => return,
            }
            continue;
        }
        let l = match listener.take() {
            Some(l) => l,
            None => match bind_retry(addr, &mut shutdown).await {
                Some(l) => l,
                None => return,
            },
        };
        let mut d2 = down.clone();
        let mut s2 = shutdown.clone();
        let signal = async move {
            tokio::select! {
                _ = wait_true(&mut d2) => {}
                _ = wait_true(&mut s2) => {}
            }
        };
        let Ok(l) = super::tls::DualListener::new(l, &tls) else {
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        };
        let _ = axum::serve(l, router.clone())
            .with_graceful_shutdown(signal)
            .await;
    }
}

/// Body of `POST /faults`.
#[derive(Debug, Deserialize)]
struct FaultRequest {
    cluster: String,
    fault: Fault,
}

fn admin_error(code: StatusCode, msg: String) -> Response {
    (code, Json(json!({"error": msg}))).into_response()
}

async fn post_fault(State(fleet): State<Arc<FleetShared>>, body: axum::body::Bytes) -> Response {
    let req: FaultRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => {
            return admin_error(
                StatusCode::BAD_REQUEST,
                format!("invalid fault request: {e}"),
            )
        }
    };
    match fleet.fault(&req.cluster, req.fault.clone()) {
        Ok(()) => Json(json!({"cluster": req.cluster, "applied": req.fault})).into_response(),
        Err(e @ super::SimError::UnknownCluster(_)) => {
            admin_error(StatusCode::NOT_FOUND, e.to_string())
        }
        Err(e) => admin_error(StatusCode::BAD_REQUEST, e.to_string()),
    }
}

async fn post_load(State(fleet): State<Arc<FleetShared>>, body: axum::body::Bytes) -> Response {
    match serde_json::from_slice::<super::load::Demand>(&body) {
        Ok(d) if d.deployment.is_empty() => admin_error(
            StatusCode::BAD_REQUEST,
            "invalid load request: deployment is required".into(),
        ),
        Ok(d)
            if d.cluster
                .as_ref()
                .is_some_and(|c| !fleet.clusters.iter().any(|e| &e.ctx.name == c)) =>
        {
            admin_error(
                StatusCode::BAD_REQUEST,
                format!(
                    "invalid load request: cluster {:?} is not a member of the simulated fleet",
                    d.cluster.as_deref().unwrap_or_default()
                ),
            )
        }
        Ok(d) => {
            fleet.load.set(d.clone());
            Json(json!({"applied": d})).into_response()
        }
        Err(e) => admin_error(
            StatusCode::BAD_REQUEST,
            format!("invalid load request: {e}"),
        ),
    }
}

async fn get_load(State(fleet): State<Arc<FleetShared>>) -> Response {
    Json(json!({"demands": fleet.load.demands()})).into_response()
}

fn cluster_info(fleet: &FleetShared, i: usize) -> Value {
    let c = &fleet.clusters[i];
    let f = &c.ctx.faults;
    let counts: serde_json::Map<String, Value> = Kind::ALL
        .iter()
        .map(|k| (k.plural().to_string(), json!(c.ctx.store.count(*k, None))))
        .collect();
    json!({
        "name": c.ctx.name,
        "server": format!("https://127.0.0.1:{}", c.port),
        "down": f.is_down(),
        "latencyMs": f.latency_ms(),
        "errorRate": f.error_rate(),
        "noMetrics": f.no_metrics(),
        "resourceVersion": c.ctx.store.resource_version().to_string(),
        "objects": counts,
    })
}

async fn get_clusters(State(fleet): State<Arc<FleetShared>>) -> Response {
    let list: Vec<Value> = (0..fleet.clusters.len())
        .map(|i| cluster_info(&fleet, i))
        .collect();
    Json(json!({"clusters": list})).into_response()
}

async fn get_cluster(
    State(fleet): State<Arc<FleetShared>>,
    axum::extract::Path(name): axum::extract::Path<String>,
) -> Response {
    match fleet.clusters.iter().position(|c| c.ctx.name == name) {
        Some(i) => Json(cluster_info(&fleet, i)).into_response(),
        None => admin_error(StatusCode::NOT_FOUND, format!("unknown cluster {name:?}")),
    }
}

/// The admin router of the fleet.
pub(crate) fn admin_router(fleet: Arc<FleetShared>) -> Router {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/clusters", get(get_clusters))
        .route("/clusters/{name}", get(get_cluster))
        .route("/faults", post(post_fault))
        .route("/load", post(post_load).get(get_load))
        .with_state(fleet)
}

/// Serves the admin API until shutdown.
pub(crate) async fn serve_admin(
    listener: TcpListener,
    router: Router,
    mut shutdown: watch::Receiver<bool>,
) {
    let _ = axum::serve(listener, router)
        .with_graceful_shutdown(async move { wait_true(&mut shutdown).await })
        .await;
}
