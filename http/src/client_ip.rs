//! The client's address, for rate limits.
//!
//! By default it is the peer of the TCP connection. Behind a reverse proxy (a load balancer,
//! the Container Apps ingress) every peer is the proxy, so with `TRUST_PROXY` the address is
//! taken from `X-Forwarded-For` — its last entry, the one the proxy itself appended. Earlier
//! entries come from the client and could be anything.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::ConnectInfo;
use axum::http::request::Parts;
use axum::http::{Extensions, HeaderMap};

/// An IPv4 client reaching a dual-stack listener shows as `::ffff:a.b.c.d`; it is returned as
/// the IPv4 address it is.
pub fn client_ip(headers: &HeaderMap, extensions: &Extensions, trust_proxy: bool) -> IpAddr {
    peer_or_forwarded(headers, extensions, trust_proxy).to_canonical()
}

fn peer_or_forwarded(headers: &HeaderMap, extensions: &Extensions, trust_proxy: bool) -> IpAddr {
    if trust_proxy
        && let Some(ip) = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .last()
            .and_then(|last| last.trim().parse().ok())
    {
        return ip;
    }
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |info| info.0.ip())
}

/// [`client_ip`] of request parts.
pub fn of_parts(parts: &Parts, trust_proxy: bool) -> IpAddr {
    client_ip(&parts.headers, &parts.extensions, trust_proxy)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request;

    fn parts(forwarded: &[&str], peer: &str) -> Parts {
        let mut request = Request::builder();
        for value in forwarded {
            request = request.header("x-forwarded-for", *value);
        }
        let (mut parts, ()) = request.body(()).unwrap().into_parts();
        parts
            .extensions
            .insert(ConnectInfo::<SocketAddr>(peer.parse().unwrap()));
        parts
    }

    #[test]
    fn the_peer_unless_the_proxy_is_trusted() {
        let p = parts(&["1.1.1.1, 2.2.2.2"], "10.0.0.9:5000");
        assert_eq!(of_parts(&p, false), "10.0.0.9".parse::<IpAddr>().unwrap());
        assert_eq!(
            of_parts(&p, true),
            "2.2.2.2".parse::<IpAddr>().unwrap(),
            "the entry the proxy appended"
        );
        let spoofed = parts(&["6.6.6.6", "3.3.3.3"], "10.0.0.9:5000");
        assert_eq!(of_parts(&spoofed, true), "3.3.3.3".parse::<IpAddr>().unwrap());
        let garbage = parts(&["not an address"], "10.0.0.9:5000");
        assert_eq!(of_parts(&garbage, true), "10.0.0.9".parse::<IpAddr>().unwrap());
    }
}
