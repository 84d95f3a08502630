//! Concurrent fan-out over members with a per-member timeout: an unreachable or slow member
//! yields an error in its slot and never holds up the others.

use std::future::Future;
use std::time::Duration;

use super::error::MemberError;
use super::membership::{Fleet, Member};

/// The result of one member in a fan-out.
pub type MemberResult<T> = (String, Result<T, MemberError>);

impl Fleet {
    /// Runs `f` for every member concurrently, each bounded by the fleet's request timeout.
    /// Results come back in member order.
    pub async fn for_each<'a, T, F, Fut>(&'a self, f: F) -> Vec<MemberResult<T>>
    where
        F: Fn(&'a Member) -> Fut,
        Fut: Future<Output = Result<T, MemberError>> + 'a,
    {
        self.for_each_with_timeout(self.request_timeout, f).await
    }

    /// Like [`Fleet::for_each`] with an explicit per-member timeout (e.g. apply `--wait`).
    pub async fn for_each_with_timeout<'a, T, F, Fut>(
        &'a self,
        timeout: Duration,
        f: F,
    ) -> Vec<MemberResult<T>>
    where
        F: Fn(&'a Member) -> Fut,
        Fut: Future<Output = Result<T, MemberError>> + 'a,
    {
        for_members(self.members.iter(), timeout, f).await
    }
}

/// Fan-out over any subset of members.
pub async fn for_members<'a, T, F, Fut, I>(
    members: I,
    timeout: Duration,
    f: F,
) -> Vec<MemberResult<T>>
where
    I: IntoIterator<Item = &'a Member>,
    F: Fn(&'a Member) -> Fut,
    Fut: Future<Output = Result<T, MemberError>> + 'a,
{
    let futures = members.into_iter().map(|m| {
        let fut = f(m);
        async move {
            let r = match tokio::time::timeout(timeout, fut).await {
                Ok(r) => r,
                Err(_) => Err(MemberError::Timeout(timeout)),
            };
            (m.name.clone(), r)
        }
    });
    futures::future::join_all(futures).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fleet::membership::MembershipOptions;
    use kube::config::Kubeconfig;

    #[tokio::test]
    async fn fan_out_times_out_slow_members_without_waiting_for_them() {
        let text = "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: 'http://127.0.0.1:1'}\ncontexts:\n- {name: fast, context: {cluster: c}}\n- {name: slow, context: {cluster: c}}\n";
        let kc = Kubeconfig::from_yaml(text).unwrap();
        let opts = MembershipOptions {
            request_timeout: Duration::from_millis(100),
            ..Default::default()
        };
        let fleet = Fleet::from_parts(kc, None, &opts).unwrap();
        let start = std::time::Instant::now();
        let results = fleet
            .for_each(|m| async move {
                if m.name == "slow" {
                    tokio::time::sleep(Duration::from_secs(30)).await;
                }
                Ok(m.name.len())
            })
            .await;
        assert!(start.elapsed() < Duration::from_secs(5));
        assert_eq!(results[0].0, "fast");
        assert_eq!(results[0].1.as_ref().unwrap(), &4);
        assert!(matches!(results[1].1, Err(MemberError::Timeout(_))));
    }

    #[tokio::test]
    async fn unreachable_member_reports_quickly() {
        // Port 1 on loopback refuses connections.
        let text = "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: 'http://127.0.0.1:1'}\ncontexts:\n- {name: down, context: {cluster: c}}\n";
        let kc = Kubeconfig::from_yaml(text).unwrap();
        let opts = MembershipOptions {
            request_timeout: Duration::from_secs(5),
            ..Default::default()
        };
        let fleet = Fleet::from_parts(kc, None, &opts).unwrap();
        let results = fleet
            .for_each(|m| async move {
                let client = m.client().await?;
                client.apiserver_version().await.map_err(MemberError::from)
            })
            .await;
        let err = results[0].1.as_ref().unwrap_err();
        assert!(err.is_unreachable(), "{err}");
    }
}
