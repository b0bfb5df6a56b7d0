//! Splits expression text into tokens, each with its byte offset.

use super::ast::ExprError;

/// The kind of one token.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Tok {
    Ident(String),
    Str(String),
    Number(f64),
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Dot,
    /// `.?`: safe property access.
    DotQuestion,
    /// `?.`: safe property access.
    QuestionDot,
    /// `?[`: safe index access.
    QuestionBracket,
    End,
}

/// A token and where it starts in the text.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Token {
    pub tok: Tok,
    pub offset: usize,
}

/// Tokenizes `text`; the result always ends with [`Tok::End`].
pub(super) fn tokenize(text: &str) -> Result<Vec<Token>, ExprError> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        let tok = match c {
            b' ' | b'\t' | b'\r' | b'\n' => {
                i += 1;
                continue;
            }
            b'(' => single(&mut i, Tok::LParen),
            b')' => single(&mut i, Tok::RParen),
            b'[' => single(&mut i, Tok::LBracket),
            b']' => single(&mut i, Tok::RBracket),
            b',' => single(&mut i, Tok::Comma),
            b'.' if bytes.get(i + 1) == Some(&b'?') => {
                i += 2;
                Tok::DotQuestion
            }
            b'.' => single(&mut i, Tok::Dot),
            b'?' if bytes.get(i + 1) == Some(&b'.') => {
                i += 2;
                Tok::QuestionDot
            }
            b'?' if bytes.get(i + 1) == Some(&b'[') => {
                i += 2;
                Tok::QuestionBracket
            }
            b'\'' => Tok::Str(string(text, &mut i)?),
            b'-' | b'0'..=b'9' => Tok::Number(number(text, &mut i)?),
            c if is_ident_start(c) => {
                while i < bytes.len() && is_ident_char(bytes[i]) {
                    i += 1;
                }
                Tok::Ident(text[start..i].to_owned())
            }
            _ => {
                let ch = text[i..].chars().next().unwrap_or('?');
                return Err(ExprError::new(format!("unexpected character '{ch}'"), i));
            }
        };
        out.push(Token { tok, offset: start });
    }
    out.push(Token {
        tok: Tok::End,
        offset: text.len(),
    });
    Ok(out)
}

fn single(i: &mut usize, tok: Tok) -> Tok {
    *i += 1;
    tok
}

fn is_ident_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c == b'$'
}

fn is_ident_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'$'
}

/// Reads a single-quoted string starting at `*i`; `''` stands for one quote.
fn string(text: &str, i: &mut usize) -> Result<String, ExprError> {
    let start = *i;
    let bytes = text.as_bytes();
    let mut out = String::new();
    let mut j = start + 1;
    let mut chunk = j;
    loop {
        match bytes.get(j) {
            None => return Err(ExprError::new("unterminated string literal", start)),
            Some(b'\'') if bytes.get(j + 1) == Some(&b'\'') => {
                out.push_str(&text[chunk..=j]);
                j += 2;
                chunk = j;
            }
            Some(b'\'') => {
                out.push_str(&text[chunk..j]);
                *i = j + 1;
                return Ok(out);
            }
            Some(_) => j += 1,
        }
    }
}

/// Reads an optionally negative integer or decimal number starting at `*i`.
fn number(text: &str, i: &mut usize) -> Result<f64, ExprError> {
    let start = *i;
    let bytes = text.as_bytes();
    let mut j = start;
    if bytes[j] == b'-' {
        j += 1;
    }
    let digits = j;
    while j < bytes.len() && bytes[j].is_ascii_digit() {
        j += 1;
    }
    if j == digits {
        return Err(ExprError::new("expected a digit after '-'", start));
    }
    let mut integral = true;
    if bytes.get(j) == Some(&b'.') && bytes.get(j + 1).is_some_and(u8::is_ascii_digit) {
        integral = false;
        j += 1;
        while j < bytes.len() && bytes[j].is_ascii_digit() {
            j += 1;
        }
    }
    let literal = &text[start..j];
    *i = j;
    if integral {
        literal
            .parse::<i64>()
            .map(|n| n as f64)
            .map_err(|_| ExprError::new("integer literal out of range", start))
    } else {
        literal
            .parse::<f64>()
            .map_err(|_| ExprError::new("invalid number literal", start))
    }
}
