//! Sharing on the local network: the addresses this machine can be reached at, and QR codes of a link (as text
//! for the terminal, as an SVG path for the page).

use std::net::{IpAddr, SocketAddr};

use qrcode::{Color, QrCode};

/// Every URL the server at `bound` can be reached at: one per interface address when it listens on all of them
/// (LAN addresses first, loopback last), else its one address.
pub fn urls(bound: SocketAddr) -> Vec<String> {
    let port = bound.port();
    if !bound.ip().is_unspecified() {
        return vec![url(bound.ip(), port)];
    }
    let want_v6 = bound.ip().is_ipv6();
    let mut addrs: Vec<IpAddr> = if_addrs::get_if_addrs()
        .unwrap_or_default()
        .into_iter()
        .map(|i| i.ip())
        .filter(|ip| ip.is_ipv4() || want_v6)
        // Link-local IPv6 addresses need a zone id to be usable in a browser: leave them out.
        .filter(|ip| !matches!(ip, IpAddr::V6(v6) if v6.is_unicast_link_local()))
        .collect();
    addrs.sort_by_key(|ip| (ip.is_loopback(), ip.is_ipv6(), *ip));
    addrs.dedup();
    if !addrs.iter().any(IpAddr::is_loopback) {
        addrs.push(IpAddr::from([127, 0, 0, 1]));
    }
    addrs.into_iter().map(|ip| url(ip, port)).collect()
}

fn url(ip: IpAddr, port: u16) -> String {
    match ip {
        IpAddr::V4(v4) => format!("http://{v4}:{port}/"),
        IpAddr::V6(v6) => format!("http://[{v6}]:{port}/"),
    }
}

/// A QR code of `text` drawn with block characters, two rows of modules per line, with a quiet zone; `None` if
/// the text is too long for a QR code.
pub fn qr_text(text: &str) -> Option<String> {
    let code = QrCode::new(text.as_bytes()).ok()?;
    let width = code.width();
    let colors = code.to_colors();
    let dark = |x: isize, y: isize| -> bool {
        x >= 0
            && y >= 0
            && (x as usize) < width
            && (y as usize) < width
            && colors[y as usize * width + x as usize] == Color::Dark
    };
    let quiet = 2isize;
    let size = width as isize;
    let mut out = String::new();
    let mut y = -quiet;
    while y < size + quiet {
        for x in -quiet..size + quiet {
            // Light text on a dark terminal is the usual case: draw the light modules.
            out.push(match (!dark(x, y), !dark(x, y + 1)) {
                (true, true) => '█',
                (true, false) => '▀',
                (false, true) => '▄',
                (false, false) => ' ',
            });
        }
        out.push('\n');
        y += 2;
    }
    Some(out)
}

/// A QR code of `text` as SVG geometry: the side of the square (modules, with a quiet zone of 4) and a path of
/// its dark modules, for the template to draw. `None` if the text is too long for a QR code.
pub fn qr_svg(text: &str) -> Option<(usize, String)> {
    let code = QrCode::new(text.as_bytes()).ok()?;
    let width = code.width();
    let mut path = String::new();
    for (i, color) in code.to_colors().into_iter().enumerate() {
        if color == Color::Dark {
            let (x, y) = (i % width + 4, i / width + 4);
            path.push_str(&format!("M{x} {y}h1v1h-1z"));
        }
    }
    Some((width + 8, path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_on_one_address_has_one_url() {
        let urls = urls(SocketAddr::from(([127, 0, 0, 1], 3000)));
        assert_eq!(urls, ["http://127.0.0.1:3000/"]);
        assert_eq!(super::urls(SocketAddr::from(([0, 0, 0, 0, 0, 0, 0, 1], 80))), ["http://[::1]:80/"]);
    }

    #[test]
    fn on_all_interfaces_loopback_comes_last() {
        let urls = urls(SocketAddr::from(([0, 0, 0, 0], 8080)));
        assert_eq!(urls.last().map(String::as_str), Some("http://127.0.0.1:8080/"));
        assert!(urls.iter().all(|u| u.starts_with("http://") && u.ends_with(":8080/")));
        let loopbacks = urls.iter().filter(|u| u.starts_with("http://127.")).count();
        assert!(urls[..urls.len() - loopbacks].iter().all(|u| !u.starts_with("http://127.")));
    }

    #[test]
    fn qr_codes_have_a_square_of_modules() {
        let link = "http://192.168.1.20:3000/s/abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
        let text = qr_text(link).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines.len() > 10);
        assert!(lines.iter().all(|l| l.chars().count() == lines[0].chars().count()));
        let (side, path) = qr_svg(link).unwrap_or_default();
        assert!(side > 20 && path.starts_with('M') && path.ends_with('z'));
        assert!(qr_svg(&"x".repeat(10_000)).is_none());
    }
}
