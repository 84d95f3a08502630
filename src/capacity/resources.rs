//! [`Resources`]: a named set of amounts in milli-units, with the arithmetic the estimator needs.

use std::collections::BTreeMap;
use std::fmt;

use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

use super::quantity::{format_quantity, parse_quantity, QuantityError};
use super::CapacityError;

/// Resource name → amount in milli-units (`cpu` 250 = `250m`; `memory` 1024000 = `1Ki`).
///
/// A missing name means 0. Arithmetic saturates instead of overflowing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Resources(pub BTreeMap<String, i64>);

impl Resources {
    /// No resources.
    pub fn new() -> Self {
        Self::default()
    }

    /// Builds from `(name, milli)` pairs; later pairs with the same name are added.
    pub fn from_milli<I, S>(pairs: I) -> Self
    where
        I: IntoIterator<Item = (S, i64)>,
        S: Into<String>,
    {
        let mut r = Self::new();
        for (k, v) in pairs {
            r.add_amount(&k.into(), v);
        }
        r
    }

    /// Builds from `(name, quantity text)` pairs, e.g. `[("cpu", "500m"), ("memory", "1Gi")]`.
    pub fn parse<'a, I>(pairs: I) -> Result<Self, CapacityError>
    where
        I: IntoIterator<Item = (&'a str, &'a str)>,
    {
        let mut r = Self::new();
        for (k, v) in pairs {
            let milli = parse_quantity(v).map_err(|source| CapacityError::Quantity {
                field: k.to_string(),
                source,
            })?;
            r.add_amount(k, milli);
        }
        Ok(r)
    }

    /// Converts a Kubernetes resource list (`requests`, `limits`, `allocatable`, `overhead`).
    pub fn from_k8s(list: &BTreeMap<String, Quantity>) -> Result<Self, CapacityError> {
        Self::from_k8s_at(list, "")
    }

    /// Like [`Resources::from_k8s`]; errors name `field_prefix.<resource>`.
    pub fn from_k8s_at(
        list: &BTreeMap<String, Quantity>,
        field_prefix: &str,
    ) -> Result<Self, CapacityError> {
        let mut map = BTreeMap::new();
        for (k, q) in list {
            let milli = parse_quantity(&q.0).map_err(|source| CapacityError::Quantity {
                field: join_field(field_prefix, k),
                source,
            })?;
            map.insert(k.clone(), milli);
        }
        Ok(Self(map))
    }

    /// The amount of `name` in milli-units (0 when absent).
    pub fn get(&self, name: &str) -> i64 {
        self.0.get(name).copied().unwrap_or(0)
    }

    /// Whether `name` is present (even with amount 0).
    pub fn contains(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }

    /// Sets `name` to `milli`.
    pub fn set(&mut self, name: &str, milli: i64) {
        if let Some(v) = self.0.get_mut(name) {
            *v = milli;
        } else {
            self.0.insert(name.to_string(), milli);
        }
    }

    /// Adds `milli` to `name` (saturating).
    pub fn add_amount(&mut self, name: &str, milli: i64) {
        if let Some(v) = self.0.get_mut(name) {
            *v = v.saturating_add(milli);
        } else {
            self.0.insert(name.to_string(), milli);
        }
    }

    /// Adds every amount of `other` (saturating).
    pub fn add(&mut self, other: &Resources) {
        for (k, v) in &other.0 {
            self.add_amount(k, *v);
        }
    }

    /// Subtracts every amount of `other`; results may be negative (over-committed).
    pub fn sub(&mut self, other: &Resources) {
        for (k, v) in &other.0 {
            self.add_amount(k, v.saturating_neg());
        }
    }

    /// `self - other` per resource, clamped at 0.
    pub fn saturating_sub(&self, other: &Resources) -> Resources {
        let mut out = self.clone();
        out.sub(other);
        for v in out.0.values_mut() {
            *v = (*v).max(0);
        }
        out
    }

    /// Per-resource maximum of `self` and `other`.
    pub fn max_each(&mut self, other: &Resources) {
        for (k, v) in &other.0 {
            match self.0.get_mut(k) {
                Some(cur) => *cur = (*cur).max(*v),
                None => {
                    self.0.insert(k.clone(), *v);
                }
            }
        }
    }

    /// Every amount multiplied by `n` (saturating).
    pub fn times(&self, n: i64) -> Resources {
        Resources(
            self.0
                .iter()
                .map(|(k, v)| (k.clone(), v.saturating_mul(n)))
                .collect(),
        )
    }

    /// Whether `request` fits in `self`: every positive amount of `request` is at most the
    /// amount in `self` (absent counts as 0).
    pub fn fits(&self, request: &Resources) -> bool {
        request
            .0
            .iter()
            .all(|(k, need)| *need <= 0 || self.get(k) >= *need)
    }

    /// Names with a positive amount.
    pub fn positive_names(&self) -> impl Iterator<Item = &str> {
        self.0
            .iter()
            .filter(|(_, v)| **v > 0)
            .map(|(k, _)| k.as_str())
    }

    /// Iterates `(name, milli)` in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, i64)> {
        self.0.iter().map(|(k, v)| (k.as_str(), *v))
    }

    /// True when no resource has a non-zero amount.
    pub fn is_zero(&self) -> bool {
        self.0.values().all(|v| *v == 0)
    }
}

impl fmt::Display for Resources {
    /// `cpu=500m, memory=1Gi, nvidia.com/gpu=1`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for (k, v) in &self.0 {
            if !first {
                f.write_str(", ")?;
            }
            first = false;
            write!(f, "{k}={}", format_quantity(k, *v))?;
        }
        if first {
            f.write_str("none")?;
        }
        Ok(())
    }
}

impl FromIterator<(String, i64)> for Resources {
    fn from_iter<T: IntoIterator<Item = (String, i64)>>(iter: T) -> Self {
        Self::from_milli(iter)
    }
}

fn join_field(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

/// Parses one quantity, naming `field` in the error.
pub(crate) fn parse_field(
    field: impl FnOnce() -> String,
    text: &str,
) -> Result<i64, CapacityError> {
    parse_quantity(text).map_err(|source: QuantityError| CapacityError::Quantity {
        field: field(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Quantity {
        Quantity(s.to_string())
    }

    #[test]
    fn from_k8s_parses_every_entry_and_names_bad_field() {
        let list = BTreeMap::from([
            ("cpu".to_string(), q("500m")),
            ("memory".to_string(), q("1Gi")),
        ]);
        let r = Resources::from_k8s(&list).unwrap();
        assert_eq!(r.get("cpu"), 500);
        assert_eq!(r.get("memory"), 1_073_741_824_000);
        assert_eq!(r.get("nvidia.com/gpu"), 0);
        let bad = BTreeMap::from([("cpu".to_string(), q("lots"))]);
        let err = Resources::from_k8s_at(&bad, "status.allocatable").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("status.allocatable.cpu: invalid quantity \"lots\""),
            "{err}"
        );
    }

    #[test]
    fn arithmetic_adds_subtracts_and_clamps() {
        let mut a = Resources::parse([("cpu", "2"), ("memory", "4Gi")]).unwrap();
        let b = Resources::parse([("cpu", "3"), ("nvidia.com/gpu", "1")]).unwrap();
        let clamped = a.saturating_sub(&b);
        assert_eq!(clamped.get("cpu"), 0);
        assert_eq!(clamped.get("nvidia.com/gpu"), 0);
        a.sub(&b);
        assert_eq!(a.get("cpu"), -1000);
        a.add(&b);
        assert_eq!(a.get("cpu"), 2000);
        assert_eq!(a.get("nvidia.com/gpu"), 0);
        let mut m = Resources::from_milli([("cpu", 100)]);
        m.max_each(&Resources::from_milli([("cpu", 50), ("memory", 7)]));
        assert_eq!(m, Resources::from_milli([("cpu", 100), ("memory", 7)]));
        assert_eq!(
            Resources::from_milli([("cpu", i64::MAX)])
                .times(2)
                .get("cpu"),
            i64::MAX
        );
    }

    #[test]
    fn fits_requires_every_positive_request() {
        let free = Resources::parse([("cpu", "1"), ("memory", "1Gi")]).unwrap();
        assert!(free.fits(&Resources::parse([("cpu", "1")]).unwrap()));
        assert!(!free.fits(&Resources::parse([("cpu", "1001m")]).unwrap()));
        assert!(!free.fits(&Resources::parse([("nvidia.com/gpu", "1")]).unwrap()));
        assert!(free.fits(&Resources::parse([("nvidia.com/gpu", "0")]).unwrap()));
        assert_eq!(free.to_string(), "cpu=1, memory=1Gi");
    }
}
