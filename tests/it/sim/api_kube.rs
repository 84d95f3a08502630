//! The simulated API server driven by the kube crate (typed Api, server-side apply, scale,
//! errors, runtime watcher).

use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::{Api, DeleteParams, ListParams, Patch, PatchParams, PostParams};
use kube::runtime::watcher;
use serde_json::json;

use crate::util::*;

fn deployment(replicas: i32) -> serde_json::Value {
    json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "api", "labels": {"app": "api", "tier": "backend"}},
        "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "api"}},
                 "template": {"metadata": {"labels": {"app": "api"}},
                              "spec": {"containers": [{"name": "api", "image": "api:1"}]}}}
    })
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn kube_typed_api_applies_gets_lists_scales_and_deletes() {
    let f = start_fleet(config_of(&["alpha"]));
    runtime().block_on(async {
        let api: Api<Deployment> = Api::namespaced(f.client("alpha").await, "default");
        let pp = PatchParams::apply("kubectl-fleet");
        let d = api
            .patch("api", &pp, &Patch::Apply(deployment(3)))
            .await
            .unwrap();
        assert_eq!(d.spec.replicas, Some(3));
        assert!(d.metadata.uid.is_some());
        let mf = d.metadata.managed_fields.unwrap();
        assert_eq!(mf[0].manager.as_deref(), Some("kubectl-fleet"));
        assert_eq!(mf[0].operation.as_deref(), Some("Apply"));

        // Dry-run apply answers as if done and changes nothing.
        let dry = api
            .patch(
                "api",
                &PatchParams::apply("kubectl-fleet").dry_run().force(),
                &Patch::Apply(deployment(8)),
            )
            .await
            .unwrap();
        assert_eq!(dry.spec.replicas, Some(8));
        assert_eq!(api.get("api").await.unwrap().spec.replicas, Some(3));

        let listed = api
            .list(&ListParams::default().labels("tier=backend,app in (api)"))
            .await
            .unwrap();
        assert_eq!(listed.items.len(), 1);
        assert!(listed.metadata.resource_version.is_some());
        let none = api
            .list(&ListParams::default().labels("tier!=backend"))
            .await
            .unwrap();
        assert!(none.items.is_empty());
        let by_name = api
            .list(&ListParams::default().fields("metadata.name=api"))
            .await
            .unwrap();
        assert_eq!(by_name.items.len(), 1);

        let scale = api.get_scale("api").await.unwrap();
        assert_eq!(scale.spec.unwrap().replicas, Some(3));
        let scaled = api
            .patch_scale(
                "api",
                &PatchParams::default(),
                &Patch::Merge(json!({"spec": {"replicas": 6}})),
            )
            .await
            .unwrap();
        assert_eq!(scaled.spec.unwrap().replicas, Some(6));
        let d = api.get("api").await.unwrap();
        assert_eq!(d.spec.replicas, Some(6));
        assert_eq!(d.metadata.generation, Some(2));

        // The scale went to the "Update" manager, so re-applying replicas conflicts.
        let err = api
            .patch("api", &pp, &Patch::Apply(deployment(3)))
            .await
            .unwrap_err();
        match err {
            kube::Error::Api(s) => {
                assert_eq!((s.code, s.reason.as_str()), (409, "Conflict"));
                assert!(s.message.contains(".spec.replicas"), "{}", s.message);
            }
            other => panic!("unexpected {other:?}"),
        }

        api.delete("api", &DeleteParams::background())
            .await
            .unwrap();
        match api.get("api").await.unwrap_err() {
            kube::Error::Api(s) => assert_eq!((s.code, s.reason.as_str()), (404, "NotFound")),
            other => panic!("unexpected {other:?}"),
        }
    });
}

#[test]
fn kube_replace_with_stale_resource_version_conflicts() {
    let f = start_fleet(config_of(&["alpha"]));
    runtime().block_on(async {
        let api: Api<ConfigMap> = Api::namespaced(f.client("alpha").await, "default");
        let cm: ConfigMap =
            serde_json::from_value(json!({"metadata": {"name": "c"}, "data": {"k": "1"}})).unwrap();
        let created = api.create(&PostParams::default(), &cm).await.unwrap();
        let mut fresh = created.clone();
        fresh.data = Some([("k".to_string(), "2".to_string())].into());
        api.replace("c", &PostParams::default(), &fresh)
            .await
            .unwrap();
        let mut stale = created;
        stale.data = Some([("k".to_string(), "3".to_string())].into());
        match api
            .replace("c", &PostParams::default(), &stale)
            .await
            .unwrap_err()
        {
            kube::Error::Api(s) => assert_eq!((s.code, s.reason.as_str()), (409, "Conflict")),
            other => panic!("unexpected {other:?}"),
        }
        match api.create(&PostParams::default(), &cm).await.unwrap_err() {
            kube::Error::Api(s) => assert_eq!((s.code, s.reason.as_str()), (409, "AlreadyExists")),
            other => panic!("unexpected {other:?}"),
        }
        assert_eq!(api.get("c").await.unwrap().data.unwrap()["k"], "2");
    });
}

#[test]
fn kube_runtime_watcher_sees_initial_state_and_changes() {
    let f = start_fleet(config_of(&["alpha"]));
    runtime().block_on(async {
        let client = f.client("alpha").await;
        let api: Api<ConfigMap> = Api::namespaced(client, "default");
        let pre: ConfigMap = serde_json::from_value(json!({"metadata": {"name": "pre"}})).unwrap();
        api.create(&PostParams::default(), &pre).await.unwrap();

        let mut stream = watcher(api.clone(), watcher::Config::default()).boxed();
        let mut seen_init = Vec::new();
        loop {
            match tokio::time::timeout(Duration::from_secs(10), stream.try_next())
                .await
                .unwrap()
                .unwrap()
            {
                Some(watcher::Event::InitApply(cm)) => seen_init.push(cm.metadata.name.unwrap()),
                Some(watcher::Event::InitDone) => break,
                _ => {}
            }
        }
        assert_eq!(seen_init, ["pre"]);

        let new: ConfigMap = serde_json::from_value(json!({"metadata": {"name": "live"}})).unwrap();
        api.create(&PostParams::default(), &new).await.unwrap();
        api.delete("pre", &DeleteParams::default()).await.unwrap();
        let mut applied = None;
        let mut deleted = None;
        while applied.is_none() || deleted.is_none() {
            match tokio::time::timeout(Duration::from_secs(10), stream.try_next())
                .await
                .unwrap()
                .unwrap()
            {
                Some(watcher::Event::Apply(cm)) => applied = cm.metadata.name,
                Some(watcher::Event::Delete(cm)) => deleted = cm.metadata.name,
                _ => {}
            }
        }
        assert_eq!(
            (applied.as_deref(), deleted.as_deref()),
            (Some("live"), Some("pre"))
        );
    });
}

#[test]
fn watch_replays_history_after_a_resource_version_and_expires_older_ones() {
    let f = start_fleet_api_only(config_of(&["alpha"]));
    let store = f.sim.store("alpha").unwrap();
    store.set_history_limits(3, usize::MAX);
    let rv0 = store.resource_version();
    for i in 0..5 {
        store
            .create(
                kubectl_fleet::sim::store::Kind::ConfigMap,
                json!({"metadata": {"name": format!("c{i}")}}),
            )
            .unwrap();
    }
    let url = f.sim.server_url("alpha").unwrap();
    let watch = |rv: u64| {
        let (code, body) = http(
            "GET",
            &format!("{url}/api/v1/namespaces/default/configmaps?watch=true&resourceVersion={rv}&timeoutSeconds=1"),
            "",
            "",
        )
        .unwrap();
        assert_eq!(code, 200);
        body.lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .collect::<Vec<_>>()
    };
    let events = watch(store.resource_version() - 2);
    let names: Vec<(&str, &str)> = events
        .iter()
        .map(|e| {
            (
                e["type"].as_str().unwrap(),
                e["object"]["metadata"]["name"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(names, [("ADDED", "c3"), ("ADDED", "c4")]);
    let events = watch(rv0);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["type"], "ERROR");
    assert_eq!(
        (
            events[0]["object"]["code"].as_i64(),
            events[0]["object"]["reason"].as_str()
        ),
        (Some(410), Some("Expired"))
    );
}

#[test]
fn selective_watch_turns_leaving_and_entering_the_selection_into_deleted_and_added() {
    use kubectl_fleet::sim::store::Kind;
    let f = start_fleet_api_only(config_of(&["alpha"]));
    let store = f.sim.store("alpha").unwrap();
    store
        .create(
            Kind::ConfigMap,
            json!({"metadata": {"name": "m", "labels": {"x": "1"}}}),
        )
        .unwrap();
    let rv = store.resource_version();
    let url = f.sim.server_url("alpha").unwrap();
    let watch = std::thread::spawn(move || {
        http(
            "GET",
            &format!("{url}/api/v1/namespaces/default/configmaps?watch=1&labelSelector=x%3D1&resourceVersion={rv}&timeoutSeconds=2"),
            "",
            "",
        )
        .unwrap()
    });
    std::thread::sleep(Duration::from_millis(500));
    let relabel = |v: &str| {
        let v = v.to_string();
        store
            .mutate(Kind::ConfigMap, "default", "m", move |o| {
                o["metadata"]["labels"]["x"] = json!(v)
            })
            .unwrap();
    };
    relabel("2");
    relabel("3");
    relabel("1");
    store.delete(Kind::ConfigMap, "default", "m").unwrap();
    let (code, body) = watch.join().unwrap();
    assert_eq!(code, 200);
    let types: Vec<String> = body
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["type"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(types, ["DELETED", "ADDED", "DELETED"]);
}
