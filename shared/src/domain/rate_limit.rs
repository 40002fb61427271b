//! Fixed-window rate limits counted in the cache: who is counted, which window a request
//! falls in, and when the caller may try again.

use std::net::IpAddr;
use std::time::Duration;

/// Whose requests are counted together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// A signed-in caller, whatever address they come from.
    Wallet(String),
    /// Anyone else, by address.
    Ip(IpAddr),
    /// A developer API key, by its id.
    Key(uuid::Uuid),
}

/// One window of `length` aligned to the epoch, containing `now_secs`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    /// The counter's key: `ratelimit:{scope}:{w|ip|k}:{who}:{window start}`.
    pub key: String,
    /// How long the counter must live: to the end of the window.
    pub ttl: Duration,
    /// Seconds until the next window, for `Retry-After`.
    pub retry_after: u64,
}

pub fn window(scope: &str, subject: &Subject, now_secs: u64, length: Duration) -> Window {
    let length = length.as_secs().max(1);
    let start = now_secs - now_secs % length;
    let remaining = start + length - now_secs;
    let who = match subject {
        Subject::Wallet(wallet) => format!("w:{wallet}"),
        Subject::Ip(ip) => format!("ip:{}", address_key(*ip)),
        Subject::Key(id) => format!("k:{id}"),
    };
    Window {
        key: format!("ratelimit:{scope}:{who}:{start}"),
        ttl: Duration::from_secs(remaining),
        retry_after: remaining,
    }
}

/// Whose address an address is, for counting: an IPv4 address as itself (also when it comes
/// as `::ffff:a.b.c.d`, as on a dual-stack listener), an IPv6 address by its /64. One host or
/// customer is given a whole /64 and picks addresses in it at will, so counting single IPv6
/// addresses would let it have as many quotas as it likes.
pub fn address_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let network = u128::from(v6) & !((1u128 << 64) - 1);
                format!("{}/64", std::net::Ipv6Addr::from(network))
            }
        },
    }
}

/// The marker that `member` (a wallet, say) was already counted in `window`, so a counter of
/// distinct members counts each one once per window.
pub fn member_key(window: &Window, member: &str) -> String {
    format!("{}:m:{member}", window.key)
}

/// Whether the `count`-th request of a window is still allowed under `limit` (0 = no limit).
pub fn allowed(count: u64, limit: u32) -> bool {
    limit == 0 || count <= u64::from(limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_aligned_and_expire_at_their_end() {
        let hour = Duration::from_secs(3600);
        let ip = Subject::Ip("10.1.2.3".parse().unwrap());
        let w = window("oracle", &ip, 7200 + 600, hour);
        assert_eq!(w.key, "ratelimit:oracle:ip:10.1.2.3:7200");
        assert_eq!(w.ttl, Duration::from_secs(3000));
        assert_eq!(w.retry_after, 3000);
        // Same window a minute later, next window after the hour.
        assert_eq!(window("oracle", &ip, 7200 + 660, hour).key, w.key);
        assert_ne!(window("oracle", &ip, 10_800, hour).key, w.key);
        assert_eq!(window("oracle", &ip, 10_800, hour).ttl, hour);
        let wallet = Subject::Wallet("Wa11et".into());
        assert_eq!(
            window("oracle", &wallet, 0, hour).key,
            "ratelimit:oracle:w:Wa11et:0"
        );
        let key = Subject::Key(uuid::Uuid::nil());
        assert_eq!(
            window("v1", &key, 61, Duration::from_secs(60)).key,
            "ratelimit:v1:k:00000000-0000-0000-0000-000000000000:60"
        );
    }

    #[test]
    fn ipv6_counts_by_64_and_mapped_ipv4_as_ipv4() {
        let key = |ip: &str| address_key(ip.parse().unwrap());
        assert_eq!(key("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
        assert_eq!(key("2001:db8:1:2:ffff:ffff:ffff:ffff"), key("2001:db8:1:2::"));
        assert_ne!(key("2001:db8:1:3::1"), key("2001:db8:1:2::1"));
        assert_eq!(key("::ffff:10.1.2.3"), "10.1.2.3");
        assert_eq!(key("10.1.2.3"), "10.1.2.3");
        let mapped = Subject::Ip("::ffff:10.1.2.3".parse().unwrap());
        assert_eq!(
            window("auth", &mapped, 0, Duration::from_secs(60)).key,
            "ratelimit:auth:ip:10.1.2.3:0"
        );
    }

    #[test]
    fn the_limit_is_inclusive_and_zero_disables_it() {
        assert!(allowed(20, 20));
        assert!(!allowed(21, 20));
        assert!(allowed(1_000_000, 0));
    }
}
