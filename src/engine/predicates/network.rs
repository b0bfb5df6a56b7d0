//! Address prefixes and port ranges as NSG rules and firewalls write them.

use crate::eval::symbolic::is_unknown_text;

/// An inclusive set of ports, as sorted disjoint ranges.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PortSet(Vec<(u16, u16)>);

impl PortSet {
    /// Every port.
    pub fn all() -> PortSet {
        PortSet(vec![(0, u16::MAX)])
    }

    /// Whether it holds every port.
    pub fn is_all(&self) -> bool {
        self.0 == [(0, u16::MAX)]
    }

    /// Whether it is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Parses `*`, `22`, `1000-2000` items; `Err(())` for the unknown marker or garbage.
    pub fn parse<'a>(items: impl IntoIterator<Item = &'a str>) -> Result<PortSet, PortError> {
        let mut ranges = Vec::new();
        for item in items {
            let item = item.trim();
            if is_unknown_text(item) {
                return Err(PortError::Unknown);
            }
            if item == "*" || item.eq_ignore_ascii_case("any") {
                return Ok(PortSet::all());
            }
            let (lo, hi) = item.split_once('-').unwrap_or((item, item));
            let lo = lo
                .trim()
                .parse::<u16>()
                .map_err(|_| PortError::Invalid(item.to_owned()))?;
            let hi = hi
                .trim()
                .parse::<u16>()
                .map_err(|_| PortError::Invalid(item.to_owned()))?;
            ranges.push((lo.min(hi), lo.max(hi)));
        }
        Ok(PortSet::from_ranges(ranges))
    }

    fn from_ranges(mut ranges: Vec<(u16, u16)>) -> PortSet {
        ranges.sort_unstable();
        let mut merged: Vec<(u16, u16)> = Vec::with_capacity(ranges.len());
        for (lo, hi) in ranges {
            match merged.last_mut() {
                Some(last) if u32::from(lo) <= u32::from(last.1) + 1 => last.1 = last.1.max(hi),
                _ => merged.push((lo, hi)),
            }
        }
        PortSet(merged)
    }

    /// The ports in `self` and not in `other`.
    pub fn minus(&self, other: &PortSet) -> PortSet {
        let mut out = Vec::new();
        for &(lo, hi) in &self.0 {
            let mut start = u32::from(lo);
            let end = u32::from(hi);
            for &(olo, ohi) in &other.0 {
                let (olo, ohi) = (u32::from(olo), u32::from(ohi));
                if ohi < start || olo > end {
                    continue;
                }
                if olo > start {
                    out.push((start as u16, (olo - 1) as u16));
                }
                start = ohi + 1;
            }
            if start <= end {
                out.push((start as u16, end as u16));
            }
        }
        PortSet::from_ranges(out)
    }

    /// The ports in either.
    pub fn union(&self, other: &PortSet) -> PortSet {
        PortSet::from_ranges(self.0.iter().chain(&other.0).copied().collect())
    }

    /// The ports in both.
    pub fn intersect(&self, other: &PortSet) -> PortSet {
        self.minus(&self.minus(other))
    }

    /// `22, 3389, 8000-8080`, or `all ports`.
    pub fn describe(&self) -> String {
        if self.is_all() {
            return "all ports".to_owned();
        }
        self.0
            .iter()
            .map(|&(lo, hi)| {
                if lo == hi {
                    lo.to_string()
                } else {
                    format!("{lo}-{hi}")
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Why a port list could not be read.
#[derive(Debug, PartialEq, Eq)]
pub enum PortError {
    /// A port is not known statically.
    Unknown,
    /// Not a port, range or `*`.
    Invalid(String),
}

/// Whether an NSG source prefix admits the whole internet: `*`, `Any`, `Internet`,
/// `0.0.0.0`, and any CIDR with prefix length 0 (`0.0.0.0/0`, `::/0`, `34.15.11.3/0`: the
/// host bits do not narrow a /0). Service tags such as `AzureLoadBalancer` do not.
pub fn is_any_source(prefix: &str) -> bool {
    let p = prefix.trim();
    if ["*", "any", "internet", "0.0.0.0"]
        .iter()
        .any(|any| p.eq_ignore_ascii_case(any))
    {
        return true;
    }
    p.strip_suffix("/0")
        .is_some_and(|address| address.parse::<std::net::IpAddr>().is_ok())
}

/// Parses a dotted IPv4 address into a number.
pub fn ipv4(s: &str) -> Option<u32> {
    s.trim().parse::<std::net::Ipv4Addr>().ok().map(u32::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_sets_parse_merge_and_subtract() {
        let open = PortSet::parse(["22", "3389", "1000-2000", "1500-2500"]).unwrap();
        assert_eq!(open.describe(), "22, 1000-2500, 3389");
        let deny = PortSet::parse(["20-25", "1000-1999"]).unwrap();
        assert_eq!(open.minus(&deny).describe(), "2000-2500, 3389");
        assert_eq!(
            PortSet::all().minus(&PortSet::parse(["0-65535"]).unwrap()),
            PortSet::default()
        );
        assert!(PortSet::parse(["*"]).unwrap().is_all());
        assert_eq!(
            PortSet::all()
                .intersect(&PortSet::parse(["443"]).unwrap())
                .describe(),
            "443"
        );
        assert_eq!(
            PortSet::parse([crate::eval::value::UNKNOWN_MARKER]),
            Err(PortError::Unknown)
        );
        assert!(matches!(
            PortSet::parse(["ssh"]),
            Err(PortError::Invalid(_))
        ));
        assert_eq!(
            PortSet::all()
                .minus(&PortSet::parse(["0"]).unwrap())
                .describe(),
            "1-65535"
        );
        assert_eq!(
            PortSet::all()
                .minus(&PortSet::parse(["65535"]).unwrap())
                .describe(),
            "0-65534"
        );
    }

    #[test]
    fn any_source_is_not_a_service_tag() {
        for any in ["*", "Any", "Internet", "0.0.0.0/0", "::/0", "34.15.11.3/0"] {
            assert!(is_any_source(any), "{any}");
        }
        for tag in [
            "VirtualNetwork",
            "AzureLoadBalancer",
            "BatchNodeManagement",
            "10.0.0.0/8",
            "/0",
        ] {
            assert!(!is_any_source(tag), "{tag}");
        }
    }
}
