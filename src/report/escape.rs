//! Escaping of untrusted text (file names, resource names, addresses, messages) before it
//! reaches a terminal, a CI log, a GitHub annotation or a SARIF URI. A scanned repository
//! is written by whoever opened the pull request: a file named `a\n::warning::x\n.tf` must
//! not start a workflow command at column 0, and ESC/OSC sequences must not reach the
//! terminal.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Characters never printed raw: C0 controls (`\n`, `\r`, `\t`, ESC …), DEL, C1 controls,
/// and the bidirectional overrides and isolates that reorder what a reader sees.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `c` as a visible escape: `\n`, `\r`, `\t`, `\x1b` for other ASCII controls, `\u{202e}`
/// beyond ASCII.
fn push_escaped(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if c.is_ascii() => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        c => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
}

/// Text for the text report and the console: every unsafe character escaped visibly.
pub fn text(s: &str) -> Cow<'_, str> {
    escape_with(s, |_| false)
}

/// Like [`text`], but line breaks are kept: for multi-line text the tool itself composed.
pub fn text_keeping_lines(s: &str) -> Cow<'_, str> {
    escape_with(s, |c| c == '\n')
}

/// Multi-line text for a terminal or CI log: like [`text_keeping_lines`], and a line that
/// would start a GitHub Actions workflow command (`::` after leading blanks, as the runner
/// trims them) has its first `:` escaped as `\x3a`.
pub fn console(s: &str) -> Cow<'_, str> {
    let kept = text_keeping_lines(s);
    if !kept.split('\n').any(starts_command) {
        return kept;
    }
    let lines: Vec<String> = kept
        .split('\n')
        .map(|line| match line.find("::") {
            Some(at) if starts_command(line) => format!("{}\\x3a{}", &line[..at], &line[at + 1..]),
            _ => line.to_owned(),
        })
        .collect();
    Cow::Owned(lines.join("\n"))
}

/// Like [`console`] for text the report coloured itself: the SGR colour sequences
/// (`ESC [ digits ; … m`) survive, every other control character is escaped. Values from
/// the scanned files were escaped before colouring, so only the report's own colours are
/// left raw.
pub fn console_styled(s: &str) -> Cow<'_, str> {
    const MARK: char = '\u{E000}';
    if !s.contains('\x1b') {
        return console(s);
    }
    // Park each SGR sequence's ESC on a private-use character while the rest is escaped
    // (that character, where the text already had it, is shown escaped).
    let owned = s.replace(MARK, "\\u{e000}");
    let mut parked = String::with_capacity(owned.len());
    let mut rest = owned.as_str();
    while let Some(at) = rest.find('\x1b') {
        parked.push_str(&rest[..at]);
        let tail = &rest[at + 1..];
        let params = tail.strip_prefix('[').map(|t| {
            t.len()
                - t.trim_start_matches(|c: char| c.is_ascii_digit() || c == ';')
                    .len()
        });
        match params {
            Some(n) if tail[1 + n..].starts_with('m') => {
                parked.push(MARK);
                parked.push_str(&tail[..n + 2]);
                rest = &tail[n + 2..];
            }
            _ => {
                parked.push('\x1b');
                rest = tail;
            }
        }
    }
    parked.push_str(rest);
    // A line whose visible text starts a workflow command is defused as [`console`] does;
    // the parked sequences hold no `:`, so the first `::` is the visible one.
    let lines: Vec<String> = parked
        .split('\n')
        .map(|line| {
            let visible = strip_parked(line, MARK);
            match line.find("::") {
                Some(at) if starts_command(&visible) => {
                    format!("{}\\x3a{}", &line[..at], &line[at + 1..])
                }
                _ => line.to_owned(),
            }
        })
        .collect();
    Cow::Owned(console(&lines.join("\n")).replace(MARK, "\x1b"))
}

/// A line without its parked SGR sequences (`MARK [ digits ; … m`).
fn strip_parked(line: &str, mark: char) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find(mark) {
        out.push_str(&rest[..at]);
        let tail = &rest[at + mark.len_utf8()..];
        rest = tail.find('m').map_or("", |end| &tail[end + 1..]);
    }
    out.push_str(rest);
    out
}

fn starts_command(line: &str) -> bool {
    line.trim_start().starts_with("::")
}

fn escape_with(s: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !s.chars().any(|c| is_unsafe(c) && !keep(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unsafe(c) && !keep(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Source text for a snippet: unsafe characters other than line breaks and tabs become
/// `?`, one per byte, so byte offsets (spans) stay valid. A `\r` that ends a line is kept.
pub fn snippet(s: &str) -> Cow<'_, str> {
    let keep =
        |c: char, next: Option<char>| c == '\n' || c == '\t' || (c == '\r' && next == Some('\n'));
    let mut chars = s.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        if is_unsafe(c) && !keep(c, chars.peek().copied()) {
            any = true;
            break;
        }
    }
    if !any {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if is_unsafe(c) && !keep(c, chars.peek().copied()) {
            out.extend(std::iter::repeat_n('?', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The data (message) part of a GitHub Actions workflow command: `%`, `\r`, `\n` as
/// GitHub decodes them; other unsafe characters escaped visibly.
pub fn github_data(s: &str) -> String {
    github(s, false)
}

/// A property value of a workflow command (`file=`, `title=`): like [`github_data`], and
/// `:` and `,` too, which would end the value.
pub fn github_property(s: &str) -> String {
    github(s, true)
}

fn github(s: &str, property: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' if property => out.push_str("%3A"),
            ',' if property => out.push_str("%2C"),
            c if is_unsafe(c) => push_escaped(&mut out, c),
            c => out.push(c),
        }
    }
    out
}

/// Text for XML content and attribute values (JUnit): `&`, `<`, `>`, `"`, `'` as entities,
/// line breaks and tabs as character references (kept even in attributes), and the other
/// unsafe characters, which XML 1.0 forbids or a reader would not see, as visible escapes
/// (`\x1b`, `\u{202e}`), as are the non-characters U+FFFE and U+FFFF.
pub fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if is_unsafe(c) || matches!(c, '\u{FFFE}' | '\u{FFFF}') => push_escaped(&mut out, c),
            c => out.push(c),
        }
    }
    out
}

/// A relative path as a URI reference (RFC 3986): forward slashes, and every byte outside
/// the unreserved set and `/` percent-encoded (spaces, `#`, `%`, `?`, controls, non-ASCII
/// as its UTF-8 bytes).
pub fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.replace('\\', "/").bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(byte as char);
            }
            b => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_escapes_controls_and_bidi() {
        assert_eq!(text("plain ünïcode"), "plain ünïcode");
        assert_eq!(
            text("a\n::warning title=x::pwned\r\t\u{1b}]0;t\u{7}\u{7f}\u{85}\u{202e}\u{2066}"),
            "a\\n::warning title=x::pwned\\r\\t\\x1b]0;t\\x07\\x7f\\u{85}\\u{202e}\\u{2066}"
        );
        assert_eq!(text_keeping_lines("a\nb\u{1b}"), "a\nb\\x1b");
    }

    #[test]
    fn console_defuses_workflow_commands() {
        assert_eq!(
            console("ok\n  ::warning::x\na ::b"),
            "ok\n  \\x3a:warning::x\na ::b"
        );
        assert_eq!(console("plain\n"), "plain\n");
    }

    #[test]
    fn snippet_keeps_offsets() {
        let s = "a\u{1b}[2J\r\nb\u{202e}c\rd\n";
        let out = snippet(s);
        assert_eq!(out.len(), s.len());
        assert_eq!(out, "a?[2J\r\nb???c?d\n");
    }

    #[test]
    fn github_escaping() {
        assert_eq!(github_data("50% a:b,c\r\nd"), "50%25 a:b,c%0D%0Ad");
        assert_eq!(
            github_property("dir/a,b:c%\n::x"),
            "dir/a%2Cb%3Ac%25%0A%3A%3Ax"
        );
        assert_eq!(github_data("\u{1b}[31m"), "\\x1b[31m");
    }

    #[test]
    fn xml_escapes_markup_and_controls() {
        assert_eq!(
            xml("<a href=\"x\">&'b'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;b&apos;&lt;/a&gt;"
        );
        assert_eq!(
            xml("l1\nl2\r\t\u{0}\u{1b}[31m\u{7f}\u{202e}\u{fffe}é"),
            "l1&#10;l2&#13;&#9;\\x00\\x1b[31m\\x7f\\u{202e}\\u{fffe}é"
        );
    }

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(
            uri_path("dir\\my file#1%?.tf"),
            "dir/my%20file%231%25%3F.tf"
        );
        assert_eq!(uri_path("a\nb/é.json"), "a%0Ab/%C3%A9.json");
        assert_eq!(uri_path("ok/main-1_a.~tf"), "ok/main-1_a.~tf");
    }

    #[test]
    fn styled_console_keeps_colours_only() {
        let s = "\x1b[1;31merror\x1b[0m \x1b]8;;http://x\x07link \x1b[2J";
        assert_eq!(
            console_styled(s),
            "\x1b[1;31merror\x1b[0m \\x1b]8;;http://x\\x07link \\x1b[2J"
        );
        assert_eq!(console_styled("plain\n::x"), console("plain\n::x"));
        assert_eq!(
            console_styled("a\n \x1b[31m::error::x\x1b[0m"),
            "a\n \x1b[31m\\x3a:error::x\x1b[0m"
        );
        assert_eq!(
            console_styled("\x1b[1m\u{E000}]8;;x"),
            "\x1b[1m\\u{e000}]8;;x"
        );
    }
}
