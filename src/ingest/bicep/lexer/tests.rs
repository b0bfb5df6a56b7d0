use super::*;

/// Token kinds with string pieces resolved to `Str(piece, multiline, text)`.
#[derive(Debug, PartialEq)]
enum K {
    Tok(TokenKind),
    Str(StringPiece, bool, String),
}

fn resolve(lexed: Lexed) -> Vec<K> {
    let strings = lexed.strings;
    lexed
        .tokens
        .into_iter()
        .map(|t| match t.kind {
            TokenKind::String {
                piece,
                multiline,
                value,
            } => K::Str(piece, multiline, strings[value as usize].clone()),
            kind => K::Tok(kind),
        })
        .collect()
}

fn kinds(src: &str) -> Vec<K> {
    let lexed = lex(src);
    assert!(lexed.diagnostics.is_empty(), "{:?}", lexed.diagnostics);
    resolve(lexed)
}

fn toks(kinds: Vec<TokenKind>) -> Vec<K> {
    kinds.into_iter().map(K::Tok).collect()
}

fn string(piece: StringPiece, value: &str) -> K {
    K::Str(piece, false, value.to_string())
}

fn string_token(piece: StringPiece, multiline: bool, value: String) -> K {
    K::Str(piece, multiline, value)
}

#[test]
fn identifiers_numbers_and_spans() {
    let lexed = lex("param count int = 42");
    let spans: Vec<_> = lexed
        .tokens
        .iter()
        .map(|t| (t.span.start, t.span.end))
        .collect();
    assert_eq!(
        spans,
        vec![(0, 5), (6, 11), (12, 15), (16, 17), (18, 20), (20, 20)]
    );
    assert_eq!(lexed.tokens[4].kind, TokenKind::Integer);
}

#[test]
fn operators() {
    use TokenKind::*;
    let got = kinds(
        "? : ?? ! && || == != =~ !~ < <= > >= + - * / % . .? [ ] ( ) { } , @ => :: ... = | ^ ;",
    );
    let want = vec![
        Question,
        Colon,
        QuestionQuestion,
        Bang,
        AndAnd,
        OrOr,
        EqEq,
        NotEq,
        EqTilde,
        NotTilde,
        Lt,
        LtEq,
        Gt,
        GtEq,
        Plus,
        Minus,
        Star,
        Slash,
        Percent,
        Dot,
        Dot,
        Question,
        LBracket,
        RBracket,
        LParen,
        RParen,
        LBrace,
        RBrace,
        Comma,
        At,
        Arrow,
        ColonColon,
        Ellipsis,
        Assign,
        Pipe,
        Caret,
        Semicolon,
        Eof,
    ];
    assert_eq!(got, toks(want));
}

#[test]
fn newlines_collapse_and_comments_are_trivia() {
    use TokenKind::*;
    let got = kinds("a // c\r\n\n/* x\ny */ b\n#disable-next-line BCP081\nc");
    assert_eq!(got, toks(vec![Ident, Newline, Ident, Newline, Ident, Eof]));
}

#[test]
fn string_escapes() {
    let got = kinds(r"'a\'b\\c\nd\re\tf\$g\u{41}\u{1F600}'");
    assert_eq!(
        got[0],
        string(StringPiece::Complete, "a'b\\c\nd\re\tf$gA\u{1F600}")
    );
}

#[test]
fn surrogate_pair_escape() {
    let got = kinds(r"'\u{D801}\u{DC37}'");
    assert_eq!(got[0], string(StringPiece::Complete, "\u{10437}"));
}

#[test]
fn invalid_escape_is_reported() {
    let lexed = lex(r"'a\qb'");
    assert_eq!(lexed.diagnostics.len(), 1);
    assert_eq!(lexed.diagnostics[0].span, Span::new(2, 4));
}

#[test]
fn interpolation_with_nested_strings_and_objects() {
    use TokenKind::*;
    let got = kinds("'x${f('a${b}c', {k: 1}.k)}y${z}w'");
    let t = K::Tok;
    let want = vec![
        string(StringPiece::Head, "x"),
        t(Ident),
        t(LParen),
        string(StringPiece::Head, "a"),
        t(Ident),
        string(StringPiece::Tail, "c"),
        t(Comma),
        t(LBrace),
        t(Ident),
        t(Colon),
        t(Integer),
        t(RBrace),
        t(Dot),
        t(Ident),
        t(RParen),
        string(StringPiece::Middle, "y"),
        t(Ident),
        string(StringPiece::Tail, "w"),
        t(Eof),
    ];
    assert_eq!(got, want);
}

#[test]
fn multiline_strings() {
    let got = kinds("'''\nline ${x}\n  'q' \\n''''");
    assert_eq!(
        got[0],
        string_token(
            StringPiece::Complete,
            true,
            "line ${x}\n  'q' \\n'".to_string()
        )
    );
    let got = kinds("$$'''a $${x} ${y}'''");
    assert_eq!(
        got[0],
        string_token(StringPiece::Head, true, "a ".to_string())
    );
    assert_eq!(got[1], K::Tok(TokenKind::Ident));
    assert_eq!(
        got[2],
        string_token(StringPiece::Tail, true, " ${y}".to_string())
    );
}

#[test]
fn unterminated_constructs_are_reported_without_panic() {
    for src in [
        "'abc",
        "'abc\nx",
        "'''abc",
        "/* x",
        "'${a",
        "'${a\nb",
        "'\\u{110000}'",
        "x \u{00e9} y",
        "$$x",
    ] {
        let lexed = lex(src);
        assert!(!lexed.diagnostics.is_empty(), "{src:?}");
        assert_eq!(lexed.tokens.last().map(|t| &t.kind), Some(&TokenKind::Eof));
    }
}

#[test]
fn newline_inside_hole_closes_the_string() {
    let kinds = resolve(lex("'${a\nb"));
    assert_eq!(kinds[2], string(StringPiece::Tail, ""));
    assert_eq!(kinds[3], K::Tok(TokenKind::Newline));
}

#[test]
fn bom_is_skipped() {
    assert_eq!(
        kinds("\u{feff}a"),
        toks(vec![TokenKind::Ident, TokenKind::Eof])
    );
}
