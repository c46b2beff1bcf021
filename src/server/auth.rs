//! Who is asking, and whether they may: the first layer every request passes.
//!
//! - **The owner** is the person at the machine: a request whose peer address is exactly `127.0.0.1` or `::1`.
//!   Every other peer, another machine or another loopback address such as `127.0.0.2`, is a **viewer**.
//! - A viewer reads only through a share link: its token, exchanged for an `HttpOnly; SameSite=Strict` cookie at
//!   `/s/{token}`, is checked against the store's valid links on every request ([`crate::store::Store::check`]), so
//!   a revoked link stops working at once. Without one, a viewer gets 401 and a page saying whom to ask.
//! - Requests whose `Host` is not one of this machine's names or an IP address are refused (DNS rebinding: a page
//!   on `evil.example` resolving to 127.0.0.1 sends `Host: evil.example`).
//! - Requests that change something (any method but GET, HEAD and OPTIONS) must come from Lectern's own pages:
//!   `Sec-Fetch-Site` must say `same-origin`, or `Origin` must be this server. A request with neither comes from a
//!   program, not a browser, and cannot be forged by a web page.
//!
//! The layer attaches an [`Access`] to the request; handlers then decide what it may do.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::error::{ApiError, AppError};
use crate::store::{Grant, Visible};

/// Cookie names of share links start with this, followed by the link's id.
pub const COOKIE_PREFIX: &str = "lectern_share_";

/// What the request may do.
#[derive(Debug, Clone)]
pub enum Access {
    /// The person at the machine: everything.
    Owner,
    /// Someone else, with the valid share links their browser holds (possibly none).
    Viewer(Viewer),
}

/// A viewer's links.
#[derive(Debug, Clone, Default)]
pub struct Viewer {
    /// Valid links presented.
    pub grants: Vec<Grant>,
    /// Links presented that are no longer valid (revoked), so the page can say so.
    pub stale: usize,
    /// The ids of `grants`, for listing queries.
    pub share_ids: Vec<String>,
}

impl Access {
    /// True for the person at the machine.
    pub fn is_owner(&self) -> bool {
        matches!(self, Access::Owner)
    }

    /// Whether document `id` may be read.
    pub fn can_read(&self, id: &str) -> bool {
        match self {
            Access::Owner => true,
            Access::Viewer(v) => v.grants.iter().any(|g| g.opens(id)),
        }
    }

    /// Whether documents may be added: the owner always, a viewer with a link when `--allow-upload` was given.
    pub fn can_add(&self, allow_upload: bool) -> bool {
        match self {
            Access::Owner => true,
            Access::Viewer(v) => allow_upload && !v.grants.is_empty(),
        }
    }

    /// Which documents lists may show.
    pub fn visible(&self) -> Visible<'_> {
        match self {
            Access::Owner => Visible::All,
            Access::Viewer(v) if v.grants.iter().any(|g| g.whole) => Visible::All,
            Access::Viewer(v) => Visible::Shares(&v.share_ids),
        }
    }

    /// Refuse unless the owner is asking.
    pub fn require_owner(&self) -> Result<(), AppError> {
        if self.is_owner() { Ok(()) } else { Err(AppError::OwnerOnly) }
    }

    /// Refuse unless documents may be added.
    pub fn require_add(&self, allow_upload: bool) -> Result<(), AppError> {
        if self.can_add(allow_upload) { Ok(()) } else { Err(AppError::ReadOnly) }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Access {
    type Rejection = std::convert::Infallible;

    /// The access the auth layer attached; a request that did not pass it (none should) is a viewer without links.
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Access, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<Access>()
            .cloned()
            .unwrap_or(Access::Viewer(Viewer::default())))
    }
}

/// True for the two addresses that mean "this machine, this person": 127.0.0.1 and ::1 (an IPv4-mapped
/// `::ffff:127.0.0.1` counts as 127.0.0.1).
pub fn is_owner_address(ip: IpAddr) -> bool {
    match ip.to_canonical() {
        IpAddr::V4(v4) => v4 == Ipv4Addr::LOCALHOST,
        IpAddr::V6(v6) => v6 == Ipv6Addr::LOCALHOST,
    }
}

/// The names this server answers to besides IP addresses.
#[derive(Debug, Clone)]
pub struct Hosts {
    names: Vec<String>,
}

impl Hosts {
    /// `localhost`, the machine's name (also with `.local`, as mDNS resolves it), and `extra`.
    pub fn new(machine: &str, extra: &[String]) -> Hosts {
        let mut names = vec!["localhost".to_string()];
        let machine = machine.trim().trim_end_matches('.').to_ascii_lowercase();
        if !machine.is_empty() {
            let short = machine.split('.').next().unwrap_or(&machine).to_string();
            names.push(format!("{short}.local"));
            names.push(short);
            names.push(machine);
        }
        names.extend(extra.iter().map(|h| h.trim().trim_end_matches('.').to_ascii_lowercase()));
        names.sort();
        names.dedup();
        Hosts { names }
    }

    /// Whether a `Host` header names this server: an IP address (a page elsewhere cannot make its own origin one of
    /// this machine's addresses), `*.localhost`, or one of the names.
    pub fn allows(&self, host: &str) -> bool {
        let host = host.trim();
        let name = if let Some(rest) = host.strip_prefix('[') {
            // [v6]:port
            return rest.split(']').next().is_some_and(|ip| ip.parse::<Ipv6Addr>().is_ok());
        } else {
            match host.rsplit_once(':') {
                Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
                _ => host,
            }
        };
        if name.parse::<IpAddr>().is_ok() {
            return true;
        }
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        name.ends_with(".localhost") || self.names.contains(&name)
    }

    /// The names, for the startup message.
    pub fn names(&self) -> &[String] {
        &self.names
    }
}

/// Whether a state-changing request comes from this server's own pages (or from no browser at all).
pub fn same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        return matches!(site.to_str(), Ok("same-origin" | "none"));
    }
    let Some(origin) = headers.get(header::ORIGIN) else { return true };
    let (Ok(origin), Some(Ok(host))) = (origin.to_str(), headers.get(header::HOST).map(|h| h.to_str())) else {
        return false;
    };
    origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
        .is_some_and(|o| o.eq_ignore_ascii_case(host))
}

/// Every cookie the request sends (those that cannot be read are skipped).
pub fn request_cookies(headers: &HeaderMap) -> impl Iterator<Item = cookie::Cookie<'_>> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
}

/// The share tokens in the request's cookies, with the link id each cookie names.
fn share_cookies(headers: &HeaderMap) -> Vec<(String, String)> {
    request_cookies(headers)
        .filter_map(|c| {
            let id = c.name().strip_prefix(COOKIE_PREFIX)?;
            Some((id.to_string(), c.value().to_string()))
        })
        .collect()
}

/// Paths anyone may fetch: assets, the health check, and the link exchange (which checks its own token).
fn is_public(path: &str) -> bool {
    path.starts_with("/static/") || path == "/favicon.ico" || path == "/healthz" || path.starts_with("/s/")
}

/// The access of a request from `peer` with these headers.
pub fn access_of(state: &AppState, peer: Option<SocketAddr>, headers: &HeaderMap) -> Access {
    if peer.is_some_and(|p| is_owner_address(p.ip())) {
        return Access::Owner;
    }
    let mut viewer = Viewer::default();
    for (id, token) in share_cookies(headers) {
        match state.library.store().check(&token) {
            Some(grant) if grant.id == id => {
                if !viewer.share_ids.contains(&grant.id) {
                    viewer.share_ids.push(grant.id.clone());
                    viewer.grants.push(grant);
                }
            }
            _ => viewer.stale += 1,
        }
    }
    Access::Viewer(viewer)
}

/// The layer: check the host, work out the access, refuse what must be refused, attach the access.
pub async fn guard(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/") || req.uri().path() == "/api";
    let refuse = |err: AppError| if api { ApiError(err).into_response() } else { err.into_response() };
    let host = req.headers().get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    // HTTP/1.1 requires a Host; a request without one (HTTP/1.0) is answered as if it named an address.
    if !host.is_empty() && !state.options.hosts.allows(host) {
        return refuse(AppError::ForeignHost);
    }
    if !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) && !same_origin(req.headers()) {
        return refuse(AppError::CrossSite);
    }
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
    let access = access_of(&state, peer, req.headers());
    if let Access::Viewer(v) = &access
        && v.grants.is_empty()
        && !is_public(req.uri().path())
    {
        return refuse(AppError::NoAccess { machine: Arc::clone(&state.options.machine), revoked: v.stale > 0 });
    }
    req.extensions_mut().insert(access);
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn only_the_two_loopback_addresses_are_the_owner() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        assert!(is_owner_address(ip("127.0.0.1")));
        assert!(is_owner_address(ip("::1")));
        assert!(is_owner_address(ip("::ffff:127.0.0.1")));
        for other in ["127.0.0.2", "192.168.1.20", "::ffff:127.0.0.2", "0.0.0.0", "fe80::1"] {
            assert!(!is_owner_address(ip(other)), "{other}");
        }
    }

    #[test]
    fn hosts_are_addresses_or_this_machines_names() {
        let hosts = Hosts::new("Newsroom-PC.corp.example", &["lectern.office.lan".to_string()]);
        for ok in [
            "127.0.0.1:3000",
            "192.168.1.20",
            "[::1]:3000",
            "[fe80::1]",
            "localhost:3000",
            "LOCALHOST",
            "app.localhost:80",
            "newsroom-pc:3000",
            "newsroom-pc.local",
            "newsroom-pc.corp.example.",
            "lectern.office.lan:8080",
        ] {
            assert!(hosts.allows(ok), "{ok} should be allowed");
        }
        for bad in ["evil.example", "evil.example:3000", "localhost.evil.example", "127.0.0.1.evil.example", "[evil]"] {
            assert!(!hosts.allows(bad), "{bad} should be refused");
        }
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn writes_must_come_from_our_own_pages() {
        assert!(same_origin(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(!same_origin(&headers(&[("sec-fetch-site", "cross-site"), ("origin", "http://h:1")])));
        assert!(!same_origin(&headers(&[("sec-fetch-site", "same-site")])));
        assert!(same_origin(&headers(&[("origin", "http://127.0.0.1:3000"), ("host", "127.0.0.1:3000")])));
        assert!(!same_origin(&headers(&[("origin", "http://evil.example"), ("host", "127.0.0.1:3000")])));
        assert!(!same_origin(&headers(&[("origin", "null"), ("host", "127.0.0.1:3000")])));
        assert!(same_origin(&headers(&[("host", "127.0.0.1:3000")])), "no browser, no forgery");
    }

    #[test]
    fn share_cookies_are_found_among_others() {
        let h = headers(&[
            ("cookie", "theme=dark; lectern_share_ab12=tok-en_1; other=x"),
            ("cookie", "lectern_share_cd=t2"),
        ]);
        assert_eq!(
            share_cookies(&h),
            [("ab12".to_string(), "tok-en_1".to_string()), ("cd".to_string(), "t2".to_string())]
        );
    }
}
