//! `/openapi/v2`: the Swagger 2.0 document kubectl reads for client-side schema validation,
//! which it still does for a `List` (`kubectl get -o yaml | kubectl apply -f -`: the
//! server-side field validation of one object does not cover a List) and for
//! `kubectl explain --output=plaintext-openapiv2`. client-go asks for it in protobuf only
//! (gnostic's `openapi.v2.Document`), so it is served in protobuf, or JSON when asked for.
//!
//! It holds the same definitions as the v3 documents (one document for every group-version,
//! references `#/definitions/<name>`, a reference with siblings as a plain `$ref` as v2 allows)
//! and no paths: kubectl then computes strategic merge patches from its built-in types, as it
//! does with the v3 documents.

use serde_json::{Map, Value};

/// Protobuf wire helpers (proto3: default values are omitted).
fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn field_bytes(out: &mut Vec<u8>, field: u32, data: &[u8]) {
    varint(out, u64::from(field) << 3 | 2);
    varint(out, data.len() as u64);
    out.extend_from_slice(data);
}

fn field_str(out: &mut Vec<u8>, field: u32, s: &str) {
    if !s.is_empty() {
        field_bytes(out, field, s.as_bytes());
    }
}

fn field_bool(out: &mut Vec<u8>, field: u32, b: bool) {
    if b {
        varint(out, u64::from(field) << 3);
        out.push(1);
    }
}

/// `#/components/schemas/X` → `#/definitions/X`.
fn v2_ref(r: &str) -> String {
    match r.strip_prefix("#/components/schemas/") {
        Some(n) => format!("#/definitions/{n}"),
        None => r.to_string(),
    }
}

/// An OpenAPI 3 schema as a v2 JSON schema: references rewritten, `allOf: [{$ref}]` (how
/// OpenAPI 3 puts siblings next to a reference) back to a plain `$ref`.
pub fn to_v2_json(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut out = Map::new();
            for (k, x) in m {
                match (k.as_str(), x) {
                    ("$ref", Value::String(r)) => {
                        out.insert(k.clone(), Value::String(v2_ref(r)));
                    }
                    ("allOf", Value::Array(a))
                        if a.len() == 1 && a[0].as_object().is_some_and(|o| o.len() == 1) =>
                    {
                        if let Some(Value::String(r)) = a[0].get("$ref") {
                            out.insert("$ref".into(), Value::String(v2_ref(r)));
                        } else {
                            out.insert(k.clone(), to_v2_json(x));
                        }
                    }
                    // Property names are data, not keywords: recurse into each schema.
                    ("properties", Value::Object(p)) => {
                        out.insert(
                            k.clone(),
                            Value::Object(
                                p.iter().map(|(n, s)| (n.clone(), to_v2_json(s))).collect(),
                            ),
                        );
                    }
                    _ => {
                        out.insert(k.clone(), to_v2_json(x));
                    }
                }
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(to_v2_json).collect()),
        other => other.clone(),
    }
}

/// gnostic `Any` with its YAML text (JSON is YAML).
fn any(v: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    field_str(&mut out, 2, &v.to_string());
    out
}

/// gnostic `openapi.v2.Schema` of a v2 JSON schema.
fn schema(v: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    let Some(m) = v.as_object() else {
        return out;
    };
    let s = |k: &str| m.get(k).and_then(Value::as_str).unwrap_or_default();
    field_str(&mut out, 1, s("$ref"));
    field_str(&mut out, 2, s("format"));
    field_str(&mut out, 3, s("title"));
    field_str(&mut out, 4, s("description"));
    if let Some(d) = m.get("default") {
        field_bytes(&mut out, 5, &any(d));
    }
    for r in m
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        field_str(&mut out, 19, r.as_str().unwrap_or_default());
    }
    for e in m
        .get("enum")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        field_bytes(&mut out, 20, &any(e));
    }
    match m.get("additionalProperties") {
        Some(Value::Bool(b)) => {
            let mut item = Vec::new();
            // A oneof: false must be written explicitly.
            varint(&mut item, 2 << 3);
            item.push(u8::from(*b));
            field_bytes(&mut out, 21, &item);
        }
        Some(a @ Value::Object(_)) => {
            let mut item = Vec::new();
            field_bytes(&mut item, 1, &schema(a));
            field_bytes(&mut out, 21, &item);
        }
        _ => {}
    }
    let types: Vec<&str> = match m.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if !types.is_empty() {
        let mut item = Vec::new();
        for t in types {
            field_str(&mut item, 1, t);
        }
        field_bytes(&mut out, 22, &item);
    }
    match m.get("items") {
        Some(i @ Value::Object(_)) => {
            let mut item = Vec::new();
            field_bytes(&mut item, 1, &schema(i));
            field_bytes(&mut out, 23, &item);
        }
        Some(Value::Array(a)) => {
            let mut item = Vec::new();
            for i in a {
                field_bytes(&mut item, 1, &schema(i));
            }
            field_bytes(&mut out, 23, &item);
        }
        _ => {}
    }
    for a in m
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        field_bytes(&mut out, 24, &schema(a));
    }
    if let Some(Value::Object(props)) = m.get("properties") {
        let mut p = Vec::new();
        for (name, s) in props {
            field_bytes(&mut p, 1, &named(name, &schema(s)));
        }
        field_bytes(&mut out, 25, &p);
    }
    field_bool(
        &mut out,
        27,
        m.get("readOnly").and_then(Value::as_bool).unwrap_or(false),
    );
    for (k, x) in m.iter().filter(|(k, _)| k.starts_with("x-")) {
        field_bytes(&mut out, 31, &named(k, &any(x)));
    }
    out
}

/// A `Named*` message: name (1) and value (2).
fn named(name: &str, value: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    field_str(&mut out, 1, name);
    field_bytes(&mut out, 2, value);
    out
}

/// The v2 document as JSON, from the v3 definitions.
pub fn document_json(defs: &Map<String, Value>) -> Value {
    let definitions: Map<String, Value> = defs
        .iter()
        .map(|(n, s)| (n.clone(), to_v2_json(s)))
        .collect();
    serde_json::json!({
        "swagger": "2.0",
        "info": {"title": "Kubernetes", "version": "v1.32.0"},
        "paths": {},
        "definitions": definitions,
    })
}

/// The v2 document in gnostic protobuf, from its JSON form ([`document_json`]).
pub fn document_proto(doc: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    field_str(&mut out, 1, doc["swagger"].as_str().unwrap_or("2.0"));
    let mut info = Vec::new();
    field_str(
        &mut info,
        1,
        doc["info"]["title"].as_str().unwrap_or_default(),
    );
    field_str(
        &mut info,
        2,
        doc["info"]["version"].as_str().unwrap_or_default(),
    );
    field_bytes(&mut out, 2, &info);
    let mut defs = Vec::new();
    for (name, s) in doc["definitions"].as_object().into_iter().flatten() {
        field_bytes(&mut defs, 1, &named(name, &schema(s)));
    }
    field_bytes(&mut out, 9, &defs);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A minimal protobuf reader for the tests: (field, wire type, payload) of one message.
    fn fields(mut b: &[u8]) -> Vec<(u32, Vec<u8>)> {
        fn read_varint(b: &mut &[u8]) -> u64 {
            let (mut v, mut shift) = (0u64, 0);
            loop {
                let x = b[0];
                *b = &b[1..];
                v |= u64::from(x & 0x7f) << shift;
                if x < 0x80 {
                    return v;
                }
                shift += 7;
            }
        }
        let mut out = Vec::new();
        while !b.is_empty() {
            let k = read_varint(&mut b);
            let (field, wire) = ((k >> 3) as u32, k & 7);
            let payload = match wire {
                0 => {
                    let v = read_varint(&mut b);
                    v.to_le_bytes()[..1].to_vec()
                }
                2 => {
                    let n = read_varint(&mut b) as usize;
                    let p = b[..n].to_vec();
                    b = &b[n..];
                    p
                }
                w => panic!("wire type {w}"),
            };
            out.push((field, payload));
        }
        out
    }

    fn get(b: &[u8], field: u32) -> Vec<Vec<u8>> {
        fields(b)
            .into_iter()
            .filter(|(f, _)| *f == field)
            .map(|(_, p)| p)
            .collect()
    }

    fn text(b: &[u8]) -> String {
        String::from_utf8(b.to_vec()).unwrap()
    }

    #[test]
    fn references_with_siblings_become_plain_v2_references() {
        let v3 = json!({"properties": {
            "spec": {"allOf": [{"$ref": "#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec"}],
                     "description": "Specification"},
            "allOf": {"type": "string"}
        }});
        assert_eq!(
            to_v2_json(&v3),
            json!({"properties": {
                "spec": {"$ref": "#/definitions/io.k8s.api.apps.v1.DeploymentSpec",
                         "description": "Specification"},
                "allOf": {"type": "string"}
            }})
        );
    }

    #[test]
    fn the_protobuf_document_carries_definitions_types_refs_and_extensions() {
        let mut defs = Map::new();
        defs.insert(
            "io.k8s.api.apps.v1.Deployment".into(),
            json!({"type": "object", "description": "Deployment enables",
                   "required": ["metadata"],
                   "properties": {
                       "spec": {"allOf": [{"$ref": "#/components/schemas/S"}], "description": "d"},
                       "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                       "items": {"type": "array", "items": {"type": "integer", "format": "int32"}}
                   },
                   "x-kubernetes-group-version-kind": [{"group": "apps", "version": "v1", "kind": "Deployment"}]}),
        );
        let doc = document_proto(&document_json(&defs));
        assert_eq!(text(&get(&doc, 1)[0]), "2.0");
        let definitions = &get(&doc, 9)[0];
        let named = &get(definitions, 1)[0];
        assert_eq!(text(&get(named, 1)[0]), "io.k8s.api.apps.v1.Deployment");
        let s = &get(named, 2)[0];
        assert_eq!(text(&get(s, 4)[0]), "Deployment enables");
        assert_eq!(text(&get(s, 19)[0]), "metadata");
        assert_eq!(text(&get(&get(s, 22)[0], 1)[0]), "object");
        let ext = &get(s, 31)[0];
        assert_eq!(text(&get(ext, 1)[0]), "x-kubernetes-group-version-kind");
        let yaml: Value = serde_json::from_str(&text(&get(&get(ext, 2)[0], 2)[0])).unwrap();
        assert_eq!(yaml[0]["kind"], "Deployment");
        let props: Vec<(String, Vec<u8>)> = get(&get(s, 25)[0], 1)
            .iter()
            .map(|p| (text(&get(p, 1)[0]), get(p, 2)[0].clone()))
            .collect();
        let prop = |n: &str| props.iter().find(|(k, _)| k == n).unwrap().1.clone();
        assert_eq!(text(&get(&prop("spec"), 1)[0]), "#/definitions/S");
        let map_value = &get(&get(&prop("labels"), 21)[0], 1)[0];
        assert_eq!(text(&get(&get(map_value, 22)[0], 1)[0]), "string");
        let item = &get(&get(&prop("items"), 23)[0], 1)[0];
        assert_eq!(text(&get(item, 2)[0]), "int32");
    }
}
