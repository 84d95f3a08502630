//! `-o` output formats and the machine-readable encodings.
//!
//! `-o json|yaml` of several objects prints a kubectl `List`
//! (`{"apiVersion":"v1","kind":"List","items":[...],"metadata":{"resourceVersion":""}}`);
//! `-o name` prints `<resource>.<group>/<name>` (`deployment.apps/qwen3-8b`).

use serde::Serialize;

/// The `-o/--output` flag.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// The default table.
    Table,
    /// The table with extra columns.
    Wide,
    /// JSON.
    Json,
    /// YAML.
    Yaml,
    /// `resource.group/name`, one per line.
    Name,
}

impl OutputFormat {
    /// Whether this is a machine format (no colour, no narration on stdout).
    pub fn is_machine(self) -> bool {
        matches!(
            self,
            OutputFormat::Json | OutputFormat::Yaml | OutputFormat::Name
        )
    }
}

/// Errors turning a value into JSON or YAML.
#[derive(Debug, thiserror::Error)]
pub enum EncodeError {
    /// JSON encoding failed.
    #[error("encoding JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// YAML encoding failed.
    #[error("encoding YAML: {0}")]
    Yaml(String),
}

/// Pretty JSON (two-space indent, like kubectl) with a trailing newline.
pub fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<String, EncodeError> {
    let mut s = serde_json::to_string_pretty(value)?;
    s.push('\n');
    Ok(s)
}

/// Block-style YAML with a trailing newline.
pub fn to_yaml<T: Serialize + ?Sized>(value: &T) -> Result<String, EncodeError> {
    // Going through serde_json::Value keeps field order and drops serde-only artefacts.
    let v = serde_json::to_value(value)?;
    let mut s = serde_saphyr::to_string(&v).map_err(|e| EncodeError::Yaml(e.to_string()))?;
    if !s.ends_with('\n') {
        s.push('\n');
    }
    Ok(s)
}

/// A kubectl `List` document wrapping `items`.
pub fn list_document<T: Serialize>(items: &[T]) -> Result<serde_json::Value, EncodeError> {
    Ok(serde_json::json!({
        "apiVersion": "v1",
        "kind": "List",
        "items": serde_json::to_value(items)?,
        "metadata": {"resourceVersion": ""},
    }))
}

/// `-o name` for a resource: `deployment.apps/NAME`, `pod/NAME`, `node/NAME`.
pub fn to_name(resource: &str, group: &str, name: &str) -> String {
    if group.is_empty() {
        format!("{resource}/{name}")
    } else {
        format!("{resource}.{group}/{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_documents_look_like_kubectl() {
        let doc = list_document(&[serde_json::json!({"kind": "Deployment"})]).unwrap();
        insta::assert_snapshot!(to_yaml(&doc).unwrap(), @r#"
        apiVersion: v1
        items:
        - kind: Deployment
        kind: List
        metadata:
          resourceVersion: ""
        "#);
        assert!(to_json(&doc)
            .unwrap()
            .starts_with("{\n  \"apiVersion\": \"v1\""));
    }

    #[test]
    fn names_carry_the_api_group() {
        assert_eq!(to_name("deployment", "apps", "web"), "deployment.apps/web");
        assert_eq!(to_name("pod", "", "web-1"), "pod/web-1");
    }
}
