//! Label selectors in kubectl's string form (`-l/--cluster-selector`), matched against member
//! labels: `k=v`, `k==v`, `k!=v`, `k`, `!k`, `k in (a,b)`, `k notin (a,b)`, comma = AND.

use std::collections::BTreeMap;

/// One requirement of a selector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Requirement {
    Equals(String, String),
    NotEquals(String, String),
    Exists(String),
    NotExists(String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
}

/// A parsed label selector; the empty selector matches everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabelSelector {
    pub requirements: Vec<Requirement>,
}

impl LabelSelector {
    /// Parses kubectl's selector syntax. Errors are one line and quote the offending part.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut requirements = Vec::new();
        for part in split_top_level(text)? {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            requirements.push(parse_requirement(part)?);
        }
        Ok(LabelSelector { requirements })
    }

    /// True when every requirement holds for `labels`.
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.requirements.iter().all(|r| match r {
            Requirement::Equals(k, v) => labels.get(k) == Some(v),
            Requirement::NotEquals(k, v) => labels.get(k) != Some(v),
            Requirement::Exists(k) => labels.contains_key(k),
            Requirement::NotExists(k) => !labels.contains_key(k),
            Requirement::In(k, vs) => labels.get(k).is_some_and(|v| vs.contains(v)),
            Requirement::NotIn(k, vs) => labels.get(k).is_none_or(|v| !vs.contains(v)),
        })
    }
}

impl LabelSelector {
    /// A Kubernetes `LabelSelector` (a Deployment's `spec.selector`): every `matchLabels`
    /// entry AND every `matchExpressions` requirement (`In`, `NotIn`, `Exists`,
    /// `DoesNotExist`). An unknown operator is an error naming it.
    pub fn from_k8s(
        sel: &k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector,
    ) -> Result<Self, String> {
        let mut requirements: Vec<Requirement> = sel
            .match_labels
            .iter()
            .flatten()
            .map(|(k, v)| Requirement::Equals(k.clone(), v.clone()))
            .collect();
        for e in sel.match_expressions.iter().flatten() {
            let values = e.values.clone().unwrap_or_default();
            requirements.push(match e.operator.as_str() {
                "In" => Requirement::In(e.key.clone(), values),
                "NotIn" => Requirement::NotIn(e.key.clone(), values),
                "Exists" => Requirement::Exists(e.key.clone()),
                "DoesNotExist" => Requirement::NotExists(e.key.clone()),
                other => {
                    return Err(format!(
                        "matchExpressions: key {:?}: unknown operator {other:?} (In, NotIn, Exists, DoesNotExist)",
                        e.key
                    ))
                }
            });
        }
        Ok(LabelSelector { requirements })
    }

    /// The selector in the API's string form (`?labelSelector=`): `k=v`, `k!=v`, `k`, `!k`,
    /// `k in (a,b)`, `k notin (a,b)`, comma-separated; the empty string selects everything.
    pub fn to_query(&self) -> String {
        self.requirements
            .iter()
            .map(|r| match r {
                Requirement::Equals(k, v) => format!("{k}={v}"),
                Requirement::NotEquals(k, v) => format!("{k}!={v}"),
                Requirement::Exists(k) => k.clone(),
                Requirement::NotExists(k) => format!("!{k}"),
                Requirement::In(k, vs) => format!("{k} in ({})", vs.join(",")),
                Requirement::NotIn(k, vs) => format!("{k} notin ({})", vs.join(",")),
            })
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// `NAME=VALUE` for the query string of a request path, form-encoded as kube's `ListParams`
/// encodes it (selectors carry `=`, `!`, `,`, spaces and parentheses).
pub fn query_pair(name: &str, value: &str) -> String {
    form_urlencoded::Serializer::new(String::new())
        .append_pair(name, value)
        .finish()
}

/// Splits on commas that are not inside parentheses.
fn split_top_level(text: &str) -> Result<Vec<&str>, String> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth < 0 {
                    return Err(format!("selector {text:?}: unbalanced ')'"));
                }
            }
            ',' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if depth != 0 {
        return Err(format!("selector {text:?}: unbalanced '('"));
    }
    parts.push(&text[start..]);
    Ok(parts)
}

fn check_key(key: &str, part: &str) -> Result<String, String> {
    let key = key.trim();
    let valid = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'));
    if valid {
        Ok(key.to_string())
    } else {
        Err(format!(
            "selector requirement {part:?}: invalid label key {key:?}"
        ))
    }
}

fn parse_requirement(part: &str) -> Result<Requirement, String> {
    if let Some(rest) = part.strip_prefix('!') {
        return Ok(Requirement::NotExists(check_key(rest, part)?));
    }
    if let Some((k, v)) = part.split_once("!=") {
        return Ok(Requirement::NotEquals(
            check_key(k, part)?,
            v.trim().to_string(),
        ));
    }
    if let Some((k, v)) = part.split_once("==").or_else(|| part.split_once('=')) {
        return Ok(Requirement::Equals(
            check_key(k, part)?,
            v.trim().to_string(),
        ));
    }
    if let Some(open) = part.find('(') {
        let head = part[..open].trim();
        let Some(list) = part[open + 1..].trim().strip_suffix(')') else {
            return Err(format!("selector requirement {part:?}: missing ')'"));
        };
        let values: Vec<String> = list
            .split(',')
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .collect();
        let (key, op) = head.rsplit_once(char::is_whitespace).ok_or_else(|| {
            format!("selector requirement {part:?}: expected 'key in (..)' or 'key notin (..)'")
        })?;
        return match op.trim() {
            "in" => Ok(Requirement::In(check_key(key, part)?, values)),
            "notin" => Ok(Requirement::NotIn(check_key(key, part)?, values)),
            other => Err(format!(
                "selector requirement {part:?}: unknown operator {other:?} (expected in or notin)"
            )),
        };
    }
    Ok(Requirement::Exists(check_key(part, part)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn selector_supports_equality_set_and_existence_forms() {
        let l = labels(&[("region", "cn-beijing"), ("provider", "idc")]);
        let yes = [
            "",
            "region=cn-beijing",
            "region==cn-beijing",
            "provider!=aliyun",
            "region",
            "!zone",
            "region in (cn-beijing, cn-hangzhou)",
            "provider notin (aliyun),region",
        ];
        for s in yes {
            assert!(LabelSelector::parse(s).unwrap().matches(&l), "{s}");
        }
        let no = [
            "region=x",
            "zone",
            "!region",
            "provider in (aliyun)",
            "region notin (cn-beijing)",
        ];
        for s in no {
            assert!(!LabelSelector::parse(s).unwrap().matches(&l), "{s}");
        }
    }

    #[test]
    fn selector_errors_quote_the_bad_part() {
        let err = LabelSelector::parse("region in (a,b").unwrap_err();
        assert!(err.contains("unbalanced"), "{err}");
        let err = LabelSelector::parse("region within (a)").unwrap_err();
        assert!(err.contains("within"), "{err}");
        let err = LabelSelector::parse("bad key=1").unwrap_err();
        assert!(err.contains("bad key"), "{err}");
    }

    #[test]
    fn query_pair_encodes_every_selector_form() {
        assert_eq!(
            query_pair("labelSelector", "app=web,!canary,tier in (a,b)"),
            "labelSelector=app%3Dweb%2C%21canary%2Ctier+in+%28a%2Cb%29"
        );
        assert_eq!(
            query_pair("labelSelector", "a#b&c"),
            "labelSelector=a%23b%26c"
        );
    }
}
