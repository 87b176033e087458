//! A FreeBSD release's MANIFEST: one line per distribution file,
//! `NAME<TAB>SHA256<TAB>FILES<TAB>DIST<TAB>"DESCRIPTION"<TAB>on|off`.

use std::collections::BTreeMap;

/// Why a MANIFEST is not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ManifestError {
    /// A line without a name and a sum (`line` counts from 1).
    #[error("MANIFEST line {line}: expected NAME<TAB>SHA256")]
    Fields { line: usize },
    /// A sum that is not 64 hex digits.
    #[error("MANIFEST line {line}: {sum:?} is not a sha256")]
    NotSha256 { line: usize, sum: String },
    /// No line at all.
    #[error("MANIFEST lists no file")]
    Empty,
}

/// The sha256 of each file of the release (lower-case hex).
pub fn parse(text: &str) -> Result<BTreeMap<String, String>, ManifestError> {
    let mut sums = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let mut fields = line.split('\t');
        let (Some(name), Some(sum)) = (fields.next(), fields.next()) else {
            return Err(ManifestError::Fields { line: n + 1 });
        };
        let sum = sum.to_ascii_lowercase();
        if sum.len() != 64 || !sum.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(ManifestError::NotSha256 { line: n + 1, sum });
        }
        sums.insert(name.to_string(), sum);
    }
    if sums.is_empty() {
        return Err(ManifestError::Empty);
    }
    Ok(sums)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_freebsd_manifest_lines() {
        let sum = "a".repeat(64);
        let text = format!("base.txz\t{sum}\t26000\tbase\t\"Base system (MANDATORY)\"\ton\n");
        assert_eq!(parse(&text).unwrap()["base.txz"], sum);
        assert!(parse("base.txz\tnothex\n").is_err());
        assert!(parse("").is_err());
    }
}
