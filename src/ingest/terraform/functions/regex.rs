//! A small backtracking subset of RE2 for `replace(s, "/re/", r)`, `regex` and `regexall`.
//!
//! Supported: literals, `.`, classes (`[a-z]`, `[^...]`, `\d \w \s` and negations), `^ $ \A
//! \z \b \B`, groups (capturing, `(?:...)`, `(?P<name>...)`), `|`, `* + ? {n} {n,} {n,m}` and
//! their lazy forms. Anything else (flags, Unicode classes, POSIX classes) is reported as
//! unsupported, and so is input or work beyond fixed limits: callers then yield unknown.

use std::cell::Cell;

/// Longest input matched (the matcher recurses per character).
const MAX_INPUT: usize = 1_000;
/// Matching steps allowed per call (guards catastrophic backtracking); exceeding the depth
/// limit counts as exceeding this.
const MAX_STEPS: usize = 200_000;
/// Deepest matcher recursion (about one level per node per repetition of a group).
const MAX_DEPTH: usize = 1_500;
/// Largest counted repetition, as in RE2.
const MAX_REPEAT: usize = 1_000;

/// A compiled pattern.
pub(super) struct Regex {
    root: Node,
    /// Names of capture groups 1.., `None` for unnamed ones.
    names: Vec<Option<String>>,
}

/// Capture spans (in characters) of one match; index 0 is the whole match.
pub(super) type Captures = Vec<Option<(usize, usize)>>;

enum Node {
    Literal(char),
    Any,
    Class {
        ranges: Vec<(char, char)>,
        negated: bool,
    },
    Start,
    End,
    WordBoundary(bool),
    Group {
        inner: Box<Node>,
        index: usize,
    },
    Alt(Vec<Node>),
    Concat(Vec<Node>),
    Repeat {
        inner: Box<Node>,
        min: usize,
        max: Option<usize>,
        greedy: bool,
    },
}

const DIGIT: &[(char, char)] = &[('0', '9')];
const WORD: &[(char, char)] = &[('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')];
const SPACE: &[(char, char)] = &[('\t', '\n'), ('\u{c}', '\r'), (' ', ' ')];

impl Regex {
    /// Compiles `pattern`; `None` when it is invalid or outside the supported subset.
    pub(super) fn parse(pattern: &str) -> Option<Regex> {
        let mut parser = Parser {
            chars: pattern.chars().collect(),
            pos: 0,
            names: Vec::new(),
        };
        let root = parser.alternation()?;
        (parser.pos == parser.chars.len()).then_some(Regex {
            root,
            names: parser.names,
        })
    }

    /// The capture group names (1..), `None` for unnamed groups.
    pub(super) fn names(&self) -> &[Option<String>] {
        &self.names
    }

    /// All non-overlapping matches, as Go's `FindAll` finds them; `None` past the limits.
    pub(super) fn find_all(&self, input: &[char]) -> Option<Vec<Captures>> {
        if input.len() > MAX_INPUT {
            return None;
        }
        let mut matcher = Matcher {
            input,
            steps: 0,
            depth: 0,
            caps: Vec::new(),
        };
        let mut out: Vec<Captures> = Vec::new();
        let mut search = 0;
        let mut previous_end = None;
        while search <= input.len() {
            let Some(caps) = matcher.find_from(self, search)? else {
                break;
            };
            let Some(Some((start, end))) = caps.first().copied() else {
                break;
            };
            search = if end > start { end } else { start + 1 };
            if start == end && previous_end == Some(start) {
                continue;
            }
            previous_end = Some(end);
            out.push(caps);
        }
        Some(out)
    }

    /// Go's `ReplaceAllString`: `$1`, `${1}`, `$name`, `${name}` and `$$` in `replacement`.
    pub(super) fn replace_all(&self, input: &str, replacement: &str) -> Option<String> {
        if (input.len() + 1).saturating_mul(replacement.len()) > super::args::MAX_STRING {
            return None;
        }
        let chars: Vec<char> = input.chars().collect();
        let mut out = String::new();
        let mut copied = 0;
        for caps in self.find_all(&chars)? {
            let Some(Some((start, end))) = caps.first().copied() else {
                continue;
            };
            out.extend(chars.get(copied..start).unwrap_or_default());
            self.expand(replacement, &chars, &caps, &mut out);
            copied = end;
        }
        out.extend(chars.get(copied..).unwrap_or_default());
        Some(out)
    }

    fn expand(&self, template: &str, input: &[char], caps: &Captures, out: &mut String) {
        let mut rest = template;
        while let Some(i) = rest.find('$') {
            out.push_str(rest.get(..i).unwrap_or_default());
            let after = rest.get(i + 1..).unwrap_or_default();
            if let Some(tail) = after.strip_prefix('$') {
                out.push('$');
                rest = tail;
                continue;
            }
            let (name, tail) = match after.strip_prefix('{') {
                Some(braced) => match braced.split_once('}') {
                    Some((name, tail)) => (name, tail),
                    None => ("", after),
                },
                None => {
                    let len = after
                        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                        .unwrap_or(after.len());
                    (
                        after.get(..len).unwrap_or_default(),
                        after.get(len..).unwrap_or_default(),
                    )
                }
            };
            if name.is_empty() {
                out.push('$');
                rest = after;
                continue;
            }
            let index = name.parse::<usize>().ok().or_else(|| {
                self.names
                    .iter()
                    .position(|n| n.as_deref() == Some(name))
                    .map(|i| i + 1)
            });
            if let Some(Some((s, e))) = index.and_then(|i| caps.get(i)) {
                out.extend(input.get(*s..*e).unwrap_or_default());
            }
            rest = tail;
        }
        out.push_str(rest);
    }
}

/// Recursive-descent parser over the pattern's characters.
struct Parser {
    chars: Vec<char>,
    pos: usize,
    names: Vec<Option<String>>,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn eat(&mut self, c: char) -> bool {
        let hit = self.peek() == Some(c);
        if hit {
            self.pos += 1;
        }
        hit
    }

    fn alternation(&mut self) -> Option<Node> {
        let mut branches = vec![self.concatenation()?];
        while self.eat('|') {
            branches.push(self.concatenation()?);
        }
        Some(if branches.len() == 1 {
            branches.pop()?
        } else {
            Node::Alt(branches)
        })
    }

    fn concatenation(&mut self) -> Option<Node> {
        let mut items = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let atom = self.atom()?;
            items.push(self.quantified(atom)?);
        }
        Some(Node::Concat(items))
    }

    fn quantified(&mut self, atom: Node) -> Option<Node> {
        let (min, max) = match self.peek() {
            Some('{') => match self.counted() {
                Some(bounds) => bounds,
                None => return Some(atom),
            },
            Some(c @ ('*' | '+' | '?')) => {
                self.pos += 1;
                match c {
                    '*' => (0, None),
                    '+' => (1, None),
                    _ => (0, Some(1)),
                }
            }
            _ => return Some(atom),
        };
        if min > MAX_REPEAT || max.is_some_and(|m| m > MAX_REPEAT || m < min) {
            return None;
        }
        let greedy = !self.eat('?');
        if matches!(self.peek(), Some('*' | '+' | '?')) {
            return None;
        }
        Some(Node::Repeat {
            inner: Box::new(atom),
            min,
            max,
            greedy,
        })
    }

    /// Parses `{n}`, `{n,}` or `{n,m}` at the cursor, consuming it; `None` (nothing
    /// consumed) when it is not a valid repetition, so `{` is then a literal.
    fn counted(&mut self) -> Option<(usize, Option<usize>)> {
        let rest: String = self.chars.get(self.pos + 1..)?.iter().collect();
        let (body, _) = rest.split_once('}')?;
        let number = |s: &str| -> Option<usize> {
            (!s.is_empty() && s.chars().all(|c| c.is_ascii_digit())).then(|| s.parse().ok())?
        };
        let bounds = match body.split_once(',') {
            None => {
                let n = number(body)?;
                (n, Some(n))
            }
            Some((lo, "")) => (number(lo)?, None),
            Some((lo, hi)) => (number(lo)?, Some(number(hi)?)),
        };
        self.pos += body.chars().count() + 2;
        Some(bounds)
    }

    fn atom(&mut self) -> Option<Node> {
        let c = self.peek()?;
        self.pos += 1;
        Some(match c {
            '.' => Node::Any,
            '^' => Node::Start,
            '$' => Node::End,
            '[' => self.class()?,
            '(' => self.group()?,
            '\\' => self.escape()?,
            '*' | '+' | '?' => return None,
            other => Node::Literal(other),
        })
    }

    fn group(&mut self) -> Option<Node> {
        let mut name = None;
        if self.eat('?') {
            if self.eat(':') {
                let inner = self.alternation()?;
                return self.eat(')').then_some(inner);
            }
            self.eat('P');
            if !self.eat('<') {
                return None;
            }
            let mut n = String::new();
            while let Some(c) = self.peek().filter(|c| *c != '>') {
                n.push(c);
                self.pos += 1;
            }
            if !self.eat('>') || n.is_empty() {
                return None;
            }
            name = Some(n);
        }
        self.names.push(name);
        let index = self.names.len();
        let inner = self.alternation()?;
        self.eat(')').then(|| Node::Group {
            inner: Box::new(inner),
            index,
        })
    }

    fn escape(&mut self) -> Option<Node> {
        let c = self.peek()?;
        self.pos += 1;
        let class = |ranges: &[(char, char)], negated| Node::Class {
            ranges: ranges.to_vec(),
            negated,
        };
        Some(match c {
            'd' => class(DIGIT, false),
            'D' => class(DIGIT, true),
            'w' => class(WORD, false),
            'W' => class(WORD, true),
            's' => class(SPACE, false),
            'S' => class(SPACE, true),
            'A' => Node::Start,
            'z' => Node::End,
            'b' => Node::WordBoundary(true),
            'B' => Node::WordBoundary(false),
            other => Node::Literal(escaped_literal(other)?),
        })
    }

    fn class(&mut self) -> Option<Node> {
        let negated = self.eat('^');
        let mut ranges = Vec::new();
        let mut first = true;
        loop {
            let c = self.peek()?;
            self.pos += 1;
            if c == ']' && !first {
                break;
            }
            first = false;
            let lo = match c {
                '[' if self.peek() == Some(':') => return None,
                '\\' => {
                    let e = self.peek()?;
                    self.pos += 1;
                    match e {
                        'd' => ranges.extend_from_slice(DIGIT),
                        'w' => ranges.extend_from_slice(WORD),
                        's' => ranges.extend_from_slice(SPACE),
                        _ => {
                            let lit = escaped_literal(e)?;
                            ranges.push((lit, lit));
                            continue;
                        }
                    }
                    continue;
                }
                other => other,
            };
            let is_range = self.peek() == Some('-') && self.chars.get(self.pos + 1) != Some(&']');
            if is_range {
                self.pos += 1;
                let hi = match self.peek()? {
                    '\\' => {
                        self.pos += 1;
                        escaped_literal(self.peek()?)?
                    }
                    other => other,
                };
                self.pos += 1;
                if hi < lo {
                    return None;
                }
                ranges.push((lo, hi));
            } else {
                ranges.push((lo, lo));
            }
        }
        Some(Node::Class { ranges, negated })
    }
}

/// The character an escape like `\.` or `\n` stands for; `None` for unsupported escapes.
fn escaped_literal(c: char) -> Option<char> {
    match c {
        'n' => Some('\n'),
        't' => Some('\t'),
        'r' => Some('\r'),
        'f' => Some('\u{c}'),
        'v' => Some('\u{b}'),
        c if c.is_ascii_punctuation() => Some(c),
        _ => None,
    }
}

/// Whether a node always consumes exactly one character.
fn is_single(node: &Node) -> bool {
    matches!(node, Node::Literal(_) | Node::Any | Node::Class { .. })
}

thread_local! {
    /// Matching steps taken since [`take_steps`] last ran, for the unit's budget.
    static STEPS_TAKEN: Cell<u64> = const { Cell::new(0) };
}

/// The matching steps taken on this thread since the last call (the function library
/// charges them to the unit's budget after each call).
pub(super) fn take_steps() -> u64 {
    STEPS_TAKEN.with(|taken| taken.replace(0))
}

impl Drop for Matcher<'_> {
    fn drop(&mut self) {
        let steps = self.steps as u64;
        STEPS_TAKEN.with(|taken| taken.set(taken.get().saturating_add(steps)));
    }
}

/// Backtracking matcher state for one input.
struct Matcher<'a> {
    input: &'a [char],
    steps: usize,
    /// Nested `node` calls: the matcher recurses per repetition of a complex node.
    depth: usize,
    caps: Captures,
}

/// What to do after a node matched, given the position it ended at.
type Next<'k, 'a> = &'k mut dyn FnMut(&mut Matcher<'a>, usize) -> bool;

impl<'a> Matcher<'a> {
    /// The leftmost match starting at or after `from`; `None` past the step limit.
    fn find_from(&mut self, regex: &Regex, from: usize) -> Option<Option<Captures>> {
        for start in from..=self.input.len() {
            self.caps = vec![None; regex.names.len() + 1];
            let mut end = None;
            let matched = self.node(&regex.root, start, &mut |_, pos| {
                end = Some(pos);
                true
            });
            if self.steps > MAX_STEPS {
                return None;
            }
            if let (true, Some(end)) = (matched, end) {
                let mut caps = std::mem::take(&mut self.caps);
                if let Some(whole) = caps.first_mut() {
                    *whole = Some((start, end));
                }
                return Some(Some(caps));
            }
        }
        Some(None)
    }

    fn is_word(&self, pos: Option<usize>) -> bool {
        pos.and_then(|p| self.input.get(p))
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_')
    }

    fn node(&mut self, node: &Node, pos: usize, next: Next<'_, 'a>) -> bool {
        self.steps += 1;
        if self.steps > MAX_STEPS || self.depth >= MAX_DEPTH {
            self.steps = MAX_STEPS + 1;
            return false;
        }
        self.depth += 1;
        let matched = self.node_inner(node, pos, next);
        self.depth -= 1;
        matched
    }

    fn node_inner(&mut self, node: &Node, pos: usize, next: Next<'_, 'a>) -> bool {
        match node {
            Node::Literal(_) | Node::Any | Node::Class { .. } => {
                self.single(node, pos) && next(self, pos + 1)
            }
            Node::Start => pos == 0 && next(self, pos),
            Node::End => pos == self.input.len() && next(self, pos),
            Node::WordBoundary(at) => {
                let boundary = self.is_word(pos.checked_sub(1)) != self.is_word(Some(pos));
                boundary == *at && next(self, pos)
            }
            Node::Group { inner, index } => {
                let index = *index;
                self.node(inner, pos, &mut |m, end| {
                    let saved = m.caps.get(index).copied().flatten();
                    if let Some(slot) = m.caps.get_mut(index) {
                        *slot = Some((pos, end));
                    }
                    if next(m, end) {
                        return true;
                    }
                    if let Some(slot) = m.caps.get_mut(index) {
                        *slot = saved;
                    }
                    false
                })
            }
            Node::Alt(branches) => branches.iter().any(|b| self.node(b, pos, next)),
            Node::Concat(items) => self.sequence(items, pos, next),
            Node::Repeat {
                inner,
                min,
                max,
                greedy,
            } if is_single(inner) => self.repeat_single(inner, (*min, *max, *greedy), pos, next),
            Node::Repeat {
                inner,
                min,
                max,
                greedy,
            } => self.repeat(inner, (*min, *max, *greedy), 0, pos, next),
        }
    }

    /// Whether the one-character node `node` matches at `pos`.
    fn single(&self, node: &Node, pos: usize) -> bool {
        let Some(&c) = self.input.get(pos) else {
            return false;
        };
        match node {
            Node::Literal(l) => c == *l,
            Node::Any => c != '\n',
            Node::Class { ranges, negated } => {
                ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&c)) != *negated
            }
            _ => false,
        }
    }

    /// Repeats a one-character node iteratively (no recursion per character).
    fn repeat_single(
        &mut self,
        inner: &Node,
        (min, max, greedy): (usize, Option<usize>, bool),
        pos: usize,
        next: Next<'_, 'a>,
    ) -> bool {
        let mut n = 0;
        while max.is_none_or(|m| n < m) && self.single(inner, pos + n) {
            n += 1;
        }
        self.steps += n;
        if n < min {
            return false;
        }
        if greedy {
            (min..=n).rev().any(|k| next(self, pos + k))
        } else {
            (min..=n).any(|k| next(self, pos + k))
        }
    }

    fn sequence(&mut self, items: &[Node], pos: usize, next: Next<'_, 'a>) -> bool {
        match items.split_first() {
            None => next(self, pos),
            Some((first, rest)) => self.node(first, pos, &mut |m, p| m.sequence(rest, p, next)),
        }
    }

    fn repeat(
        &mut self,
        inner: &Node,
        bounds: (usize, Option<usize>, bool),
        count: usize,
        pos: usize,
        next: Next<'_, 'a>,
    ) -> bool {
        let (min, _, greedy) = bounds;
        let may_stop = count >= min;
        // Lazy: try stopping first; greedy: try one more iteration first.
        if may_stop && !greedy && next(self, pos) {
            return true;
        }
        if self.repeat_once(inner, bounds, count, pos, next) {
            return true;
        }
        may_stop && greedy && next(self, pos)
    }

    /// One more iteration of a repetition, refusing empty iterations past the minimum.
    fn repeat_once(
        &mut self,
        inner: &Node,
        bounds: (usize, Option<usize>, bool),
        count: usize,
        pos: usize,
        next: Next<'_, 'a>,
    ) -> bool {
        let (min, max, _) = bounds;
        if max.is_some_and(|m| count >= m) {
            return false;
        }
        self.node(inner, pos, &mut |m, p| {
            (p != pos || count < min) && m.repeat(inner, bounds, count + 1, p, next)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Regex;

    fn replace(pattern: &str, input: &str, replacement: &str) -> Option<String> {
        Regex::parse(pattern)?.replace_all(input, replacement)
    }

    #[test]
    fn replaces_like_go() {
        assert_eq!(
            replace("[^a-z0-9]", "My-Storage_01", "").as_deref(),
            Some("ytorage01")
        );
        assert_eq!(
            replace("[^a-zA-Z0-9]", "My-Storage_01", "").as_deref(),
            Some("MyStorage01")
        );
        assert_eq!(
            replace("(\\w+)@(\\w+)", "me@host", "$2 at ${1}").as_deref(),
            Some("host at me")
        );
        assert_eq!(replace("a*", "baaac", "-").as_deref(), Some("-b-c-"));
        assert_eq!(
            replace("^\\s+|\\s+$", "  x y  ", "").as_deref(),
            Some("x y")
        );
        assert_eq!(replace("a{2,3}?", "aaaaa", "X").as_deref(), Some("XXa"));
        assert_eq!(
            replace("\\bcat\\b", "cat concat cat", "dog").as_deref(),
            Some("dog concat dog")
        );
        assert_eq!(
            replace("(?P<y>\\d{4})-(\\d\\d)", "2024-05", "$2/$y").as_deref(),
            Some("05/2024")
        );
        assert_eq!(replace("$$", "a", "$$").as_deref(), Some("a$"));
        assert_eq!(replace("x|", "axb", "-").as_deref(), Some("-a-b-"));
    }

    #[test]
    fn refuses_what_it_does_not_support() {
        assert!(Regex::parse("(?i)abc").is_none());
        assert!(Regex::parse("\\pL").is_none());
        assert!(Regex::parse("[[:alpha:]]").is_none());
        assert!(Regex::parse("(unclosed").is_none());
        assert!(Regex::parse("a**").is_none());
        let evil = Regex::parse("(a*)*b").map(|r| r.replace_all(&"a".repeat(40), ""));
        assert_eq!(evil, Some(None));
        // Repeated single characters match iteratively, even on the longest input.
        let longest = format!("{}c", "ab".repeat(super::MAX_INPUT / 2 - 1));
        for pattern in [".*c", "[ab]+?c", "(.*)c"] {
            let re = Regex::parse(pattern);
            assert_eq!(
                re.and_then(|r| r.replace_all(&longest, "")).as_deref(),
                Some("")
            );
        }
        // Repeated groups recurse per iteration: past the depth limit the result is unknown,
        // without exhausting a 2 MiB test thread's stack.
        let grouped = Regex::parse("(?:(a)|(b))*c");
        assert_eq!(
            grouped
                .as_ref()
                .and_then(|r| r.replace_all("abbac", ""))
                .as_deref(),
            Some("")
        );
        assert_eq!(grouped.and_then(|r| r.replace_all(&longest, "")), None);
        let long = "x".repeat(5_000);
        assert_eq!(
            Regex::parse("x").map(|r| r.replace_all(&long, "")),
            Some(None)
        );
    }
}
