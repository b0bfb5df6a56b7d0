//! Suppression comments as written: `moat:ignore <ids> -- <reason> [until YYYY-MM-DD]`,
//! `checkov:skip=<id>[:<reason>]`, `trivy:ignore:<id>[:exp:YYYY-MM-DD]`, after `#` or `//`,
//! and an ARM resource's `"metadata": {"moat:ignore": "<ids> -- <reason>"}`.

/// Which tool's syntax a directive uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    /// `moat:ignore`.
    Moat,
    /// `checkov:skip=`.
    Checkov,
    /// `trivy:ignore:`.
    Trivy,
}

/// A calendar date, ordered.
pub type Date = (i32, u32, u32);

/// One suppression directive on one line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    /// The syntax.
    pub syntax: Syntax,
    /// Rule ids (moat) or peer check ids.
    pub ids: Vec<String>,
    /// Why; required by `moat:ignore`.
    pub reason: Option<String>,
    /// When it stops applying.
    pub until: Option<Date>,
    /// Written as an ARM resource's `metadata` entry rather than a comment.
    pub metadata: bool,
    /// Byte range of the directive within its line.
    pub range: std::ops::Range<usize>,
}

const MOAT: &str = "moat:ignore";
const CHECKOV: &str = "checkov:skip=";
const TRIVY: &str = "trivy:ignore:";

/// Whether a text names any directive marker at all: most files (and every line of a
/// tenant's export) do not, and are then not split into lines.
pub fn mentioned(text: &str) -> bool {
    [MOAT, CHECKOV, TRIVY].iter().any(|m| text.contains(m))
}

/// The directives of one line.
pub fn parse_line(line: &str) -> Vec<Directive> {
    let mut out = Vec::new();
    for (marker, syntax) in [
        (MOAT, Syntax::Moat),
        (CHECKOV, Syntax::Checkov),
        (TRIVY, Syntax::Trivy),
    ] {
        let mut from = 0;
        while let Some(found) = line[from..].find(marker) {
            let at = from + found;
            from = at + marker.len();
            let before = line[..at].trim_end();
            if syntax == Syntax::Moat && before.ends_with('"') {
                if let Some(d) = metadata(line, at) {
                    out.push(d);
                }
                continue;
            }
            if !(before.ends_with('#') || before.ends_with("//") || before.ends_with("/*")) {
                continue;
            }
            let rest = line[from..].trim_end().trim_end_matches("*/").trim_end();
            let range = at..line.len();
            out.extend(match syntax {
                Syntax::Moat => Some(moat(rest, range, false)),
                Syntax::Checkov => checkov(rest, range),
                Syntax::Trivy => trivy(rest, range),
            });
        }
    }
    out
}

/// Whether a line holds nothing but a comment.
pub fn is_comment_line(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with('#') || t.starts_with("//") || t.starts_with("/*") || t.starts_with('*')
}

fn moat(rest: &str, range: std::ops::Range<usize>, metadata: bool) -> Directive {
    let (ids, reason) = match rest.split_once("--") {
        Some((ids, reason)) => (ids, Some(reason.trim())),
        None => (rest, None),
    };
    let (reason, until) = match reason {
        Some(r) => split_until(r),
        None => (None, None),
    };
    Directive {
        syntax: Syntax::Moat,
        ids: ids
            .split([',', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        reason,
        until,
        metadata,
        range,
    }
}

/// `reason until 2027-03-01` → the reason and the date.
fn split_until(reason: &str) -> (Option<String>, Option<Date>) {
    let (text, until) = match reason.rsplit_once("until ") {
        Some((text, date)) => match date_of(date.trim()) {
            Some(d) => (text.trim(), Some(d)),
            None => (reason, None),
        },
        None => (reason, None),
    };
    let text = text.trim();
    ((!text.is_empty()).then(|| text.to_owned()), until)
}

fn checkov(rest: &str, range: std::ops::Range<usize>) -> Option<Directive> {
    let (id, reason) = rest.split_once(':').unwrap_or((rest, ""));
    let id = id.split_whitespace().next()?;
    let reason = reason.trim();
    Some(Directive {
        syntax: Syntax::Checkov,
        ids: vec![id.to_owned()],
        reason: (!reason.is_empty()).then(|| reason.to_owned()),
        until: None,
        metadata: false,
        range,
    })
}

fn trivy(rest: &str, range: std::ops::Range<usize>) -> Option<Directive> {
    let rest = rest.split_whitespace().next()?;
    let (id, until) = match rest.split_once(":exp:") {
        Some((id, date)) => (id, date_of(date)),
        None => (rest, None),
    };
    Some(Directive {
        syntax: Syntax::Trivy,
        ids: vec![id.to_owned()],
        reason: None,
        until,
        metadata: false,
        range,
    })
}

/// `"moat:ignore": "ids -- reason"` inside a resource's `metadata`.
fn metadata(line: &str, at: usize) -> Option<Directive> {
    let after = line[at + MOAT.len()..].strip_prefix('"')?.trim_start();
    let value = after.strip_prefix(':')?.trim_start().strip_prefix('"')?;
    let end = value.find('"')?;
    Some(moat(&value[..end], at.saturating_sub(1)..line.len(), true))
}

/// `YYYY-MM-DD`.
pub fn date_of(text: &str) -> Option<Date> {
    let mut parts = text.splitn(3, '-');
    let y = parts.next()?.parse().ok()?;
    let m = parts
        .next()?
        .parse()
        .ok()
        .filter(|m| (1..=12).contains(m))?;
    let d = parts
        .next()?
        .parse()
        .ok()
        .filter(|d| (1..=31).contains(d))?;
    Some((y, m, d))
}

/// Today's date (UTC).
pub fn today() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    civil_from_days(i64::try_from(secs / 86_400).unwrap_or(0))
}

/// Days since 1970-01-01 → (year, month, day) (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> Date {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (
        i32::try_from(y).unwrap_or(i32::MAX),
        u32::try_from(m).unwrap_or(1),
        u32::try_from(d).unwrap_or(1),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moat_directives_carry_ids_reason_and_expiry() {
        let d = parse_line(
            "  # moat:ignore nsg-open-inbound, acr-public-access -- jump host until 2027-03-01",
        );
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].ids, vec!["nsg-open-inbound", "acr-public-access"]);
        assert_eq!(d[0].reason.as_deref(), Some("jump host"));
        assert_eq!(d[0].until, Some((2027, 3, 1)));
        let d = parse_line("x = 1 // moat:ignore nsg-open-inbound");
        assert_eq!(d[0].reason, None);
        assert!(parse_line("description = \"moat:ignore x -- y\"").is_empty());
    }

    #[test]
    fn peer_and_metadata_directives() {
        let d = parse_line("  #checkov:skip=CKV_AZURE_35:reviewed");
        assert_eq!(
            (d[0].syntax, d[0].ids[0].as_str()),
            (Syntax::Checkov, "CKV_AZURE_35")
        );
        assert_eq!(d[0].reason.as_deref(), Some("reviewed"));
        let d = parse_line("# trivy:ignore:AVD-AZU-0012:exp:2020-01-02");
        assert_eq!(d[0].ids, vec!["AVD-AZU-0012"]);
        assert_eq!(d[0].until, Some((2020, 1, 2)));
        let d =
            parse_line(r#"  "metadata": {"moat:ignore": "storage-public-access -- CDN origin"},"#);
        assert!(d[0].metadata);
        assert_eq!(d[0].reason.as_deref(), Some("CDN origin"));
    }

    #[test]
    fn dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_513), (2026, 3, 1));
        assert_eq!(date_of("2026-13-01"), None);
    }
}
