//! `watch=true` streams: newline-delimited `WatchEvent` JSON, replayed from the store's
//! history after the requested resourceVersion (synthetic ADDED events for the current state
//! when none / "0" is given or `sendInitialEvents=true`), BOOKMARKs when allowed, an ERROR
//! event with a 410 Expired Status when the resourceVersion is too old, and the end of the
//! stream after `timeoutSeconds`, when the cluster goes down or the fleet shuts down.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::header;
use axum::response::Response;
use futures::StreamExt;
use serde_json::json;
use tokio::sync::mpsc;

use super::{table, ApiError, Filter, Query, Req, Target};
use crate::sim::store::{parse_rv, EventType, StoredObject};

fn line(event_type: &str, object: &[u8]) -> Bytes {
    let mut b = Vec::with_capacity(object.len() + 32);
    b.extend_from_slice(b"{\"type\":\"");
    b.extend_from_slice(event_type.as_bytes());
    b.extend_from_slice(b"\",\"object\":");
    b.extend_from_slice(object);
    b.extend_from_slice(b"}\n");
    Bytes::from(b)
}

struct Encoder {
    table: Option<Query>,
    kind: crate::sim::store::Kind,
    first: bool,
}

impl Encoder {
    fn event(&mut self, event_type: &str, o: &StoredObject) -> Bytes {
        match &self.table {
            None => line(event_type, &o.bytes),
            Some(q) => {
                let t = table::table(
                    self.kind,
                    &[o.value()],
                    q,
                    None,
                    o.resource_version,
                    Some(self.first),
                );
                self.first = false;
                line(
                    event_type,
                    &serde_json::to_vec(&t).expect("JSON serializes"),
                )
            }
        }
    }

    fn bookmark(&self, rv: u64, initial_end: bool) -> Bytes {
        let mut meta = json!({"resourceVersion": rv.to_string()});
        if initial_end {
            meta["annotations"] = json!({"k8s.io/initial-events-end": "true"});
        }
        let obj = if self.table.is_some() {
            json!({"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": meta, "columnDefinitions": [], "rows": []})
        } else {
            json!({"kind": self.kind.name(), "apiVersion": self.kind.api_version(), "metadata": meta})
        };
        line(
            "BOOKMARK",
            &serde_json::to_vec(&obj).expect("JSON serializes"),
        )
    }
}

fn expired(rv: u64, oldest: u64) -> Bytes {
    let e = ApiError::gone(format!("too old resource version: {rv} ({oldest})"));
    line(
        "ERROR",
        &serde_json::to_vec(&e.to_status()).expect("JSON serializes"),
    )
}

async fn until_true(rx: &mut tokio::sync::watch::Receiver<bool>) {
    if rx.wait_for(|v| *v).await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// Serves one watch request.
pub(crate) async fn serve(req: &Req<'_>, t: &Target) -> Result<Response, ApiError> {
    let filter = Filter::from_req(req, t)?;
    let store = req.st.ctx.store.clone();
    let rv_param = req
        .query
        .get("resourceVersion")
        .unwrap_or_default()
        .to_string();
    let bookmarks = req.query.flag("allowWatchBookmarks");
    let send_initial = req.query.flag("sendInitialEvents");
    let timeout = match req.query.get("timeoutSeconds") {
        Some(s) if !s.is_empty() => {
            Some(Duration::from_secs(s.parse().map_err(|_| {
                ApiError::bad_request(format!("invalid timeoutSeconds {s:?}"))
            })?))
        }
        _ => None,
    };
    let kind = t.kind;
    let mut enc = Encoder {
        table: req.wants_table().then(|| {
            Query::parse(Some(&format!(
                "includeObject={}",
                req.query.get("includeObject").unwrap_or("Metadata")
            )))
        }),
        kind,
        first: true,
    };
    let (initial, start_rv): (Vec<Arc<StoredObject>>, u64) =
        if rv_param.is_empty() || rv_param == "0" || send_initial {
            let (items, rv, _) =
                store.list_page(kind, filter.namespace.as_deref(), None, usize::MAX, |o| {
                    filter.matches(o)
                });
            (items, rv)
        } else {
            let rv = parse_rv(&rv_param).ok_or_else(|| {
                ApiError::bad_request(format!("invalid resourceVersion {rv_param:?}"))
            })?;
            (Vec::new(), rv)
        };
    // With selectors, objects entering the selection are ADDED and objects leaving it are
    // DELETED, like the API server's filtered watches. The set starts from the initial list, or
    // from the current state for watches that resume from a resourceVersion.
    let selective = filter.has_selectors();
    let mut matching: HashSet<(Box<str>, Box<str>)> = HashSet::new();
    if selective {
        let seed = if initial.is_empty() {
            store
                .list_page(kind, filter.namespace.as_deref(), None, usize::MAX, |o| {
                    filter.matches(o)
                })
                .0
        } else {
            initial.clone()
        };
        matching.extend(seed.iter().map(|o| (o.namespace.clone(), o.name.clone())));
    }
    let mut down = req.st.ctx.faults.down_watch();
    let mut shutdown = req.st.shutdown.clone();
    let (tx, rx) = mpsc::channel::<Bytes>(64);
    tokio::spawn(async move {
        let deadline = timeout.map(|d| tokio::time::Instant::now() + d);
        for o in &initial {
            if tx.send(enc.event("ADDED", o)).await.is_err() {
                return;
            }
        }
        drop(initial);
        if send_initial && bookmarks && tx.send(enc.bookmark(start_rv, true)).await.is_err() {
            return;
        }
        let mut rvw = store.rv_watch();
        let mut last = start_rv;
        let mut tick = tokio::time::interval(Duration::from_secs(5));
        tick.tick().await;
        loop {
            rvw.borrow_and_update();
            match store.events_since(last) {
                Err(too_old) => {
                    let _ = tx.send(expired(last, too_old.oldest)).await;
                    return;
                }
                Ok(events) => {
                    for e in events {
                        last = e.rv;
                        if e.object.kind != kind {
                            continue;
                        }
                        let now = filter.matches(&e.object);
                        let ty = if !selective {
                            now.then_some(e.event_type)
                        } else {
                            let key = (e.object.namespace.clone(), e.object.name.clone());
                            let was = matching.contains(&key);
                            match (was, now, e.event_type) {
                                (true, _, EventType::Deleted) | (true, false, _) => {
                                    matching.remove(&key);
                                    Some(EventType::Deleted)
                                }
                                (false, true, EventType::Deleted) => Some(EventType::Deleted),
                                (true, true, t) => Some(t),
                                (false, true, _) => {
                                    matching.insert(key);
                                    Some(EventType::Added)
                                }
                                (false, false, _) => None,
                            }
                        };
                        if let Some(ty) = ty {
                            if tx.send(enc.event(ty.as_str(), &e.object)).await.is_err() {
                                return;
                            }
                        }
                    }
                }
            }
            let sleep = async {
                match deadline {
                    Some(d) => tokio::time::sleep_until(d).await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                r = rvw.changed() => if r.is_err() { return },
                _ = sleep => return,
                _ = tick.tick() => {
                    if bookmarks && tx.send(enc.bookmark(last, false)).await.is_err() {
                        return;
                    }
                }
                _ = until_true(&mut down) => return,
                _ = until_true(&mut shutdown) => return,
                _ = tx.closed() => return,
            }
        }
    });
    let stream =
        tokio_stream::wrappers::ReceiverStream::new(rx).map(Ok::<_, std::convert::Infallible>);
    Ok(Response::builder()
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from_stream(stream))
        .expect("valid response"))
}
