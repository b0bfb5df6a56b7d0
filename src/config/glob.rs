//! Path globs for `exclude`: `*` and `?` within one path segment, `**` across segments.
//! A pattern matches a path, any folder above it, or (without a leading `/`) any trailing
//! part of it, as `.gitignore` patterns do.

/// Whether `pattern` matches `path` (`/`-separated, relative).
pub fn matches(pattern: &str, path: &str) -> bool {
    let anchored = pattern.starts_with('/');
    let pattern: Vec<&str> = pattern
        .trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let path: Vec<&str> = path
        .split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect();
    if pattern.is_empty() {
        return false;
    }
    let starts: Vec<usize> = if anchored {
        vec![0]
    } else {
        (0..path.len()).collect()
    };
    starts
        .into_iter()
        .any(|start| (start + 1..=path.len()).any(|end| segments(&pattern, &path[start..end])))
}

fn segments(pattern: &[&str], path: &[&str]) -> bool {
    match pattern.split_first() {
        None => path.is_empty(),
        Some((&"**", rest)) => (0..=path.len()).any(|skip| segments(rest, &path[skip..])),
        Some((first, rest)) => path.split_first().is_some_and(|(p, tail)| {
            segment(first.as_bytes(), p.as_bytes()) && segments(rest, tail)
        }),
    }
}

fn segment(pattern: &[u8], name: &[u8]) -> bool {
    match pattern.split_first() {
        None => name.is_empty(),
        Some((b'*', rest)) => (0..=name.len()).any(|skip| segment(rest, &name[skip..])),
        Some((b'?', rest)) => !name.is_empty() && segment(rest, &name[1..]),
        Some((c, rest)) => name.first() == Some(c) && segment(rest, &name[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn globs_match_files_folders_and_suffixes() {
        assert!(matches("legacy", "infra/legacy/main.tf"));
        assert!(matches("*.bicep", "infra/net/main.bicep"));
        assert!(!matches("*.bicep", "infra/net/main.tf"));
        assert!(matches("infra/**/test_*.tf", "infra/a/b/test_x.tf"));
        assert!(matches("/infra", "infra/main.tf"));
        assert!(!matches("/net", "infra/net/main.tf"));
        assert!(matches("ma?n.tf", "main.tf"));
        assert!(!matches("", "main.tf"));
        assert!(!matches("infra/leg", "infra/legacy/main.tf"));
    }
}
