//! Field ownership (`metadata.managedFields`, FieldsV1) and server-side apply.
//!
//! A field set is a set of paths whose segments are FieldsV1 keys: `f:<field>` for a map
//! field and `k:{"name":"web"}` for an element of an associative list (a list whose items
//! merge by a key, e.g. containers by `name`). Leaves are scalars, empty maps and atomic
//! lists. Apply merges the applied configuration into the live object, reports conflicts with
//! other managers' differing values (409 unless `force`), and removes fields the manager
//! applied before but no longer applies (when nobody else owns them). Non-apply writes
//! ([`record_update`]) move the fields they change to the writer's `Update` entry.

use std::collections::BTreeSet;

use serde_json::{json, Map, Value};

use crate::sim::store::{now_rfc3339, ApiError, Kind};

/// A path of FieldsV1 segments.
pub(crate) type Path = Vec<String>;
/// A set of owned paths.
pub(crate) type FieldSet = BTreeSet<Path>;

/// The merge key of an associative list field, by field name.
pub(crate) fn merge_key(field: &str) -> Option<&'static str> {
    Some(match field {
        "containers"
        | "initContainers"
        | "ephemeralContainers"
        | "env"
        | "volumes"
        | "imagePullSecrets"
        | "resourceClaims" => "name",
        "ports" => "containerPort",
        "volumeMounts" => "mountPath",
        "volumeDevices" => "devicePath",
        "conditions" | "addresses" => "type",
        "ownerReferences" => "uid",
        "taints" => "key",
        "hostAliases" => "ip",
        "topologySpreadConstraints" => "topologyKey",
        _ => return None,
    })
}

fn elem_key(key_field: &str, item: &Value) -> Option<String> {
    let v = item.get(key_field)?;
    if v.is_null() {
        return None;
    }
    let mut m = Map::new();
    m.insert(key_field.to_string(), v.clone());
    Some(format!("k:{}", Value::Object(m)))
}

/// Whether every item of a list can be keyed by the field's merge key.
fn associative(field: &str, items: &[Value]) -> Option<&'static str> {
    let k = merge_key(field)?;
    items.iter().all(|i| elem_key(k, i).is_some()).then_some(k)
}

const UNOWNED_META: [&str; 9] = [
    "name",
    "namespace",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "managedFields",
    "selfLink",
    "deletionTimestamp",
];

/// Removes what field management never owns (apiVersion, kind, status, server-set metadata).
pub(crate) fn strip_unowned(obj: &Value) -> Value {
    let mut o = obj.clone();
    if let Some(m) = o.as_object_mut() {
        m.remove("apiVersion");
        m.remove("kind");
        m.remove("status");
        if let Some(meta) = m.get_mut("metadata").and_then(Value::as_object_mut) {
            for f in UNOWNED_META {
                meta.remove(f);
            }
        }
        if m.get("metadata")
            .is_some_and(|v| v.as_object().is_some_and(Map::is_empty))
        {
            m.remove("metadata");
        }
    }
    o
}

/// The leaf paths (and associative-list element paths) of an object.
pub(crate) fn leaf_paths(obj: &Value) -> FieldSet {
    let mut out = FieldSet::new();
    let mut path = Vec::new();
    walk(&strip_unowned(obj), &mut path, &mut out);
    out
}

fn walk(v: &Value, path: &mut Path, out: &mut FieldSet) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            for (k, child) in m {
                path.push(format!("f:{k}"));
                walk_field(k, child, path, out);
                path.pop();
            }
        }
        _ => {
            if !path.is_empty() {
                out.insert(path.clone());
            }
        }
    }
}

fn walk_field(field: &str, v: &Value, path: &mut Path, out: &mut FieldSet) {
    if let Value::Array(items) = v {
        if let Some(k) = associative(field, items).filter(|_| !items.is_empty()) {
            for item in items {
                path.push(elem_key(k, item).expect("associative items are keyed"));
                out.insert(path.clone());
                walk(item, path, out);
                path.pop();
            }
            return;
        }
    }
    walk(v, path, out);
}

fn step<'a>(v: &'a Value, seg: &str) -> Option<&'a Value> {
    if let Some(f) = seg.strip_prefix("f:") {
        return v.get(f);
    }
    if let Some(k) = seg.strip_prefix("k:") {
        let key: Map<String, Value> = serde_json::from_str(k).ok()?;
        return v
            .as_array()?
            .iter()
            .find(|item| key.iter().all(|(kf, kv)| item.get(kf) == Some(kv)));
    }
    None
}

/// The value at a path.
pub(crate) fn value_at<'a>(obj: &'a Value, path: &[String]) -> Option<&'a Value> {
    path.iter().try_fold(obj, |v, seg| step(v, seg))
}

/// Removes the value at a path (a map field or a list element).
pub(crate) fn remove_at(obj: &mut Value, path: &[String]) {
    let Some((last, parent_path)) = path.split_last() else {
        return;
    };
    let mut cur = obj;
    for seg in parent_path {
        let next = if let Some(f) = seg.strip_prefix("f:") {
            cur.get_mut(f)
        } else if let Some(k) = seg.strip_prefix("k:") {
            let Ok(key) = serde_json::from_str::<Map<String, Value>>(k) else {
                return;
            };
            cur.as_array_mut().and_then(|a| {
                a.iter_mut()
                    .find(|item| key.iter().all(|(kf, kv)| item.get(kf) == Some(kv)))
            })
        } else {
            None
        };
        match next {
            Some(n) => cur = n,
            None => return,
        }
    }
    if let Some(f) = last.strip_prefix("f:") {
        if let Some(m) = cur.as_object_mut() {
            m.remove(f);
        }
    } else if let Some(k) = last.strip_prefix("k:") {
        if let (Ok(key), Some(a)) = (
            serde_json::from_str::<Map<String, Value>>(k),
            cur.as_array_mut(),
        ) {
            a.retain(|item| !key.iter().all(|(kf, kv)| item.get(kf) == Some(kv)));
        }
    }
}

/// Human-readable path, e.g. `.spec.template.spec.containers[name="web"].image`.
pub(crate) fn display_path(path: &[String]) -> String {
    let mut s = String::new();
    for seg in path {
        if let Some(f) = seg.strip_prefix("f:") {
            s.push('.');
            s.push_str(f);
        } else if let Some(k) = seg.strip_prefix("k:") {
            if let Ok(m) = serde_json::from_str::<Map<String, Value>>(k) {
                let parts: Vec<String> = m.iter().map(|(a, b)| format!("{a}={b}")).collect();
                s.push_str(&format!("[{}]", parts.join(",")));
            }
        }
    }
    s
}

/// Encodes a field set as FieldsV1.
pub(crate) fn to_fields_v1(set: &FieldSet) -> Value {
    let mut root = json!({});
    for p in set {
        let mut cur = &mut root;
        for seg in p {
            cur = cur
                .as_object_mut()
                .expect("FieldsV1 nodes are objects")
                .entry(seg.clone())
                .or_insert_with(|| json!({}));
        }
        // A path that also has children is marked with ".".
        if set
            .range(p.clone()..)
            .nth(1)
            .is_some_and(|n| n.starts_with(p))
        {
            cur.as_object_mut()
                .expect("FieldsV1 nodes are objects")
                .insert(".".into(), json!({}));
        }
    }
    root
}

/// Decodes FieldsV1 into a field set.
pub(crate) fn from_fields_v1(v: &Value) -> FieldSet {
    let mut out = FieldSet::new();
    fn rec(v: &Value, path: &mut Path, out: &mut FieldSet) {
        let Some(m) = v.as_object() else { return };
        if m.is_empty() {
            if !path.is_empty() {
                out.insert(path.clone());
            }
            return;
        }
        for (k, child) in m {
            if k == "." {
                out.insert(path.clone());
                continue;
            }
            path.push(k.clone());
            rec(child, path, out);
            path.pop();
        }
    }
    rec(v, &mut Vec::new(), &mut out);
    out
}

/// One `managedFields` entry.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Manager {
    pub name: String,
    pub operation: String,
    pub api_version: String,
    pub time: String,
    pub subresource: Option<String>,
    pub fields: FieldSet,
}

pub(crate) fn read_managers(obj: &Value) -> Vec<Manager> {
    obj.pointer("/metadata/managedFields")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|e| Manager {
                    name: e["manager"].as_str().unwrap_or_default().to_string(),
                    operation: e["operation"].as_str().unwrap_or("Update").to_string(),
                    api_version: e["apiVersion"].as_str().unwrap_or_default().to_string(),
                    time: e["time"].as_str().unwrap_or_default().to_string(),
                    subresource: e["subresource"].as_str().map(str::to_string),
                    fields: from_fields_v1(&e["fieldsV1"]),
                })
                .collect()
        })
        .unwrap_or_default()
}

fn write_managers(obj: &mut Value, managers: &[Manager]) {
    let entries: Vec<Value> = managers
        .iter()
        .filter(|m| !m.fields.is_empty())
        .map(|m| {
            let mut e = json!({
                "manager": m.name,
                "operation": m.operation,
                "apiVersion": m.api_version,
                "time": m.time,
                "fieldsType": "FieldsV1",
                "fieldsV1": to_fields_v1(&m.fields),
            });
            if let Some(s) = &m.subresource {
                e["subresource"] = json!(s);
            }
            e
        })
        .collect();
    if !obj.get("metadata").is_some_and(Value::is_object) {
        obj["metadata"] = json!({});
    }
    let meta = obj["metadata"]
        .as_object_mut()
        .expect("metadata is an object");
    if entries.is_empty() {
        meta.remove("managedFields");
    } else {
        meta.insert("managedFields".into(), Value::Array(entries));
    }
}

fn upsert<'a>(
    managers: &'a mut Vec<Manager>,
    name: &str,
    op: &str,
    api_version: &str,
) -> &'a mut Manager {
    let idx = match managers
        .iter()
        .position(|m| m.name == name && m.operation == op && m.subresource.is_none())
    {
        Some(i) => i,
        None => {
            managers.push(Manager {
                name: name.to_string(),
                operation: op.to_string(),
                api_version: api_version.to_string(),
                time: now_rfc3339(),
                subresource: None,
                fields: FieldSet::new(),
            });
            managers.len() - 1
        }
    };
    &mut managers[idx]
}

/// Records a non-apply write by `manager`: fields it added or changed become its (`Update`
/// operation) and leave other managers; fields it removed leave everyone.
pub(crate) fn record_update(
    old: Option<&Value>,
    new: &mut Value,
    manager: &str,
    api_version: &str,
) {
    let mut managers = old.map(read_managers).unwrap_or_default();
    let new_paths = leaf_paths(new);
    let changed: FieldSet = new_paths
        .iter()
        .filter(|p| old.is_none_or(|o| value_at(o, p) != value_at(new, p)))
        .cloned()
        .collect();
    for m in managers.iter_mut() {
        m.fields
            .retain(|p| new_paths.contains(p) && !changed.contains(p));
    }
    if !changed.is_empty() {
        let me = upsert(&mut managers, manager, "Update", api_version);
        me.fields.extend(changed);
        me.time = now_rfc3339();
        me.api_version = api_version.to_string();
    }
    write_managers(new, &managers);
}

/// Merges an applied configuration into a live value: maps merge, associative lists merge by
/// key, everything else is replaced.
pub(crate) fn structured_merge(live: &mut Value, applied: &Value, field: &str) {
    match (live, applied) {
        (Value::Object(l), Value::Object(a)) => {
            for (k, av) in a {
                match l.get_mut(k) {
                    Some(lv) => structured_merge(lv, av, k),
                    None => {
                        l.insert(k.clone(), av.clone());
                    }
                }
            }
        }
        (Value::Array(l), Value::Array(a))
            if associative(field, a).is_some() && associative(field, l).is_some() =>
        {
            let key = associative(field, a).expect("checked");
            let mut out = Vec::with_capacity(a.len().max(l.len()));
            // Applied items first in applied order, then live-only items.
            for ai in a {
                let k = elem_key(key, ai);
                match l.iter().position(|li| elem_key(key, li) == k) {
                    Some(i) => {
                        let mut li = l[i].clone();
                        structured_merge(&mut li, ai, "");
                        out.push(li);
                    }
                    None => out.push(ai.clone()),
                }
            }
            for li in l.iter() {
                let k = elem_key(key, li);
                if !a.iter().any(|ai| elem_key(key, ai) == k) {
                    out.push(li.clone());
                }
            }
            *l = out;
        }
        (l, a) => *l = a.clone(),
    }
}

/// Server-side apply of `applied` by `manager` onto `live` (None = create). Returns the new
/// object (with managedFields) or a 409 Conflict naming the other managers and fields.
pub(crate) fn apply(
    kind: Kind,
    live: Option<&Value>,
    applied: &Value,
    manager: &str,
    force: bool,
) -> Result<Value, ApiError> {
    let api_version = kind.api_version();
    let mut obj = live.cloned().unwrap_or_else(|| json!({}));
    let mut managers = read_managers(&obj);
    let applied_clean = strip_unowned(applied);
    let new_set = leaf_paths(&applied_clean);
    let is_me =
        |m: &Manager| m.name == manager && m.operation == "Apply" && m.subresource.is_none();

    // Conflicts: fields another manager owns whose live value differs from the applied one.
    let mut conflicts: Vec<(String, Path)> = Vec::new();
    for p in &new_set {
        if p.last().is_some_and(|s| s.starts_with("k:")) {
            continue;
        }
        let (Some(lv), Some(av)) = (value_at(&obj, p), value_at(&applied_clean, p)) else {
            continue;
        };
        if lv == av {
            continue;
        }
        for m in managers.iter().filter(|m| !is_me(m)) {
            if m.fields.contains(p) {
                conflicts.push((m.name.clone(), p.clone()));
            }
        }
    }
    if !conflicts.is_empty() {
        if !force {
            let causes: Vec<Value> = conflicts
                .iter()
                .map(|(m, p)| {
                    json!({"reason": "FieldManagerConflict",
                           "message": format!("conflict with {m:?} using {api_version}"),
                           "field": display_path(p)})
                })
                .collect();
            let list: Vec<String> = conflicts
                .iter()
                .map(|(m, p)| {
                    format!(
                        "conflict with {m:?} using {api_version}: {}",
                        display_path(p)
                    )
                })
                .collect();
            let n = conflicts.len();
            let name = applied
                .pointer("/metadata/name")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let mut e = ApiError::new(
                409,
                "Conflict",
                format!(
                    "Apply failed with {n} conflict{}: {}",
                    if n == 1 { "" } else { "s" },
                    list.join("\n")
                ),
            );
            let mut details = json!({"name": name, "kind": kind.plural(), "causes": causes});
            if !kind.group().is_empty() {
                details["group"] = json!(kind.group());
            }
            e.details = Some(details);
            return Err(e);
        }
        for (_, p) in &conflicts {
            for m in managers.iter_mut().filter(|m| !is_me(m)) {
                m.fields.remove(p);
            }
        }
    }

    // Fields this manager stopped applying: removed unless someone else owns them (or below).
    let prev: FieldSet = managers
        .iter()
        .find(|m| is_me(m))
        .map(|m| m.fields.clone())
        .unwrap_or_default();
    let mut removed: Vec<&Path> = prev.difference(&new_set).collect();
    removed.sort_by_key(|p| std::cmp::Reverse(p.len()));
    for p in removed {
        let owned_elsewhere = managers.iter().filter(|m| !is_me(m)).any(|m| {
            m.fields
                .range(p.clone()..)
                .next()
                .is_some_and(|q| q.starts_with(p))
        });
        let still_applied_below = new_set
            .range(p.clone()..)
            .next()
            .is_some_and(|q| q.starts_with(p));
        if !owned_elsewhere && !still_applied_below {
            remove_at(&mut obj, p);
        }
    }

    structured_merge(&mut obj, &applied_clean, "");
    let me = upsert(&mut managers, manager, "Apply", api_version);
    if me.fields != new_set {
        me.fields = new_set;
        me.time = now_rfc3339();
    }
    me.api_version = api_version.to_string();
    // Keep Apply entries first, like the API server.
    managers.sort_by_key(|m| m.operation != "Apply");
    write_managers(&mut obj, &managers);
    Ok(obj)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deploy(replicas: i64, image: &str) -> Value {
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "labels": {"app": "web"}},
               "spec": {"replicas": replicas, "template": {"spec": {"containers": [{"name": "web", "image": image}]}}}})
    }

    #[test]
    fn fields_v1_round_trips_with_element_markers() {
        let set = leaf_paths(&deploy(2, "nginx"));
        let v = to_fields_v1(&set);
        let c = &v["f:spec"]["f:template"]["f:spec"]["f:containers"]["k:{\"name\":\"web\"}"];
        assert_eq!(c["."], json!({}));
        assert_eq!(c["f:image"], json!({}));
        assert_eq!(from_fields_v1(&v), set);
    }

    #[test]
    fn apply_conflicts_with_another_managers_different_value_unless_forced() {
        let a = apply(Kind::Deployment, None, &deploy(2, "nginx"), "alice", false).unwrap();
        // Same values: shared ownership, no conflict.
        let b = apply(
            Kind::Deployment,
            Some(&a),
            &deploy(2, "nginx"),
            "bob",
            false,
        )
        .unwrap();
        let e = apply(
            Kind::Deployment,
            Some(&b),
            &deploy(5, "nginx"),
            "bob",
            false,
        )
        .unwrap_err();
        assert_eq!(e.code, 409);
        assert!(
            e.message.contains("conflict with \"alice\""),
            "{}",
            e.message
        );
        assert!(e.message.contains(".spec.replicas"), "{}", e.message);
        let c = apply(Kind::Deployment, Some(&b), &deploy(5, "nginx"), "bob", true).unwrap();
        assert_eq!(c["spec"]["replicas"], 5);
        let alice = read_managers(&c)
            .into_iter()
            .find(|m| m.name == "alice")
            .unwrap();
        assert!(!alice
            .fields
            .contains(&vec!["f:spec".to_string(), "f:replicas".to_string()]));
    }

    #[test]
    fn apply_removes_fields_the_manager_no_longer_applies() {
        let a = apply(Kind::Deployment, None, &deploy(2, "nginx"), "alice", false).unwrap();
        let mut smaller = deploy(2, "nginx");
        smaller["metadata"]
            .as_object_mut()
            .unwrap()
            .remove("labels");
        let b = apply(Kind::Deployment, Some(&a), &smaller, "alice", false).unwrap();
        assert!(b["metadata"]
            .get("labels")
            .is_none_or(|l| l.get("app").is_none()));
    }

    #[test]
    fn update_moves_changed_fields_to_the_writer() {
        let a = apply(Kind::Deployment, None, &deploy(2, "nginx"), "alice", false).unwrap();
        let mut b = a.clone();
        b["spec"]["replicas"] = json!(7);
        record_update(Some(&a), &mut b, "kubectl", "apps/v1");
        let e = apply(
            Kind::Deployment,
            Some(&b),
            &deploy(2, "nginx"),
            "alice",
            false,
        )
        .unwrap_err();
        assert!(e.message.contains("\"kubectl\""), "{}", e.message);
    }
}
