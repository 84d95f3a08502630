//! Kubernetes objects read from members, printed as kubectl prints them (`get -o yaml|json`,
//! `diff`): `metadata.managedFields` left out (kubectl hides them by default) and the member
//! named in the annotation `fleet.kubectl.dev/member`, so that a `List` of copies from several
//! members stays unambiguous for `jq` and `kubectl` pipelines.

use serde::Serialize;
use serde_json::Value;

use super::format::EncodeError;
use crate::fleet::state::ANN_MEMBER;

/// `obj` as JSON, marked with the member it comes from.
pub fn member_object<T: Serialize>(cluster: &str, obj: &T) -> Result<Value, EncodeError> {
    let mut v = serde_json::to_value(obj)?;
    if let Some(meta) = v.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("managedFields");
        let ann = meta
            .entry("annotations")
            .or_insert_with(|| Value::Object(Default::default()));
        if !ann.is_object() {
            *ann = Value::Object(Default::default());
        }
        if let Some(a) = ann.as_object_mut() {
            a.insert(ANN_MEMBER.to_string(), Value::String(cluster.to_string()));
        }
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn copies_name_their_member_and_hide_managed_fields() {
        let d = json!({"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web", "managedFields": [{"manager": "x"}]}});
        let v = member_object("c1", &d).unwrap();
        assert_eq!(v["metadata"]["annotations"][ANN_MEMBER], "c1");
        assert!(v["metadata"].get("managedFields").is_none());
        assert_eq!(v["kind"], "Deployment");
    }
}
