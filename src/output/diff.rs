//! `diff -f` output: for each member copy that would change, a unified diff of its YAML,
//! live against planned, with kubectl diff's headers (`diff -u -N LIVE/... MERGED/...`). The
//! file name of a copy is kubectl's `apps.v1.Deployment.NAMESPACE.NAME` plus `@MEMBER`.

use similar::TextDiff;

use crate::fleet::diff::ObjectDiff;

/// kubectl's object file name, with the member: `apps.v1.Deployment.default.web@c1`.
pub fn file_name(o: &ObjectDiff) -> String {
    format!(
        "apps.v1.Deployment.{}.{}@{}",
        o.namespace, o.name, o.cluster
    )
}

/// The YAML of one side (empty when absent, as `diff -N` treats a missing file).
pub fn side_text(v: Option<&serde_json::Value>) -> String {
    v.and_then(|v| super::to_yaml(v).ok()).unwrap_or_default()
}

/// Unified diffs of the copies that differ (empty when none does).
pub fn render(objects: &[ObjectDiff]) -> String {
    let mut out = String::new();
    for o in objects.iter().filter(|o| o.differs()) {
        let live = side_text(o.live.as_ref());
        let planned = side_text(o.planned.as_ref());
        let name = file_name(o);
        let (a, b) = (format!("LIVE/{name}"), format!("MERGED/{name}"));
        out.push_str(&format!("diff -u -N {a} {b}\n"));
        let text = TextDiff::from_lines(&live, &planned)
            .unified_diff()
            .context_radius(3)
            .header(&a, &b)
            .to_string();
        out.push_str(&text);
        if !text.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(replicas: u32, image: &str) -> serde_json::Value {
        json!({"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {"replicas": replicas, "template": {"spec": {"containers": [
                {"name": "app", "image": image}]}}}})
    }

    #[test]
    fn only_changed_copies_print_a_unified_diff() {
        let objects = vec![
            ObjectDiff {
                cluster: "a".into(),
                namespace: "default".into(),
                name: "web".into(),
                live: Some(obj(2, "app:1")),
                planned: Some(obj(3, "app:2")),
            },
            ObjectDiff {
                cluster: "b".into(),
                namespace: "default".into(),
                name: "web".into(),
                live: Some(obj(1, "app:1")),
                planned: Some(obj(1, "app:1")),
            },
            ObjectDiff {
                cluster: "c".into(),
                namespace: "default".into(),
                name: "web".into(),
                live: None,
                planned: Some(obj(1, "app:2")),
            },
        ];
        insta::assert_snapshot!(render(&objects), @r"
        diff -u -N LIVE/apps.v1.Deployment.default.web@a MERGED/apps.v1.Deployment.default.web@a
        --- LIVE/apps.v1.Deployment.default.web@a
        +++ MERGED/apps.v1.Deployment.default.web@a
        @@ -4,9 +4,9 @@
           name: web
           namespace: default
         spec:
        -  replicas: 2
        +  replicas: 3
           template:
             spec:
               containers:
        -      - image: app:1
        +      - image: app:2
                 name: app
        diff -u -N LIVE/apps.v1.Deployment.default.web@c MERGED/apps.v1.Deployment.default.web@c
        --- LIVE/apps.v1.Deployment.default.web@c
        +++ MERGED/apps.v1.Deployment.default.web@c
        @@ -0,0 +1,12 @@
        +apiVersion: apps/v1
        +kind: Deployment
        +metadata:
        +  name: web
        +  namespace: default
        +spec:
        +  replicas: 1
        +  template:
        +    spec:
        +      containers:
        +      - image: app:2
        +        name: app
        ");
        assert_eq!(render(&objects[1..2]), "");
    }
}
