//! `token_bound_cidrs` networks, parsed and matched as OpenBao's Go code
//! does (`parseutil.ParseAddrs`, `net.IPNet.Contains` with 4-in-6 mapping).

use std::net::IpAddr;

use super::error::RoleError;
use crate::gocompat::go_quote;

/// An IP network from `token_bound_cidrs` (a bare address is a /32 or /128).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    pub addr: IpAddr,
    pub prefix_len: u8,
}

impl Cidr {
    pub(crate) fn parse(text: &str) -> Option<Cidr> {
        let (addr_text, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let addr: IpAddr = addr_text.parse().ok()?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix_len = match prefix {
            Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => p.parse().ok()?,
            Some(_) => return None,
            None => max,
        };
        (prefix_len <= max).then_some(Cidr { addr, prefix_len })
    }

    /// Whether `ip` lies inside this network.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = match (self.addr, ip) {
            (IpAddr::V6(_), IpAddr::V4(v4)) => IpAddr::V6(v4.to_ipv6_mapped()),
            (IpAddr::V4(_), IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
                Some(v4) => IpAddr::V4(v4),
                None => return false,
            },
            (_, ip) => ip,
        };
        let (net, addr, bits) = match (self.addr, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                (u128::from(u32::from(n)), u128::from(u32::from(a)), 32u32)
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => (u128::from(n), u128::from(a), 128u32),
            _ => return false,
        };
        let host_bits = bits.saturating_sub(u32::from(self.prefix_len));
        let shift = |v: u128| v.checked_shr(host_bits).unwrap_or(0);
        shift(net) == shift(addr)
    }
}

impl std::fmt::Display for Cidr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix_len)
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
}
