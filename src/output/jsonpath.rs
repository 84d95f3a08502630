//! The subset of kubectl's JSONPath used by `-o jsonpath=...` and `-o custom-columns=...`.
//!
//! Paths: `.a.b`, `a.b`, `.a['key.with.dots']`, `.a.key\.with\.dots`, `[N]` (negative counts
//! from the end), `[*]` and `.*` (every element or value); `$` is the root, `@` the current
//! item of a `range`. Templates: literal text, `{PATH}` (several values are joined by a
//! space, as kubectl does), `{"text"}` (quoted, with `\n` `\t` escapes) and
//! `{range PATH}...{end}`. Not supported (a clear error): filters `[?(...)]`, slices
//! `[a:b]`, unions `[a,b]` and recursive descent `..`.

use serde_json::Value;

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// An object field.
    Field(String),
    /// An array element; negative counts from the end.
    Index(i64),
    /// Every element of an array or value of an object.
    Wildcard,
}

/// Where a path starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Anchor {
    Root,
    Current,
}

/// A parsed path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path {
    anchor: Anchor,
    steps: Vec<Step>,
}

/// Parses a path (optionally wrapped in `{}`).
pub fn parse_path(text: &str) -> Result<Path, String> {
    let mut s = text.trim();
    if let Some(inner) = s.strip_prefix('{').and_then(|r| r.strip_suffix('}')) {
        s = inner.trim();
    }
    let mut anchor = Anchor::Current;
    if let Some(rest) = s.strip_prefix('$') {
        anchor = Anchor::Root;
        s = rest;
    } else if let Some(rest) = s.strip_prefix('@') {
        s = rest;
    }
    if s.contains("..") {
        return Err(format!("{text:?}: recursive descent (..) is not supported"));
    }
    let chars: Vec<char> = s.chars().collect();
    let mut steps = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '.' => i += 1,
            '[' => {
                let close = chars[i..]
                    .iter()
                    .position(|&c| c == ']')
                    .map(|p| p + i)
                    .ok_or_else(|| format!("{text:?}: unclosed ["))?;
                let inner: String = chars[i + 1..close].iter().collect();
                let inner = inner.trim();
                if inner == "*" {
                    steps.push(Step::Wildcard);
                } else if let Some(q) = inner
                    .strip_prefix('\'')
                    .and_then(|r| r.strip_suffix('\''))
                    .or_else(|| inner.strip_prefix('"').and_then(|r| r.strip_suffix('"')))
                {
                    steps.push(Step::Field(q.to_string()));
                } else if let Ok(n) = inner.parse::<i64>() {
                    steps.push(Step::Index(n));
                } else {
                    return Err(format!(
                        "{text:?}: [{inner}] is not supported (use [N], [*] or ['key'])"
                    ));
                }
                i = close + 1;
                continue;
            }
            _ => {}
        }
        if i >= chars.len() {
            break;
        }
        if chars[i] == '[' {
            continue;
        }
        let mut name = String::new();
        while i < chars.len() && chars[i] != '.' && chars[i] != '[' {
            if chars[i] == '\\' && i + 1 < chars.len() {
                name.push(chars[i + 1]);
                i += 2;
                continue;
            }
            name.push(chars[i]);
            i += 1;
        }
        if name == "*" {
            steps.push(Step::Wildcard);
        } else if !name.is_empty() {
            steps.push(Step::Field(name));
        }
    }
    Ok(Path { anchor, steps })
}

/// The values `path` selects from `current` (`root` for `$` paths).
pub fn eval<'a>(root: &'a Value, current: &'a Value, path: &Path) -> Vec<&'a Value> {
    let start = match path.anchor {
        Anchor::Root => root,
        Anchor::Current => current,
    };
    let mut values = vec![start];
    for step in &path.steps {
        let mut next = Vec::new();
        for v in values {
            match step {
                Step::Field(f) => {
                    if let Some(x) = v.get(f.as_str()) {
                        next.push(x);
                    }
                }
                Step::Index(n) => {
                    if let Some(a) = v.as_array() {
                        let idx = if *n < 0 { a.len() as i64 + n } else { *n };
                        if idx >= 0 {
                            if let Some(x) = a.get(idx as usize) {
                                next.push(x);
                            }
                        }
                    }
                }
                Step::Wildcard => match v {
                    Value::Array(a) => next.extend(a.iter()),
                    Value::Object(o) => next.extend(o.values()),
                    _ => {}
                },
            }
        }
        values = next;
    }
    values
}

/// A value as kubectl prints it: strings raw, scalars as JSON, objects and arrays as
/// compact JSON, null as empty.
pub fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// One piece of a template.
#[derive(Debug, Clone, PartialEq)]
enum Segment {
    Text(String),
    Expr(Path),
    Range(Path, Vec<Segment>),
}

/// A parsed `-o jsonpath=` template.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    segments: Vec<Segment>,
}

impl Template {
    /// Parses a template such as `{range .items[*]}{.metadata.name}{"\n"}{end}`.
    pub fn parse(text: &str) -> Result<Template, String> {
        let mut stack: Vec<(Option<Path>, Vec<Segment>)> = vec![(None, Vec::new())];
        let mut rest = text;
        while !rest.is_empty() {
            let Some(open) = rest.find('{') else {
                push(&mut stack, Segment::Text(rest.to_string()));
                break;
            };
            if open > 0 {
                push(&mut stack, Segment::Text(rest[..open].to_string()));
            }
            let after = &rest[open + 1..];
            let close =
                closing_brace(after).ok_or_else(|| format!("jsonpath {text:?}: unclosed {{"))?;
            let expr = after[..close].trim();
            rest = &after[close + 1..];
            if let Some(p) = expr.strip_prefix("range ") {
                stack.push((Some(parse_path(p)?), Vec::new()));
            } else if expr == "end" {
                if stack.len() < 2 {
                    return Err(format!("jsonpath {text:?}: {{end}} without {{range}}"));
                }
                let (path, body) = stack.pop().unwrap_or((None, Vec::new()));
                if let Some(path) = path {
                    push(&mut stack, Segment::Range(path, body));
                }
            } else if expr.starts_with('"') && expr.ends_with('"') && expr.len() >= 2 {
                push(&mut stack, Segment::Text(unquote(&expr[1..expr.len() - 1])));
            } else if expr.starts_with('?') || expr.contains("[?") {
                return Err(format!("jsonpath {text:?}: filters are not supported"));
            } else {
                push(&mut stack, Segment::Expr(parse_path(expr)?));
            }
        }
        if stack.len() != 1 {
            return Err(format!("jsonpath {text:?}: {{range}} without {{end}}"));
        }
        let (_, segments) = stack.pop().unwrap_or((None, Vec::new()));
        Ok(Template { segments })
    }

    /// Renders the template against `root`.
    pub fn render(&self, root: &Value) -> String {
        let mut out = String::new();
        render(&self.segments, root, root, &mut out);
        out
    }
}

fn push(stack: &mut [(Option<Path>, Vec<Segment>)], seg: Segment) {
    if let Some((_, v)) = stack.last_mut() {
        v.push(seg);
    }
}

/// Index of the `}` closing an expression, skipping braces inside quotes.
fn closing_brace(s: &str) -> Option<usize> {
    let mut quoted = false;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            '}' if !quoted => return Some(i),
            _ => {}
        }
    }
    None
}

fn unquote(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('r') => out.push('\r'),
                Some(o) => out.push(o),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn render(segments: &[Segment], root: &Value, current: &Value, out: &mut String) {
    for seg in segments {
        match seg {
            Segment::Text(t) => out.push_str(t),
            Segment::Expr(p) => {
                let vals: Vec<String> = eval(root, current, p).into_iter().map(text_of).collect();
                out.push_str(&vals.join(" "));
            }
            Segment::Range(p, body) => {
                for v in eval(root, current, p) {
                    render(body, root, v, out);
                }
            }
        }
    }
}

/// `-o custom-columns=HEADER:PATH,...`: the columns.
pub fn parse_columns(spec: &str) -> Result<Vec<(String, Path)>, String> {
    let mut cols = Vec::new();
    for part in split_top_level(spec) {
        let (header, path) = part.split_once(':').ok_or_else(|| {
            format!("custom-columns {part:?}: expected HEADER:PATH (e.g. NAME:.metadata.name)")
        })?;
        if header.is_empty() {
            return Err(format!("custom-columns {part:?}: empty header"));
        }
        cols.push((header.to_string(), parse_path(path)?));
    }
    if cols.is_empty() {
        return Err("custom-columns: no columns given".to_string());
    }
    Ok(cols)
}

/// Splits on commas outside brackets and braces.
fn split_top_level(s: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut cur = String::new();
    for c in s.chars() {
        match c {
            '[' | '{' => depth += 1,
            ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    if !cur.is_empty() {
        parts.push(cur);
    }
    parts
}

/// The cell of one custom column for `item`: values joined by `,`, `<none>` when absent.
pub fn column_cell(item: &Value, path: &Path) -> String {
    let vals: Vec<String> = eval(item, item, path).into_iter().map(text_of).collect();
    if vals.is_empty() {
        "<none>".to_string()
    } else {
        vals.join(",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn list() -> Value {
        json!({"apiVersion": "v1", "kind": "List", "items": [
            {"metadata": {"name": "web", "annotations": {"fleet.kubectl.dev/member": "c1"}},
             "spec": {"replicas": 2, "template": {"spec": {"containers": [
                {"image": "a:1"}, {"image": "b:1"}]}}}},
            {"metadata": {"name": "web", "annotations": {"fleet.kubectl.dev/member": "c2"}},
             "spec": {"replicas": 3}}
        ]})
    }

    #[test]
    fn paths_reach_fields_indices_wildcards_and_dotted_keys() {
        let l = list();
        let p = parse_path(".items[*].metadata.annotations.fleet\\.kubectl\\.dev/member").unwrap();
        let got: Vec<String> = eval(&l, &l, &p).into_iter().map(text_of).collect();
        assert_eq!(got, ["c1", "c2"]);
        let p =
            parse_path("{.items[-1].metadata.annotations['fleet.kubectl.dev/member']}").unwrap();
        assert_eq!(text_of(eval(&l, &l, &p)[0]), "c2");
        let p = parse_path("$.items[0].spec.template.spec.containers[*].image").unwrap();
        assert_eq!(eval(&l, &l, &p).len(), 2);
        assert!(eval(&l, &l, &parse_path(".items[5]").unwrap()).is_empty());
        assert!(parse_path(".items[?(@.x)]").is_err());
        assert!(parse_path("..name").is_err());
    }

    #[test]
    fn templates_render_like_kubectl() {
        let t = Template::parse(
            r#"{range .items[*]}{.metadata.annotations.fleet\.kubectl\.dev/member}{"\t"}{.spec.replicas}{"\n"}{end}"#,
        )
        .unwrap();
        assert_eq!(t.render(&list()), "c1\t2\nc2\t3\n");
        let names = Template::parse("{.items[*].metadata.name}").unwrap();
        assert_eq!(names.render(&list()), "web web");
        assert!(Template::parse("{range .items[*]}{.x}").is_err());
        assert!(Template::parse("{end}").is_err());
        assert!(Template::parse("{.items").is_err());
    }

    #[test]
    fn custom_columns_fill_none_and_join_lists() {
        let cols = parse_columns(
            "NAME:.metadata.name,IMAGES:.spec.template.spec.containers[*].image,X:.nope",
        )
        .unwrap();
        let items = list();
        let first = &items["items"][0];
        let cells: Vec<String> = cols.iter().map(|(_, p)| column_cell(first, p)).collect();
        assert_eq!(cells, ["web", "a:1,b:1", "<none>"]);
        assert!(parse_columns("NAME").is_err());
        assert!(parse_columns("").is_err());
    }
}
