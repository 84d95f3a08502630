//! PATCH: JSON merge patch (RFC 7386), strategic merge patch (the subset kubectl uses: lists
//! merging by their merge key, `$patch: delete|replace`, `$deleteFromPrimitiveList`,
//! finalizer unions), JSON patch (RFC 6902) and server-side apply.

use axum::response::Response;
use serde_json::{json, Value};

use super::{
    apply_namespace, commit_update, json_response, managed, name_of, ns_of, require_namespace,
    sanitize_new, split_status, with_warnings, Req, Target,
};
use crate::sim::store::{ApiError, Kind, Store};

/// The media type without parameters.
fn media_type(ct: &str) -> String {
    ct.split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// Applies a strategic merge patch.
pub(crate) fn strategic_merge(target: &mut Value, patch: &Value) {
    let Some(p) = patch.as_object() else {
        *target = patch.clone();
        return;
    };
    if p.get("$patch").and_then(Value::as_str) == Some("replace") {
        let mut clean = patch.clone();
        clean.as_object_mut().map(|m| m.remove("$patch"));
        *target = clean;
        return;
    }
    if !target.is_object() {
        *target = json!({});
    }
    let t = target.as_object_mut().expect("object");
    for (k, v) in p {
        if k == "$patch" || k.starts_with("$setElementOrder/") || k == "$retainKeys" {
            continue;
        }
        if let Some(field) = k.strip_prefix("$deleteFromPrimitiveList/") {
            if let (Some(list), Some(del)) =
                (t.get_mut(field).and_then(Value::as_array_mut), v.as_array())
            {
                list.retain(|x| !del.contains(x));
            }
            continue;
        }
        if v.is_null() || v.get("$patch").and_then(Value::as_str) == Some("delete") {
            t.remove(k);
            continue;
        }
        match v {
            Value::Array(items) => {
                let existing = t.get_mut(k).and_then(Value::as_array_mut);
                match (existing, managed::merge_key(k)) {
                    (Some(list), Some(key)) if items.iter().all(Value::is_object) => {
                        merge_keyed_list(list, items, key)
                    }
                    (Some(list), None) if k == "finalizers" => {
                        for i in items {
                            if !list.contains(i) {
                                list.push(i.clone());
                            }
                        }
                    }
                    _ => {
                        t.insert(k.clone(), strip_directives(v));
                    }
                }
            }
            Value::Object(_) => {
                let slot = t.entry(k.clone()).or_insert_with(|| json!({}));
                strategic_merge(slot, v);
            }
            _ => {
                t.insert(k.clone(), v.clone());
            }
        }
    }
}

fn strip_directives(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| !k.starts_with('$'))
                .map(|(k, v)| (k.clone(), strip_directives(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(
            a.iter()
                .filter(|i| i.get("$patch").is_none())
                .map(strip_directives)
                .collect(),
        ),
        other => other.clone(),
    }
}

fn merge_keyed_list(list: &mut Vec<Value>, items: &[Value], key: &str) {
    if items
        .iter()
        .any(|i| i.get("$patch").and_then(Value::as_str) == Some("replace"))
    {
        *list = items
            .iter()
            .filter(|i| i.get("$patch").is_none())
            .map(strip_directives)
            .collect();
        return;
    }
    for item in items {
        let k = item.get(key);
        let pos = k.and_then(|k| list.iter().position(|e| e.get(key) == Some(k)));
        if item.get("$patch").and_then(Value::as_str) == Some("delete") {
            if let Some(i) = pos {
                list.remove(i);
            }
            continue;
        }
        match pos {
            Some(i) => strategic_merge(&mut list[i], item),
            None => list.push(strip_directives(item)),
        }
    }
}

/// Applies the request body (merge / strategic / JSON patch) to `target` in place.
pub(crate) fn apply_patch_body(
    req: &Req<'_>,
    target: &mut Value,
    _kind: Kind,
) -> Result<(), ApiError> {
    match media_type(&req.content_type).as_str() {
        "application/merge-patch+json" => {
            let p = req.body_json()?;
            json_patch::merge(target, &p);
        }
        "application/strategic-merge-patch+json" => {
            let p = req.body_json()?;
            if !p.is_object() {
                return Err(ApiError::bad_request("a strategic merge patch must be a JSON object"));
            }
            strategic_merge(target, &p);
        }
        "application/json-patch+json" => {
            let ops: json_patch::Patch = serde_json::from_slice(&req.body)
                .map_err(|e| ApiError::bad_request(format!("invalid JSON patch: {e}")))?;
            json_patch::patch(target, &ops).map_err(|e| {
                ApiError::new(422, "Invalid", format!("the JSON patch could not be applied: {e}"))
            })?;
        }
        other => {
            return Err(ApiError::new(
                415,
                "UnsupportedMediaType",
                format!("the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got {other:?})"),
            ))
        }
    }
    Ok(())
}

/// PATCH of an object or its status.
pub(crate) fn handle(req: &Req<'_>, t: &Target, status_only: bool) -> Result<Response, ApiError> {
    if media_type(&req.content_type) == "application/apply-patch+yaml" {
        let warnings = match parse_apply_body(&req.body) {
            Ok(applied) => {
                super::validation::check(t.kind, req.query.get("fieldValidation"), &applied)?
            }
            Err(_) => Vec::new(),
        };
        return server_side_apply(req, t, status_only).map(|r| with_warnings(r, &warnings));
    }
    let store = &req.st.ctx.store;
    let mgr = req.field_manager();
    let mut attempt = 0;
    loop {
        attempt += 1;
        let old = store
            .get(t.kind, ns_of(t), name_of(t))
            .ok_or_else(|| ApiError::not_found(t.kind, name_of(t)))?;
        let mut new = old.clone();
        apply_patch_body(req, &mut new, t.kind)?;
        let warnings = super::validation::check(t.kind, req.query.get("fieldValidation"), &new)?;
        let rv_pinned =
            new.pointer("/metadata/resourceVersion") != old.pointer("/metadata/resourceVersion");
        let new = split_status(t.kind, &old, new, status_only);
        match commit_update(req, t, &old, new, (!status_only).then_some(mgr.as_str())) {
            Err(e) if e.reason == "Conflict" && !rv_pinned && attempt < 8 => continue,
            Err(e) => return Err(e),
            Ok(out) => return Ok(with_warnings(json_response(200, &out), &warnings)),
        }
    }
}

fn parse_apply_body(body: &[u8]) -> Result<Value, ApiError> {
    if let Ok(v) = serde_json::from_slice::<Value>(body) {
        return Ok(v);
    }
    let text =
        std::str::from_utf8(body).map_err(|_| ApiError::bad_request("apply body is not UTF-8"))?;
    serde_saphyr::from_str::<Value>(text)
        .map_err(|e| ApiError::bad_request(format!("error decoding YAML apply body: {e}")))
}

fn server_side_apply(req: &Req<'_>, t: &Target, status_only: bool) -> Result<Response, ApiError> {
    let manager = req
        .query
        .get("fieldManager")
        .unwrap_or_default()
        .to_string();
    if manager.is_empty() {
        return Err(ApiError::bad_request(
            "PATCH requests with an apply patch (application/apply-patch+yaml) require the fieldManager parameter",
        ));
    }
    if status_only {
        return Err(ApiError::method_not_allowed(
            "server-side apply of the status subresource is not supported by the simulator",
        ));
    }
    let force = req.query.flag("force");
    let mut applied = parse_apply_body(&req.body)?;
    if !applied.is_object() {
        return Err(ApiError::bad_request("the apply body must be an object"));
    }
    let kind = applied
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let api_version = applied
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if kind.is_empty() || api_version.is_empty() {
        return Err(ApiError::bad_request(
            "apiVersion and kind must be set in an apply configuration",
        ));
    }
    if kind != t.kind.name() || api_version != t.kind.api_version() {
        return Err(ApiError::bad_request(format!(
            "the apply configuration is a {api_version}, Kind={kind} but the URL is for {} {}",
            t.kind.api_version(),
            t.kind.name()
        )));
    }
    let body_name = applied
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if body_name.is_empty() {
        return Err(ApiError::invalid(
            t.kind,
            name_of(t),
            &[(
                "metadata.name".into(),
                "Required value: name is required in an apply configuration".into(),
            )],
        ));
    }
    if body_name != name_of(t) {
        return Err(ApiError::bad_request(format!(
            "the name of the object ({body_name}) does not match the name on the URL ({})",
            name_of(t)
        )));
    }
    apply_namespace(t, &mut applied)?;
    let precondition_rv = applied
        .pointer("/metadata/resourceVersion")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    let store = &req.st.ctx.store;
    let mut attempt = 0;
    loop {
        attempt += 1;
        let live = store.get(t.kind, ns_of(t), name_of(t));
        match live {
            None => {
                if precondition_rv.is_some() {
                    return Err(ApiError::not_found(t.kind, name_of(t)));
                }
                let mut merged = managed::apply(t.kind, None, &applied, &manager, force)?;
                merged["metadata"]["name"] = json!(name_of(t));
                if t.kind.namespaced() {
                    merged["metadata"]["namespace"] = applied["metadata"]["namespace"].clone();
                }
                require_namespace(req, t, &merged)?;
                // An apply that creates needs `create` as well as `patch`.
                req.authorize(&crate::sim::auth::Attributes::Resource {
                    verb: "create".into(),
                    group: t.kind.group().into(),
                    resource: t.kind.plural().into(),
                    subresource: String::new(),
                    namespace: t.namespace.clone().unwrap_or_default(),
                    name: name_of(t).into(),
                })?;
                let mf = merged["metadata"].get("managedFields").cloned();
                sanitize_new(t.kind, &mut merged);
                let mut obj = Store::prepare_create(t.kind, merged)?;
                crate::sim::admission::on_create(store, t.kind, &mut obj)?;
                if let Some(mf) = mf {
                    obj["metadata"]["managedFields"] = mf;
                }
                if req.query.dry_run() {
                    return Ok(json_response(201, &obj));
                }
                match store.create(t.kind, obj) {
                    Err(e) if e.reason == "AlreadyExists" && attempt < 8 => continue,
                    Err(e) => return Err(e),
                    Ok(created) => return Ok(json_response(201, &created)),
                }
            }
            Some(live) => {
                if let Some(rv) = &precondition_rv {
                    if live
                        .pointer("/metadata/resourceVersion")
                        .and_then(Value::as_str)
                        != Some(rv)
                    {
                        return Err(ApiError::conflict(t.kind, name_of(t)));
                    }
                }
                let merged = managed::apply(t.kind, Some(&live), &applied, &manager, force)?;
                let new = split_status(t.kind, &live, merged, false);
                match commit_update(req, t, &live, new, None) {
                    Err(e)
                        if e.reason == "Conflict" && precondition_rv.is_none() && attempt < 8 =>
                    {
                        continue
                    }
                    Err(e) => return Err(e),
                    Ok(out) => return Ok(json_response(200, &out)),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strategic_merge_merges_containers_by_name_and_deletes_by_directive() {
        let mut t = json!({"spec": {"containers": [{"name": "a", "image": "x"}, {"name": "b", "image": "y"}],
                                     "unschedulable": false}});
        strategic_merge(
            &mut t,
            &json!({"spec": {"containers": [{"name": "a", "image": "x2"}, {"name": "b", "$patch": "delete"},
                                             {"name": "c", "image": "z"}], "unschedulable": true}}),
        );
        assert_eq!(
            t,
            json!({"spec": {"containers": [{"name": "a", "image": "x2"}, {"name": "c", "image": "z"}],
                            "unschedulable": true}})
        );
    }

    #[test]
    fn strategic_merge_null_removes_and_atomic_lists_replace() {
        let mut t =
            json!({"metadata": {"labels": {"a": "1", "b": "2"}}, "spec": {"args": ["x", "y"]}});
        strategic_merge(
            &mut t,
            &json!({"metadata": {"labels": {"a": null}}, "spec": {"args": ["z"]}}),
        );
        assert_eq!(
            t,
            json!({"metadata": {"labels": {"b": "2"}}, "spec": {"args": ["z"]}})
        );
    }
}
