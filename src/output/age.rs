//! kubectl's AGE column (`HumanDuration` of apimachinery): `45s`, `3m12s`, `2h5m`, `3d4h`, `120d`.

use std::time::Duration;

/// Human duration the way kubectl prints ages.
pub fn human_duration(d: Duration) -> String {
    let secs = d.as_secs();
    if secs < 120 {
        return format!("{secs}s");
    }
    let mins = secs / 60;
    if mins < 10 {
        let s = secs % 60;
        return if s == 0 {
            format!("{mins}m")
        } else {
            format!("{mins}m{s}s")
        };
    }
    if mins < 180 {
        return format!("{mins}m");
    }
    let hours = secs / 3600;
    if hours < 8 {
        let m = mins % 60;
        return if m == 0 {
            format!("{hours}h")
        } else {
            format!("{hours}h{m}m")
        };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    let days = hours / 24;
    if days < 8 {
        let h = hours % 24;
        return if h == 0 {
            format!("{days}d")
        } else {
            format!("{days}d{h}h")
        };
    }
    if days < 365 * 2 {
        return format!("{days}d");
    }
    format!("{}y", days / 365)
}

/// Age of a timestamp, `<unknown>` when absent.
pub fn age(created: Option<&k8s_openapi::jiff::Timestamp>) -> String {
    let Some(t) = created else {
        return "<unknown>".to_string();
    };
    let now = k8s_openapi::jiff::Timestamp::now();
    let secs = now.as_second().saturating_sub(t.as_second()).max(0);
    human_duration(Duration::from_secs(secs as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_like_kubectl() {
        let s = Duration::from_secs;
        assert_eq!(human_duration(s(5)), "5s");
        assert_eq!(human_duration(s(119)), "119s");
        assert_eq!(human_duration(s(192)), "3m12s");
        assert_eq!(human_duration(s(600)), "10m");
        assert_eq!(human_duration(s(3 * 3600 + 300)), "3h5m");
        assert_eq!(human_duration(s(20 * 3600)), "20h");
        assert_eq!(human_duration(s(3 * 86400 + 4 * 3600)), "3d4h");
        assert_eq!(human_duration(s(30 * 86400)), "30d");
    }
}
