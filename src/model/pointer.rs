//! JSON pointers (RFC 6901) built a token at a time.

/// Appends `/key` to a JSON pointer, escaping `~` as `~0` and `/` as `~1`.
pub fn push_token(pointer: &mut String, key: &str) {
    pointer.push('/');
    if key.contains(['~', '/']) {
        pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
    } else {
        pointer.push_str(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_escaped() {
        let mut p = String::from("/properties");
        push_token(&mut p, "a/b~c");
        push_token(&mut p, "plain");
        assert_eq!(p, "/properties/a~1b~0c/plain");
    }
}
