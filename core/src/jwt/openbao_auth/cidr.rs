//! `token_bound_cidrs` networks, parsed and matched as OpenBao's Go code
//! does (`parseutil.ParseAddrs`, `net.IPNet.Contains` with 4-in-6 mapping).
//!
//! `ipnet` holds the network and tests containment. Two Go rules it does not
//! have stay here: the text grammar (`net.ParseCIDR` takes a bare address
//! and a decimal prefix with leading zeros, `ipnet` needs `/` and its own
//! prefix syntax) and the 4-in-6 rule (Go compares an IPv4 address and its
//! `::ffff:a.b.c.d` form as one address; `ipnet` never matches across
//! families).

use std::net::IpAddr;

use ipnet::IpNet;

use super::error::RoleError;
use crate::gocompat::go_quote;

/// An IP network from `token_bound_cidrs` (a bare address is a /32 or
/// /128). The address keeps its host bits, as OpenBao shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr(IpNet);

impl Cidr {
    pub(crate) fn parse(text: &str) -> Option<Cidr> {
        let (addr_text, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        // std's grammar is Go's here: dotted quads without leading zeros,
        // RFC 4291 IPv6 text, no `%zone`.
        let addr: IpAddr = addr_text.parse().ok()?;
        let prefix_len = match prefix {
            Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => p.parse().ok()?,
            Some(_) => return None,
            None => Self::host_prefix(addr),
        };
        IpNet::new(addr, prefix_len).ok().map(Cidr)
    }

    /// The one-address network of `ip` (/32 or /128).
    pub fn host(ip: IpAddr) -> Cidr {
        Cidr(IpNet::from(ip))
    }

    fn host_prefix(ip: IpAddr) -> u8 {
        if ip.is_ipv4() {
            32
        } else {
            128
        }
    }

    /// The address as written, host bits included.
    pub fn addr(&self) -> IpAddr {
        self.0.addr()
    }

    pub fn prefix_len(&self) -> u8 {
        self.0.prefix_len()
    }

    /// Whether `ip` lies inside this network.
    pub fn contains(&self, ip: IpAddr) -> bool {
        // Go's 4-in-6 rule: bring `ip` into the network's family first; an
        // IPv6 address that is not `::ffff:a.b.c.d` is never in an IPv4 one.
        let ip = match (self.0, ip) {
            (IpNet::V6(_), IpAddr::V4(v4)) => IpAddr::V6(v4.to_ipv6_mapped()),
            (IpNet::V4(_), IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
                Some(v4) => IpAddr::V4(v4),
                None => return false,
            },
            (_, ip) => ip,
        };
        self.0.contains(&ip)
    }
}

impl std::fmt::Display for Cidr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.addr(), self.prefix_len())
    }
}

/// `parseutil.ParseAddrs`.
pub(crate) fn parse_addrs(addrs: &[String]) -> Result<Vec<Cidr>, RoleError> {
    addrs
        .iter()
        .map(|addr| {
            Cidr::parse(addr).ok_or_else(|| {
                RoleError::new(format!(
                    "error parsing address {}: Unable to convert {addr} to an IPv4 or IPv6 address, or a UNIX Socket",
                    go_quote(addr)
                ))
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidr_contains() {
        let c = Cidr::parse("10.1.0.0/16");
        assert!(
            c.is_some_and(|c| c.contains("10.1.2.3".parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))))
        );
        assert!(c.is_some_and(|c| !c.contains(IpAddr::from([10, 2, 0, 1]))));
        assert!(Cidr::parse("::1")
            .is_some_and(|c| c.contains("::1".parse().unwrap_or(IpAddr::from([0u8; 16])))));
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap_or_else(|_| panic!("{text}"))
    }

    fn parsed(text: &str) -> Option<String> {
        Cidr::parse(text).map(|c| c.to_string())
    }

    /// What `token_bound_cidrs` accepts: Go's `net.ParseCIDR` grammar (no
    /// zones, a decimal prefix that may have leading zeros), host bits kept,
    /// a bare address as a /32 or /128.
    #[test]
    fn parse_accepts_and_refuses() {
        for (text, shown) in [
            ("10.0.0.0/8", "10.0.0.0/8"),
            ("10.1.2.3/8", "10.1.2.3/8"),
            ("10.1.2.3", "10.1.2.3/32"),
            ("0.0.0.0/0", "0.0.0.0/0"),
            ("10.0.0.0/08", "10.0.0.0/8"),
            ("10.0.0.0/0032", "10.0.0.0/32"),
            ("::1", "::1/128"),
            ("::/0", "::/0"),
            ("2001:db8::1/32", "2001:db8::1/32"),
            ("2001:DB8::/128", "2001:db8::/128"),
            ("::ffff:10.0.0.1/104", "::ffff:10.0.0.1/104"),
            ("::ffff:10.0.0.1", "::ffff:10.0.0.1/128"),
        ] {
            assert_eq!(parsed(text).as_deref(), Some(shown), "{text}");
        }
        for text in [
            "",
            "nope",
            "10.0.0.0/33",
            "::/129",
            "10.0.0.0/256",
            "10.0.0.0/99999999999",
            "10.0.0.0/",
            "/8",
            "10.0.0.0/+8",
            "10.0.0.0/-1",
            "10.0.0.0/ 8",
            " 10.0.0.0/8",
            "10.0.0.0/8 ",
            "10.0.0.0/8/8",
            "010.0.0.1",
            "10.0.0",
            "1.2.3.4:80",
            "[::1]",
            "[::1]/128",
            "fe80::1%eth0",
            "fe80::1%eth0/64",
            "fe80::/64%eth0",
            "/tmp/socket",
        ] {
            assert_eq!(parsed(text), None, "{text:?}");
        }
    }

    /// Containment, with Go's 4-in-6 rule: an IPv4 address and its
    /// `::ffff:a.b.c.d` form are the same address, in either network family.
    #[test]
    fn contains_with_4_in_6() {
        for (cidr, addr, inside) in [
            ("10.0.0.0/8", "10.255.0.1", true),
            ("10.0.0.0/8", "11.0.0.0", false),
            ("10.1.2.3/8", "10.9.9.9", true),
            ("10.1.2.3", "10.1.2.3", true),
            ("10.1.2.3", "10.1.2.4", false),
            ("0.0.0.0/0", "255.255.255.255", true),
            ("10.0.0.0/8", "::ffff:10.1.1.1", true),
            ("10.0.0.0/8", "::ffff:11.1.1.1", false),
            ("10.0.0.0/8", "::10.1.1.1", false),
            ("10.0.0.0/8", "2001:db8::", false),
            ("0.0.0.0/0", "::1", false),
            ("0.0.0.0/0", "::ffff:1.2.3.4", true),
            ("::ffff:10.0.0.0/104", "10.1.1.1", true),
            ("::ffff:10.0.0.0/104", "11.0.0.1", false),
            ("::ffff:10.0.0.0/104", "::ffff:10.1.1.1", true),
            ("::/0", "1.2.3.4", true),
            ("2001:db8::/32", "1.2.3.4", false),
            ("::1", "::1", true),
            ("::1", "::2", false),
            ("2001:db8::/32", "2001:db8:ffff::1", true),
            ("2001:db8::/32", "2001:db9::", false),
            ("2001:db8::1/32", "2001:db8::2", true),
        ] {
            let c = Cidr::parse(cidr).unwrap_or_else(|| panic!("{cidr}"));
            assert_eq!(c.contains(ip(addr)), inside, "{cidr} contains {addr}");
        }
    }

    /// `parseutil.ParseAddrs`'s error, as the role endpoint reports it.
    #[test]
    fn parse_addrs_error_text() {
        let list = |items: &[&str]| items.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let shown = |r: Result<Vec<Cidr>, RoleError>| {
            r.map(|v| v.iter().map(ToString::to_string).collect::<Vec<_>>())
                .map_err(|e| e.to_string())
        };
        assert_eq!(
            shown(parse_addrs(&list(&["127.0.0.1/32", "::1"]))),
            Ok(list(&["127.0.0.1/32", "::1/128"]))
        );
        assert_eq!(shown(parse_addrs(&[])), Ok(vec![]));
        assert_eq!(
            shown(parse_addrs(&list(&["10.0.0.0/8", "nope", "10.0.0.0/33"]))),
            Err("error parsing address \"nope\": Unable to convert nope to an IPv4 or IPv6 address, or a UNIX Socket".to_owned())
        );
        assert_eq!(
            shown(parse_addrs(&list(&["fe80::1%eth0"]))),
            Err("error parsing address \"fe80::1%eth0\": Unable to convert fe80::1%eth0 to an IPv4 or IPv6 address, or a UNIX Socket".to_owned())
        );
    }
}
