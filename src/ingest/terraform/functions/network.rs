//! CIDR functions for IPv4 and IPv6: `cidrsubnet`, `cidrsubnets`, `cidrhost`, `cidrnetmask`.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::args::{self, ok_string};
use super::{EvalError, EvalResult, Func};
use crate::eval::value::Value;

/// The network functions by name.
pub(super) fn lookup(name: &str) -> Option<Func> {
    Some(Func::Strict(match name {
        "cidrsubnet" => cidrsubnet,
        "cidrsubnets" => cidrsubnets,
        "cidrhost" => cidrhost,
        "cidrnetmask" => cidrnetmask,
        _ => return None,
    }))
}

/// A network: its (masked) address as an integer, prefix length and address width.
#[derive(Clone, Copy)]
struct Net {
    addr: u128,
    len: u32,
    bits: u32,
}

impl Net {
    fn parse(value: &Value) -> Result<Net, EvalError> {
        let text = args::string(value)?;
        let (ip, len) = text.split_once('/').ok_or(EvalError)?;
        let len: u32 = len.parse().map_err(|_| EvalError)?;
        let (addr, bits) = match ip.parse::<IpAddr>().map_err(|_| EvalError)? {
            IpAddr::V4(v4) => (u128::from(u32::from(v4)), 32),
            IpAddr::V6(v6) => (u128::from(v6), 128),
        };
        if len > bits {
            return Err(EvalError);
        }
        Ok(Net {
            addr: addr & mask(len, bits),
            len,
            bits,
        })
    }

    fn ip(self, addr: u128) -> String {
        if self.bits == 32 {
            Ipv4Addr::from(addr as u32).to_string()
        } else {
            Ipv6Addr::from(addr).to_string()
        }
    }

    fn cidr(self, addr: u128, len: u32) -> String {
        format!("{}/{}", self.ip(addr), len)
    }

    fn contains(self, addr: u128) -> bool {
        addr & mask(self.len, self.bits) == self.addr
    }
}

/// All ones in an address of `bits` bits.
fn full(bits: u32) -> u128 {
    u128::MAX >> (128 - bits)
}

/// The network mask for a prefix length.
fn mask(len: u32, bits: u32) -> u128 {
    if len == 0 {
        0
    } else {
        full(bits) & (full(bits) << (bits - len))
    }
}

/// `cidrsubnet(prefix, newbits, netnum)`.
fn cidrsubnet(args: &[Value]) -> EvalResult {
    let [prefix, newbits, netnum] = args else {
        return Err(EvalError);
    };
    let net = Net::parse(prefix)?;
    let newbits = u32::try_from(args::integer(newbits)?).map_err(|_| EvalError)?;
    let netnum = u128::try_from(args::integer(netnum)?).map_err(|_| EvalError)?;
    let len = net
        .len
        .checked_add(newbits)
        .filter(|l| *l <= net.bits)
        .ok_or(EvalError)?;
    if newbits < 128 && netnum >> newbits != 0 {
        return Err(EvalError);
    }
    let shift = net.bits - len;
    let offset = netnum.checked_shl(shift).unwrap_or(0);
    ok_string(net.cidr(net.addr | offset, len))
}

/// `cidrhost(prefix, hostnum)`; a negative hostnum counts back from the end.
fn cidrhost(args: &[Value]) -> EvalResult {
    let [prefix, hostnum] = args else {
        return Err(EvalError);
    };
    let net = Net::parse(prefix)?;
    let hostnum = args::integer(hostnum)?;
    let last = full(net.bits) & !mask(net.len, net.bits);
    let back = u128::from(hostnum.unsigned_abs());
    let host = if hostnum < 0 {
        back.checked_sub(1)
            .and_then(|b| last.checked_sub(b))
            .ok_or(EvalError)?
    } else {
        back
    };
    if host > last {
        return Err(EvalError);
    }
    ok_string(net.ip(net.addr | host))
}

/// `cidrnetmask(prefix)`: IPv4 only.
fn cidrnetmask(args: &[Value]) -> EvalResult {
    let [prefix] = args else {
        return Err(EvalError);
    };
    let net = Net::parse(prefix)?;
    if net.bits != 32 {
        return Err(EvalError);
    }
    ok_string(net.ip(mask(net.len, 32)))
}

/// `cidrsubnets(prefix, newbits...)`: consecutive aligned subnets, as Terraform allocates.
fn cidrsubnets(args: &[Value]) -> EvalResult {
    let [prefix, newbits @ ..] = args else {
        return Err(EvalError);
    };
    let net = Net::parse(prefix)?;
    let lens = newbits
        .iter()
        .map(|n| {
            let n = u32::try_from(args::integer(n)?).map_err(|_| EvalError)?;
            net.len
                .checked_add(n)
                .filter(|l| *l <= net.bits)
                .ok_or(EvalError)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let Some(&first) = lens.first() else {
        return Ok(Value::List(Vec::new()));
    };
    let all = full(net.bits);
    // Start from the subnet just before the network, so the first "next" is its start.
    let (mut addr, mut len) = (
        net.addr.wrapping_sub(1) & all & mask(first, net.bits),
        first,
    );
    let mut out = Vec::with_capacity(lens.len());
    for new_len in lens {
        let last = addr | (all & !mask(len, net.bits));
        let sub_last = (last & mask(new_len, net.bits)) | (all & !mask(new_len, net.bits));
        let next = sub_last.wrapping_add(1) & all;
        if next == 0 || !net.contains(next) {
            return Err(EvalError);
        }
        addr = next & mask(new_len, net.bits);
        len = new_len;
        out.push(Value::String(net.cidr(addr, len)));
    }
    Ok(Value::List(out))
}

#[cfg(test)]
mod tests {
    use super::super::tests::{run, s, strs};
    use crate::eval::value::Value;

    fn n(x: f64) -> Value {
        Value::Number(x)
    }

    #[test]
    fn ipv4_cidr_functions() {
        assert_eq!(
            run("cidrsubnet", vec![s("10.0.0.0/16"), n(8.0), n(2.0)]),
            Some(s("10.0.2.0/24"))
        );
        assert_eq!(
            run("cidrsubnet", vec![s("10.1.2.3/16"), n(4.0), n(15.0)]),
            Some(s("10.1.240.0/20"))
        );
        assert_eq!(
            run("cidrsubnet", vec![s("10.0.0.0/16"), n(8.0), n(256.0)]),
            None
        );
        assert_eq!(
            run("cidrsubnet", vec![s("10.0.0.0/30"), n(8.0), n(0.0)]),
            None
        );
        assert_eq!(
            run("cidrhost", vec![s("10.12.112.0/20"), n(16.0)]),
            Some(s("10.12.112.16"))
        );
        assert_eq!(
            run("cidrhost", vec![s("10.12.112.0/20"), n(-2.0)]),
            Some(s("10.12.127.254"))
        );
        assert_eq!(run("cidrhost", vec![s("10.0.0.0/30"), n(4.0)]), None);
        assert_eq!(
            run("cidrnetmask", vec![s("172.16.0.0/12")]),
            Some(s("255.240.0.0"))
        );
        assert_eq!(run("cidrnetmask", vec![s("::/64")]), None);
        assert_eq!(
            run("cidrsubnet", vec![s("not-a-cidr"), n(1.0), n(0.0)]),
            None
        );
        assert_eq!(
            run(
                "cidrsubnets",
                vec![s("10.1.0.0/16"), n(4.0), n(4.0), n(8.0), n(4.0)]
            ),
            Some(strs(&[
                "10.1.0.0/20",
                "10.1.16.0/20",
                "10.1.32.0/24",
                "10.1.48.0/20"
            ]))
        );
        assert_eq!(
            run(
                "cidrsubnets",
                vec![s("10.0.0.0/30"), n(1.0), n(1.0), n(1.0)]
            ),
            None
        );
    }

    #[test]
    fn ipv6_cidr_functions() {
        assert_eq!(
            run(
                "cidrsubnet",
                vec![s("fd00:fd12:3456:7890::/56"), n(16.0), n(162.0)]
            ),
            Some(s("fd00:fd12:3456:7800:a200::/72"))
        );
        assert_eq!(
            run("cidrhost", vec![s("fd00::/64"), n(5.0)]),
            Some(s("fd00::5"))
        );
        assert_eq!(
            run(
                "cidrsubnets",
                vec![s("fd00:fd12:3456:7890::/56"), n(16.0), n(8.0)]
            ),
            Some(strs(&[
                "fd00:fd12:3456:7800::/72",
                "fd00:fd12:3456:7801::/64"
            ]))
        );
    }
}
