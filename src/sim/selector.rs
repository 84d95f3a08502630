//! Label and field selectors as the Kubernetes API accepts them in `labelSelector` /
//! `fieldSelector` query parameters, evaluated against stored object metadata.
//!
//! Label selectors: `k`, `!k`, `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k>n`, `k<n`,
//! comma separated. Field selectors: `path=v`, `path==v`, `path!=v`, comma separated, where
//! `metadata.name`, `metadata.namespace`, `spec.nodeName` and `status.phase` are answered from the
//! index and any other dotted path from the object's JSON.

use serde_json::Value;

use super::store::ApiError;

/// One label requirement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LabelReq {
    /// `key` — the label exists.
    Exists(String),
    /// `!key` — the label does not exist.
    NotExists(String),
    /// `key=v` / `key==v` / `key in (..)`.
    In(String, Vec<String>),
    /// `key!=v` / `key notin (..)` (true when the label is absent).
    NotIn(String, Vec<String>),
    /// `key>n`.
    Gt(String, i64),
    /// `key<n`.
    Lt(String, i64),
}

/// A parsed label selector (all requirements must hold; empty matches everything).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LabelSelector {
    /// The requirements, ANDed.
    pub reqs: Vec<LabelReq>,
}

impl LabelSelector {
    /// Parses the `labelSelector` query syntax; 400 BadRequest on malformed input.
    pub fn parse(s: &str) -> Result<Self, ApiError> {
        let mut reqs = Vec::new();
        for part in split_top_level(s) {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            reqs.push(parse_label_req(part)?);
        }
        Ok(LabelSelector { reqs })
    }

    /// Builds a selector from a metav1 `LabelSelector` object (`matchLabels`, `matchExpressions`).
    pub fn from_object(sel: &Value) -> Result<Self, ApiError> {
        let mut reqs = Vec::new();
        if let Some(ml) = sel.get("matchLabels").and_then(Value::as_object) {
            for (k, v) in ml {
                reqs.push(LabelReq::In(
                    k.clone(),
                    vec![v.as_str().unwrap_or_default().to_string()],
                ));
            }
        }
        if let Some(exprs) = sel.get("matchExpressions").and_then(Value::as_array) {
            for e in exprs {
                let key = e
                    .get("key")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string();
                let values: Vec<String> = e
                    .get("values")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(|v| v.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default();
                let op = e
                    .get("operator")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                reqs.push(match op {
                    "In" => LabelReq::In(key, values),
                    "NotIn" => LabelReq::NotIn(key, values),
                    "Exists" => LabelReq::Exists(key),
                    "DoesNotExist" => LabelReq::NotExists(key),
                    other => {
                        return Err(ApiError::bad_request(format!(
                            "unknown label selector operator {other:?}"
                        )))
                    }
                });
            }
        }
        Ok(LabelSelector { reqs })
    }

    /// True when the selector has no requirements.
    pub fn is_empty(&self) -> bool {
        self.reqs.is_empty()
    }

    /// Evaluates against a label lookup.
    pub fn matches_with<'a>(&self, get: impl Fn(&str) -> Option<&'a str>) -> bool {
        self.reqs.iter().all(|r| match r {
            LabelReq::Exists(k) => get(k).is_some(),
            LabelReq::NotExists(k) => get(k).is_none(),
            LabelReq::In(k, vs) => get(k).is_some_and(|v| vs.iter().any(|x| x == v)),
            LabelReq::NotIn(k, vs) => get(k).is_none_or(|v| !vs.iter().any(|x| x == v)),
            LabelReq::Gt(k, n) => get(k)
                .and_then(|v| v.parse::<i64>().ok())
                .is_some_and(|v| v > *n),
            LabelReq::Lt(k, n) => get(k)
                .and_then(|v| v.parse::<i64>().ok())
                .is_some_and(|v| v < *n),
        })
    }

    /// Evaluates against a JSON `metadata.labels` map (or `None`).
    pub fn matches_json(&self, labels: Option<&serde_json::Map<String, Value>>) -> bool {
        self.matches_with(|k| labels.and_then(|m| m.get(k)).and_then(Value::as_str))
    }
}

fn split_top_level(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

fn bad_selector(s: &str) -> ApiError {
    ApiError::bad_request(format!(
        "unable to parse requirement: invalid label selector {s:?}"
    ))
}

fn parse_set(rest: &str, whole: &str) -> Result<Vec<String>, ApiError> {
    let rest = rest.trim();
    let inner = rest
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .ok_or_else(|| bad_selector(whole))?;
    Ok(inner
        .split(',')
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .collect())
}

fn parse_label_req(part: &str) -> Result<LabelReq, ApiError> {
    if let Some(k) = part.strip_prefix('!') {
        let k = k.trim();
        if k.is_empty() || k.contains(|c: char| "=!<>() ".contains(c)) {
            return Err(bad_selector(part));
        }
        return Ok(LabelReq::NotExists(k.to_string()));
    }
    // Set-based: `key in (..)` / `key notin (..)`.
    let words: Vec<&str> = part.splitn(2, char::is_whitespace).collect();
    if words.len() == 2 {
        let key = words[0].trim();
        let rest = words[1].trim_start();
        if let Some(r) = rest.strip_prefix("notin") {
            return Ok(LabelReq::NotIn(key.to_string(), parse_set(r, part)?));
        }
        if let Some(r) = rest.strip_prefix("in") {
            return Ok(LabelReq::In(key.to_string(), parse_set(r, part)?));
        }
    }
    for (op, is_eq) in [("!=", false), ("==", true), ("=", true)] {
        if let Some((k, v)) = part.split_once(op) {
            let (k, v) = (k.trim(), v.trim());
            if k.is_empty() {
                return Err(bad_selector(part));
            }
            return Ok(if is_eq {
                LabelReq::In(k.to_string(), vec![v.to_string()])
            } else {
                LabelReq::NotIn(k.to_string(), vec![v.to_string()])
            });
        }
    }
    for op in ['>', '<'] {
        if let Some((k, v)) = part.split_once(op) {
            let n: i64 = v.trim().parse().map_err(|_| bad_selector(part))?;
            let k = k.trim().to_string();
            return Ok(if op == '>' {
                LabelReq::Gt(k, n)
            } else {
                LabelReq::Lt(k, n)
            });
        }
    }
    if part.contains(|c: char| "() ".contains(c)) {
        return Err(bad_selector(part));
    }
    Ok(LabelReq::Exists(part.to_string()))
}

/// One field requirement: `path=value` or `path!=value`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldReq {
    /// Dotted path, e.g. `spec.nodeName`.
    pub path: String,
    /// Expected value.
    pub value: String,
    /// True for `!=`.
    pub negated: bool,
}

/// A parsed field selector (ANDed requirements).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldSelector {
    /// The requirements.
    pub reqs: Vec<FieldReq>,
}

impl FieldSelector {
    /// Parses the `fieldSelector` query syntax; 400 BadRequest on malformed input.
    pub fn parse(s: &str) -> Result<Self, ApiError> {
        let mut reqs = Vec::new();
        for part in s.split(',') {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            let (path, value, negated) = if let Some((p, v)) = part.split_once("!=") {
                (p, v, true)
            } else if let Some((p, v)) = part.split_once("==") {
                (p, v, false)
            } else if let Some((p, v)) = part.split_once('=') {
                (p, v, false)
            } else {
                return Err(ApiError::bad_request(format!(
                    "invalid field selector {part:?}: expected path=value or path!=value"
                )));
            };
            reqs.push(FieldReq {
                path: path.trim().to_string(),
                value: value.trim().to_string(),
                negated,
            });
        }
        Ok(FieldSelector { reqs })
    }

    /// True when the selector has no requirements.
    pub fn is_empty(&self) -> bool {
        self.reqs.is_empty()
    }

    /// Evaluates with a lookup of a field's string value (missing fields read as "").
    pub fn matches_with(&self, get: impl Fn(&str) -> String) -> bool {
        self.reqs
            .iter()
            .all(|r| (get(&r.path) == r.value) != r.negated)
    }
}

/// Reads a dotted field path of a JSON object as the string a field selector compares with.
pub fn json_field(obj: &Value, path: &str) -> String {
    let mut cur = obj;
    for seg in path.split('.') {
        match cur.get(seg) {
            Some(v) => cur = v,
            None => return String::new(),
        }
    }
    match cur {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lbl<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<&'a str> + 'a {
        move |k| pairs.iter().find(|(a, _)| *a == k).map(|(_, v)| *v)
    }

    #[test]
    fn label_selector_equality_set_and_existence_forms() {
        let l = [("app", "web"), ("tier", "fe")];
        let cases = [
            ("app=web", true),
            ("app==web", true),
            ("app!=web", false),
            ("app in (db, web)", true),
            ("app notin (db,web)", false),
            ("tier,app=web", true),
            ("!tier", false),
            ("!missing", true),
            ("missing!=x", true),
            ("app in (db),tier", false),
            ("", true),
        ];
        for (s, want) in cases {
            let sel = LabelSelector::parse(s).unwrap();
            assert_eq!(sel.matches_with(lbl(&l)), want, "{s}");
        }
        assert!(LabelSelector::parse("app in web").is_err());
    }

    #[test]
    fn field_selector_equality_and_negation() {
        let obj = serde_json::json!({"spec": {"nodeName": "n1"}, "status": {"phase": "Running"}});
        let sel = FieldSelector::parse("spec.nodeName=n1,status.phase!=Succeeded").unwrap();
        assert!(sel.matches_with(|p| json_field(&obj, p)));
        let sel = FieldSelector::parse("spec.nodeName==n2").unwrap();
        assert!(!sel.matches_with(|p| json_field(&obj, p)));
        assert!(FieldSelector::parse("nonsense").is_err());
    }
}
