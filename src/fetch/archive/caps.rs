//! How much an archive may unpack to. A few hundred KB of xz can declare a
//! terabyte of zeros, or a million empty files: every entry's declared
//! size is counted before its data is read, and an archive is refused past
//! a total, past a ratio of its compressed size, or past a number of
//! entries. The bytes actually written are counted again while unpacking.

/// Below this many unpacked bytes the ratio is not looked at: a small
/// archive of a repetitive file (a template with a config of blank lines)
/// compresses far better than a release does.
pub const RATIO_FLOOR: u64 = 16 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caps {
    /// The most bytes all entries together may hold.
    pub max_bytes: u64,
    /// The most the unpacked size may be, as a multiple of the archive's
    /// size (above `RATIO_FLOOR`).
    pub max_ratio: u64,
    /// The most entries (files, directories, links).
    pub max_entries: u64,
    /// What a refusal says to raise the caps.
    pub raise: &'static str,
}

impl Caps {
    /// A FreeBSD release's distribution file: base.txz is about 190 MB of
    /// xz and 0.8 to 1 GB unpacked (a ratio near 5), src.txz about 100,000
    /// files.
    pub const RELEASE: Caps = Caps {
        max_bytes: 4 << 30,
        max_ratio: 40,
        max_entries: 1_000_000,
        raise: "--max-unpacked, --max-ratio and --max-entries raise the caps",
    };

    /// A remote template's archive: a repository of a few files.
    pub const TEMPLATE: Caps = Caps {
        max_bytes: 256 << 20,
        max_ratio: 100,
        max_entries: 100_000,
        raise: "JAILWRIGHT_MAX_UNPACKED, JAILWRIGHT_MAX_RATIO and JAILWRIGHT_MAX_ENTRIES raise the caps",
    };
}

/// Why an archive is refused by its caps, or a size is not one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CapsError {
    /// More entries than `max_entries`.
    #[error("refused: more than {max} entries ({raise})")]
    Entries { max: u64, raise: &'static str },
    /// More bytes than `max_bytes`.
    #[error("refused: unpacks to more than {} ({raise})", human(*.max))]
    Bytes { max: u64, raise: &'static str },
    /// More than `max_ratio` times the compressed size.
    #[error(
        "refused: unpacks to more than {ratio} times its compressed size of {} (a decompression bomb?) ({raise})",
        human(*.compressed)
    )]
    Ratio {
        ratio: u64,
        compressed: u64,
        raise: &'static str,
    },
    /// Text that is not a size.
    #[error("{text}: not a size (like 4G, 512M or 1000)")]
    NotASize { text: String },
    /// A size past `u64`.
    #[error("{text}: too large")]
    SizeTooLarge { text: String },
}

/// The running count of one pass over an archive.
#[derive(Debug)]
pub struct Tally {
    caps: Caps,
    /// The archive's size on disk.
    compressed: u64,
    pub entries: u64,
    /// Declared bytes of the entries so far.
    pub declared: u64,
    /// Bytes written so far (unpacking).
    pub written: u64,
}

impl Tally {
    pub fn new(caps: Caps, compressed: u64) -> Tally {
        Tally {
            caps,
            compressed,
            entries: 0,
            declared: 0,
            written: 0,
        }
    }

    /// Counts an entry of `size` declared bytes, before its data is read.
    pub fn add(&mut self, size: u64) -> Result<(), CapsError> {
        self.entries += 1;
        if self.entries > self.caps.max_entries {
            return Err(CapsError::Entries {
                max: self.caps.max_entries,
                raise: self.caps.raise,
            });
        }
        self.declared = self.declared.saturating_add(size);
        self.within(self.declared)
    }

    /// Counts bytes written, in case a header understated them.
    pub fn wrote(&mut self, bytes: u64) -> Result<(), CapsError> {
        self.written = self.written.saturating_add(bytes);
        self.within(self.written)
    }

    fn within(&self, bytes: u64) -> Result<(), CapsError> {
        if bytes > self.caps.max_bytes {
            return Err(CapsError::Bytes {
                max: self.caps.max_bytes,
                raise: self.caps.raise,
            });
        }
        if bytes > RATIO_FLOOR && bytes / self.caps.max_ratio.max(1) > self.compressed {
            return Err(CapsError::Ratio {
                ratio: self.caps.max_ratio,
                compressed: self.compressed,
                raise: self.caps.raise,
            });
        }
        Ok(())
    }
}

/// A size as people write it: `4G`, `512M`, `64KiB`, `1000` (bytes).
pub fn parse_size(text: &str) -> Result<u64, CapsError> {
    let not_a_size = || CapsError::NotASize {
        text: text.to_string(),
    };
    let t = text.trim();
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(digits);
    let number: u64 = number.parse().map_err(|_| not_a_size())?;
    let shift = match unit.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 0,
        "K" | "KB" | "KIB" => 10,
        "M" | "MB" | "MIB" => 20,
        "G" | "GB" | "GIB" => 30,
        "T" | "TB" | "TIB" => 40,
        _ => return Err(not_a_size()),
    };
    number
        .checked_mul(1 << shift)
        .ok_or_else(|| CapsError::SizeTooLarge {
            text: text.to_string(),
        })
}

/// A size for messages: `10 MiB`, `4 GiB`, `1234 bytes`.
pub fn human(bytes: u64) -> String {
    for (shift, unit) in [(40, "TiB"), (30, "GiB"), (20, "MiB"), (10, "KiB")] {
        if bytes >= 1 << shift && bytes.is_multiple_of(1 << shift) {
            return format!("{} {unit}", bytes >> shift);
        }
    }
    if bytes >= 1 << 20 {
        return format!("{:.1} MiB", bytes as f64 / (1 << 20) as f64);
    }
    format!("{bytes} bytes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_and_print() {
        assert_eq!(parse_size("10M"), Ok(10 << 20));
        assert_eq!(parse_size("4GiB"), Ok(4 << 30));
        assert_eq!(parse_size("1000"), Ok(1000));
        assert!(parse_size("ten").is_err());
        assert!(parse_size("5X").is_err());
        assert!(parse_size("99999999999T").is_err());
        assert_eq!(human(10 << 20), "10 MiB");
        assert_eq!(human(1234), "1234 bytes");
    }

    #[test]
    fn totals_ratios_and_counts_are_capped() {
        let caps = Caps {
            max_bytes: 100 << 20,
            max_ratio: 10,
            max_entries: 3,
            raise: "",
        };
        // Small: the ratio does not apply below the floor.
        let mut t = Tally::new(caps, 1);
        assert!(t.add(RATIO_FLOOR).is_ok());
        assert!(
            t.add(1)
                .unwrap_err()
                .to_string()
                .contains("times its compressed size")
        );
        let mut t = Tally::new(caps, 50 << 20);
        assert!(t.add(90 << 20).is_ok());
        assert!(
            t.add(20 << 20)
                .unwrap_err()
                .to_string()
                .contains("more than 100 MiB")
        );
        let mut t = Tally::new(caps, 50 << 20);
        for _ in 0..3 {
            t.add(0).unwrap();
        }
        assert!(
            t.add(0)
                .unwrap_err()
                .to_string()
                .contains("more than 3 entries")
        );
        assert!(t.wrote(200 << 20).is_err());
    }
}
