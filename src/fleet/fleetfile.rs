//! The optional Fleet file (`--fleet FILE`, default `$XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml`):
//! kind `Fleet`, apiVersion `fleet.kubectl.dev/v1alpha1`. Format: docs/fleet-file.md.
//!
//! Parsed by hand from a JSON tree so that every error names the file and the field path
//! (`members[1].capacityProviders[0].exec.command: expected a string`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::error::{one_line, FleetError};

/// API version of the Fleet file.
pub const FLEET_API_VERSION: &str = "fleet.kubectl.dev/v1alpha1";

/// A parsed Fleet file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FleetFile {
    /// Where it was read from (for messages).
    pub path: PathBuf,
    /// `metadata.name`, if any.
    pub name: Option<String>,
    pub members: Vec<MemberSpec>,
}

/// One `members[]` entry.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MemberSpec {
    /// Member name (what policies' clusterNames refer to).
    pub name: String,
    /// kubeconfig context; default: `name`.
    pub context: Option<String>,
    /// kubeconfig file for this member; default: the merged kubeconfig.
    pub kubeconfig: Option<PathBuf>,
    pub labels: BTreeMap<String, String>,
    /// `None` = not given (the default providers apply); `Some(vec![])` = explicitly none.
    pub capacity_providers: Option<Vec<CapacityProvider>>,
}

/// Where a member's elastic capacity (node pools + inventory) comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum CapacityProvider {
    /// Node pools written in the Fleet file.
    Static { pools: Vec<PoolSpec> },
    /// A ConfigMap of the member (default `kube-system/kubectl-fleet-inventory`, key `pools.json`).
    InventoryConfigMap {
        namespace: String,
        name: String,
        key: String,
    },
    /// A command whose stdout is JSON pools (like kubeconfig exec credentials).
    Exec {
        command: String,
        args: Vec<String>,
        env: BTreeMap<String, String>,
        timeout: Duration,
    },
}

impl CapacityProvider {
    /// The default provider of every member: the inventory ConfigMap (absent = no pools).
    pub fn default_inventory() -> Self {
        CapacityProvider::InventoryConfigMap {
            namespace: super::state::INVENTORY_NAMESPACE.to_string(),
            name: super::state::INVENTORY_CONFIGMAP.to_string(),
            key: super::state::INVENTORY_KEY.to_string(),
        }
    }

    /// Short description for warnings ("exec /usr/bin/inv", "configmap kube-system/x").
    pub fn describe(&self) -> String {
        match self {
            CapacityProvider::Static { .. } => "static pools".to_string(),
            CapacityProvider::InventoryConfigMap {
                namespace, name, ..
            } => format!("configmap {namespace}/{name}"),
            CapacityProvider::Exec { command, .. } => format!("exec {command}"),
        }
    }
}

/// An elastic node pool: the node shape it adds, how many it may add, and the inventory.
/// The same JSON shape is read from the inventory ConfigMap and from exec providers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PoolSpec {
    pub name: String,
    /// Allocatable of one node of the pool (quantities as strings, e.g. `nvidia.com/gpu: "1"`).
    pub allocatable: BTreeMap<String, String>,
    pub labels: BTreeMap<String, String>,
    pub taints: Vec<TaintSpec>,
    /// Upper bound of the pool's size in nodes.
    pub max_nodes: u32,
    /// Nodes the pool has now (including nodes still provisioning).
    pub current_nodes: u32,
    /// Of `current_nodes`, those still provisioning (not Ready yet): they count as elastic
    /// room, not idle room, until they are Ready.
    pub provisioning_nodes: u32,
    /// Instances the provider can deliver now; `None` = not limited by inventory.
    pub inventory: Option<u32>,
}

/// A node taint of a pool.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TaintSpec {
    pub key: String,
    pub value: Option<String>,
    pub effect: String,
}

/// Where the default Fleet file lives: `$XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml`, else
/// `~/.config/kubectl-fleet/fleet.yaml`.
pub fn default_fleet_file() -> Option<PathBuf> {
    let base = match std::env::var_os("XDG_CONFIG_HOME") {
        Some(v) if !v.is_empty() => PathBuf::from(v),
        _ => PathBuf::from(std::env::var_os("HOME")?).join(".config"),
    };
    Some(base.join("kubectl-fleet").join("fleet.yaml"))
}

impl FleetFile {
    /// Reads and parses a Fleet file.
    pub fn read(path: &Path) -> Result<FleetFile, FleetError> {
        let text = std::fs::read_to_string(path).map_err(|e| FleetError::FleetFile {
            path: path.to_path_buf(),
            field: "(file)".into(),
            message: one_line(e).to_lowercase(),
        })?;
        FleetFile::parse(&text, path)
    }

    /// Parses Fleet file text; `path` is used in messages and to resolve relative paths.
    pub fn parse(text: &str, path: &Path) -> Result<FleetFile, FleetError> {
        let err = |field: &str, message: String| FleetError::FleetFile {
            path: path.to_path_buf(),
            field: field.to_string(),
            message,
        };
        let root: Value = serde_saphyr::from_str(text).map_err(|e| err("(yaml)", one_line(e)))?;
        let w = Walker { path };
        let root = w.object(&root, "(document)")?;
        match root.get("apiVersion") {
            Some(Value::String(v)) if v == FLEET_API_VERSION => {}
            Some(other) => {
                return Err(err(
                    "apiVersion",
                    format!("expected {FLEET_API_VERSION:?}, got {}", short(other)),
                ))
            }
            None => {
                return Err(err(
                    "apiVersion",
                    format!("missing (expected {FLEET_API_VERSION:?})"),
                ))
            }
        }
        match root.get("kind") {
            Some(Value::String(k)) if k == "Fleet" => {}
            Some(other) => {
                return Err(err(
                    "kind",
                    format!("expected \"Fleet\", got {}", short(other)),
                ))
            }
            None => return Err(err("kind", "missing (expected \"Fleet\")".into())),
        }
        let name = match root.get("metadata") {
            Some(m) => {
                let m = w.object(m, "metadata")?;
                w.opt_string(m.get("name"), "metadata.name")?
            }
            None => None,
        };
        // `members` may sit at the top level or under `spec`.
        let members_value = match (root.get("members"), root.get("spec")) {
            (Some(m), _) => Some((m, "members".to_string())),
            (None, Some(spec)) => w
                .object(spec, "spec")?
                .get("members")
                .map(|m| (m, "spec.members".to_string())),
            (None, None) => None,
        };
        let mut members = Vec::new();
        if let Some((list, base)) = members_value {
            for (i, m) in w.array(list, &base)?.iter().enumerate() {
                members.push(w.member(m, &format!("{base}[{i}]"))?);
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        for (i, m) in members.iter().enumerate() {
            if !seen.insert(m.name.clone()) {
                return Err(err(
                    &format!("members[{i}].name"),
                    format!("duplicate member name {:?}", m.name),
                ));
            }
        }
        Ok(FleetFile {
            path: path.to_path_buf(),
            name,
            members,
        })
    }
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.len() > 40 {
        format!("{}...", &s[..40])
    } else {
        s
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

struct Walker<'a> {
    path: &'a Path,
}

type Obj = serde_json::Map<String, Value>;

impl Walker<'_> {
    fn err(&self, field: &str, message: impl Into<String>) -> FleetError {
        FleetError::FleetFile {
            path: self.path.to_path_buf(),
            field: field.to_string(),
            message: message.into(),
        }
    }

    fn object<'v>(&self, v: &'v Value, field: &str) -> Result<&'v Obj, FleetError> {
        v.as_object()
            .ok_or_else(|| self.err(field, format!("expected a mapping, got {}", type_name(v))))
    }

    fn array<'v>(&self, v: &'v Value, field: &str) -> Result<&'v Vec<Value>, FleetError> {
        v.as_array()
            .ok_or_else(|| self.err(field, format!("expected a list, got {}", type_name(v))))
    }

    fn string(&self, v: &Value, field: &str) -> Result<String, FleetError> {
        match v {
            Value::String(s) => Ok(s.clone()),
            other => Err(self.err(
                field,
                format!("expected a string, got {}", type_name(other)),
            )),
        }
    }

    fn opt_string(&self, v: Option<&Value>, field: &str) -> Result<Option<String>, FleetError> {
        match v {
            None | Some(Value::Null) => Ok(None),
            Some(v) => self.string(v, field).map(Some),
        }
    }

    fn opt_u32(&self, v: Option<&Value>, field: &str) -> Result<Option<u32>, FleetError> {
        match v {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => n
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .map(Some)
                .ok_or_else(|| {
                    self.err(field, format!("expected a non-negative integer, got {n}"))
                }),
            Some(other) => Err(self.err(
                field,
                format!("expected a non-negative integer, got {}", type_name(other)),
            )),
        }
    }

    /// A string map; numbers and booleans are accepted and turned into strings (YAML habit).
    fn string_map(
        &self,
        v: Option<&Value>,
        field: &str,
    ) -> Result<BTreeMap<String, String>, FleetError> {
        let mut out = BTreeMap::new();
        let Some(v) = v else { return Ok(out) };
        if v.is_null() {
            return Ok(out);
        }
        for (k, val) in self.object(v, field)? {
            let s = match val {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                other => {
                    return Err(self.err(
                        &format!("{field}.{k}"),
                        format!("expected a string, got {}", type_name(other)),
                    ))
                }
            };
            out.insert(k.clone(), s);
        }
        Ok(out)
    }

    fn check_keys(&self, obj: &Obj, field: &str, allowed: &[&str]) -> Result<(), FleetError> {
        for k in obj.keys() {
            if !allowed.contains(&k.as_str()) {
                let sep = if field.is_empty() { "" } else { "." };
                return Err(self.err(
                    &format!("{field}{sep}{k}"),
                    format!("unknown field (expected one of: {})", allowed.join(", ")),
                ));
            }
        }
        Ok(())
    }

    fn relative_path(&self, p: &str) -> PathBuf {
        let p = expand_home(p);
        if p.is_absolute() {
            p
        } else {
            self.path.parent().unwrap_or(Path::new(".")).join(p)
        }
    }

    fn member(&self, v: &Value, field: &str) -> Result<MemberSpec, FleetError> {
        let m = self.object(v, field)?;
        self.check_keys(
            m,
            field,
            &[
                "name",
                "context",
                "kubeconfig",
                "labels",
                "capacityProviders",
            ],
        )?;
        let name = match m.get("name") {
            Some(v) => self.string(v, &format!("{field}.name"))?,
            None => return Err(self.err(&format!("{field}.name"), "missing")),
        };
        if name.is_empty() {
            return Err(self.err(&format!("{field}.name"), "must not be empty"));
        }
        let context = self.opt_string(m.get("context"), &format!("{field}.context"))?;
        let kubeconfig = self
            .opt_string(m.get("kubeconfig"), &format!("{field}.kubeconfig"))?
            .map(|p| self.relative_path(&p));
        let labels = self.string_map(m.get("labels"), &format!("{field}.labels"))?;
        let capacity_providers = match m.get("capacityProviders") {
            None | Some(Value::Null) => None,
            Some(list) => {
                let base = format!("{field}.capacityProviders");
                let mut out = Vec::new();
                for (i, p) in self.array(list, &base)?.iter().enumerate() {
                    out.push(self.provider(p, &format!("{base}[{i}]"))?);
                }
                Some(out)
            }
        };
        Ok(MemberSpec {
            name,
            context,
            kubeconfig,
            labels,
            capacity_providers,
        })
    }

    fn provider(&self, v: &Value, field: &str) -> Result<CapacityProvider, FleetError> {
        let p = self.object(v, field)?;
        self.check_keys(p, field, &["static", "inventoryConfigMap", "exec"])?;
        if p.len() != 1 {
            return Err(self.err(
                field,
                "expected exactly one of: static, inventoryConfigMap, exec",
            ));
        }
        let (kind, body) = p.iter().next().expect("one entry");
        let f = format!("{field}.{kind}");
        match kind.as_str() {
            "static" => {
                let body = self.object(body, &f)?;
                self.check_keys(body, &f, &["pools"])?;
                let mut pools = Vec::new();
                if let Some(list) = body.get("pools") {
                    for (i, pool) in self.array(list, &format!("{f}.pools"))?.iter().enumerate() {
                        pools.push(self.pool(pool, &format!("{f}.pools[{i}]"))?);
                    }
                }
                Ok(CapacityProvider::Static { pools })
            }
            "inventoryConfigMap" => {
                let body = if body.is_null() {
                    Obj::new()
                } else {
                    self.object(body, &f)?.clone()
                };
                self.check_keys(&body, &f, &["namespace", "name", "key"])?;
                let CapacityProvider::InventoryConfigMap {
                    namespace,
                    name,
                    key,
                } = CapacityProvider::default_inventory()
                else {
                    unreachable!("default_inventory is a ConfigMap provider")
                };
                Ok(CapacityProvider::InventoryConfigMap {
                    namespace: self
                        .opt_string(body.get("namespace"), &format!("{f}.namespace"))?
                        .unwrap_or(namespace),
                    name: self
                        .opt_string(body.get("name"), &format!("{f}.name"))?
                        .unwrap_or(name),
                    key: self
                        .opt_string(body.get("key"), &format!("{f}.key"))?
                        .unwrap_or(key),
                })
            }
            "exec" => {
                let body = self.object(body, &f)?;
                self.check_keys(body, &f, &["command", "args", "env", "timeoutSeconds"])?;
                let command = match body.get("command") {
                    Some(c) => self.string(c, &format!("{f}.command"))?,
                    None => return Err(self.err(&format!("{f}.command"), "missing")),
                };
                if command.is_empty() {
                    return Err(self.err(&format!("{f}.command"), "must not be empty"));
                }
                let mut args = Vec::new();
                if let Some(list) = body.get("args") {
                    for (i, a) in self.array(list, &format!("{f}.args"))?.iter().enumerate() {
                        args.push(self.string(a, &format!("{f}.args[{i}]"))?);
                    }
                }
                let mut env = BTreeMap::new();
                if let Some(list) = body.get("env") {
                    for (i, e) in self.array(list, &format!("{f}.env"))?.iter().enumerate() {
                        let ef = format!("{f}.env[{i}]");
                        let e = self.object(e, &ef)?;
                        self.check_keys(e, &ef, &["name", "value"])?;
                        let name = match e.get("name") {
                            Some(n) => self.string(n, &format!("{ef}.name"))?,
                            None => return Err(self.err(&format!("{ef}.name"), "missing")),
                        };
                        let value = self
                            .opt_string(e.get("value"), &format!("{ef}.value"))?
                            .unwrap_or_default();
                        env.insert(name, value);
                    }
                }
                let secs = self
                    .opt_u32(body.get("timeoutSeconds"), &format!("{f}.timeoutSeconds"))?
                    .unwrap_or(10);
                Ok(CapacityProvider::Exec {
                    command: expand_home(&command).to_string_lossy().into_owned(),
                    args,
                    env,
                    timeout: Duration::from_secs(u64::from(secs.max(1))),
                })
            }
            _ => unreachable!("checked by check_keys"),
        }
    }

    fn pool(&self, v: &Value, field: &str) -> Result<PoolSpec, FleetError> {
        let p = self.object(v, field)?;
        self.check_keys(
            p,
            field,
            &[
                "name",
                "allocatable",
                "labels",
                "taints",
                "maxNodes",
                "currentNodes",
                "inventory",
            ],
        )?;
        let name = match p.get("name") {
            Some(n) => self.string(n, &format!("{field}.name"))?,
            None => return Err(self.err(&format!("{field}.name"), "missing")),
        };
        let allocatable = self.string_map(p.get("allocatable"), &format!("{field}.allocatable"))?;
        if allocatable.is_empty() {
            return Err(self.err(
                &format!("{field}.allocatable"),
                "missing (the node shape the pool adds)",
            ));
        }
        let mut taints = Vec::new();
        if let Some(list) = p.get("taints") {
            for (i, t) in self
                .array(list, &format!("{field}.taints"))?
                .iter()
                .enumerate()
            {
                let tf = format!("{field}.taints[{i}]");
                let t = self.object(t, &tf)?;
                self.check_keys(t, &tf, &["key", "value", "effect"])?;
                let key = match t.get("key") {
                    Some(k) => self.string(k, &format!("{tf}.key"))?,
                    None => return Err(self.err(&format!("{tf}.key"), "missing")),
                };
                let effect = self
                    .opt_string(t.get("effect"), &format!("{tf}.effect"))?
                    .unwrap_or_else(|| "NoSchedule".into());
                if !matches!(
                    effect.as_str(),
                    "NoSchedule" | "PreferNoSchedule" | "NoExecute"
                ) {
                    return Err(self.err(
                        &format!("{tf}.effect"),
                        format!("unknown effect {effect:?} (expected NoSchedule, PreferNoSchedule or NoExecute)"),
                    ));
                }
                taints.push(TaintSpec {
                    key,
                    value: self.opt_string(t.get("value"), &format!("{tf}.value"))?,
                    effect,
                });
            }
        }
        Ok(PoolSpec {
            name,
            allocatable,
            labels: self.string_map(p.get("labels"), &format!("{field}.labels"))?,
            taints,
            max_nodes: self
                .opt_u32(p.get("maxNodes"), &format!("{field}.maxNodes"))?
                .ok_or_else(|| self.err(&format!("{field}.maxNodes"), "missing"))?,
            current_nodes: self
                .opt_u32(p.get("currentNodes"), &format!("{field}.currentNodes"))?
                .unwrap_or(0),
            provisioning_nodes: 0,
            inventory: self.opt_u32(p.get("inventory"), &format!("{field}.inventory"))?,
        })
    }
}

/// `~/x` → `$HOME/x`.
pub(crate) fn expand_home(p: &str) -> PathBuf {
    if let Some(rest) = p.strip_prefix("~/") {
        if let Some(home) = std::env::var_os("HOME") {
            return PathBuf::from(home).join(rest);
        }
    }
    PathBuf::from(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<FleetFile, String> {
        FleetFile::parse(text, Path::new("/etc/fleet.yaml")).map_err(|e| e.to_string())
    }

    #[test]
    fn fleet_file_parses_members_labels_and_all_provider_kinds() {
        let f = parse(
            r#"
apiVersion: fleet.kubectl.dev/v1alpha1
kind: Fleet
metadata: {name: prod}
members:
- name: idc
  context: idc-ctx
  kubeconfig: idc.yaml
  labels: {region: cn-beijing, provider: idc}
  capacityProviders:
  - static:
      pools:
      - {name: gpu, allocatable: {cpu: "8", nvidia.com/gpu: 1}, maxNodes: 4, inventory: 2,
         taints: [{key: gpu, value: "true", effect: NoSchedule}]}
  - inventoryConfigMap: {}
  - exec: {command: /bin/inv, args: [--json], env: [{name: REGION, value: x}], timeoutSeconds: 3}
- name: cloud
"#,
        )
        .unwrap();
        assert_eq!(f.name.as_deref(), Some("prod"));
        assert_eq!(f.members.len(), 2);
        let idc = &f.members[0];
        assert_eq!(idc.context.as_deref(), Some("idc-ctx"));
        assert_eq!(idc.kubeconfig.as_deref(), Some(Path::new("/etc/idc.yaml")));
        assert_eq!(idc.labels["region"], "cn-beijing");
        let providers = idc.capacity_providers.as_ref().unwrap();
        assert_eq!(providers.len(), 3);
        let CapacityProvider::Static { pools } = &providers[0] else {
            panic!()
        };
        assert_eq!(pools[0].allocatable["nvidia.com/gpu"], "1");
        assert_eq!(pools[0].inventory, Some(2));
        assert_eq!(pools[0].taints[0].effect, "NoSchedule");
        assert_eq!(providers[1], CapacityProvider::default_inventory());
        let CapacityProvider::Exec {
            command,
            args,
            env,
            timeout,
        } = &providers[2]
        else {
            panic!()
        };
        assert_eq!(command, "/bin/inv");
        assert_eq!(args, &["--json"]);
        assert_eq!(env["REGION"], "x");
        assert_eq!(*timeout, Duration::from_secs(3));
        assert_eq!(f.members[1].capacity_providers, None);
    }

    #[test]
    fn fleet_file_errors_are_one_line_and_name_file_and_field() {
        let cases = [
            ("kind: Fleet\n", "apiVersion"),
            ("apiVersion: fleet.kubectl.dev/v1alpha1\nkind: Fleeet\n", "kind"),
            (
                "apiVersion: fleet.kubectl.dev/v1alpha1\nkind: Fleet\nmembers:\n- {name: a, labels: {region: [x]}}\n",
                "members[0].labels.region: expected a string",
            ),
            (
                "apiVersion: fleet.kubectl.dev/v1alpha1\nkind: Fleet\nmembers:\n- {name: a, contxt: b}\n",
                "members[0].contxt: unknown field",
            ),
            (
                "apiVersion: fleet.kubectl.dev/v1alpha1\nkind: Fleet\nmembers:\n- {name: a, capacityProviders: [{exec: {args: []}}]}\n",
                "members[0].capacityProviders[0].exec.command: missing",
            ),
            (
                "apiVersion: fleet.kubectl.dev/v1alpha1\nkind: Fleet\nmembers:\n- {name: a, capacityProviders: [{static: {pools: [{name: p, allocatable: {cpu: 1}, maxNodes: -1}]}}]}\n",
                "members[0].capacityProviders[0].static.pools[0].maxNodes",
            ),
            (
                "apiVersion: fleet.kubectl.dev/v1alpha1\nkind: Fleet\nmembers:\n- {name: a}\n- {name: a}\n",
                "members[1].name: duplicate member name",
            ),
            ("apiVersion: [\n", "(yaml)"),
        ];
        for (text, want) in cases {
            let err = parse(text).unwrap_err();
            assert!(err.starts_with("fleet file /etc/fleet.yaml: "), "{err}");
            assert!(err.contains(want), "{err:?} should contain {want:?}");
            assert!(!err.contains('\n'), "one line: {err:?}");
        }
    }

    #[test]
    fn fleet_file_missing_names_the_path() {
        let err = FleetFile::read(Path::new("/nonexistent/fleet.yaml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("/nonexistent/fleet.yaml"), "{err}");
        assert!(!err.contains('\n'));
    }
}
