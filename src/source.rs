//! A template file as bytes on disk, and the mapping from byte offsets to
//! 1-based line and column numbers that every diagnostic needs.

use std::path::{Path, PathBuf};

/// The text of one template file. Bytes that are not UTF-8 are replaced
/// (`from_utf8_lossy`); `lossy` records that it happened so lint can say so.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as the user gave it (shown in diagnostics and JSON).
    pub name: String,
    pub path: PathBuf,
    pub text: String,
    pub lossy: bool,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(path: impl Into<PathBuf>, bytes: &[u8]) -> Self {
        let path = path.into();
        let (text, lossy) = match String::from_utf8_lossy(bytes) {
            std::borrow::Cow::Borrowed(s) => (s.to_owned(), false),
            std::borrow::Cow::Owned(s) => (s, true),
        };
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            name: path.display().to_string(),
            path,
            text,
            lossy,
            line_starts,
        }
    }

    /// Reads the template at `path`: a regular file (a FIFO or a device is
    /// refused at once) of at most `TEMPLATE_CAP` bytes.
    pub fn read(path: &Path) -> std::io::Result<Self> {
        use crate::files::read::{TEMPLATE_CAP, read_regular};
        Ok(Self::new(path, &read_regular(path, TEMPLATE_CAP)?))
    }

    /// 1-based (line, column) of a byte offset; the column counts characters.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let column = self.text[start..floor_char_boundary(&self.text, offset)]
            .chars()
            .count();
        (line + 1, column + 1)
    }

    /// The directory that holds the file (relative CP sources resolve here).
    pub fn dir(&self) -> PathBuf {
        self.path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."))
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based() {
        let f = SourceFile::new("t", b"ab\ncd\n\nx");
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(1), (1, 2));
        assert_eq!(f.line_col(3), (2, 1));
        assert_eq!(f.line_col(6), (3, 1));
        assert_eq!(f.line_col(7), (4, 1));
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let f = SourceFile::new("t", "é x".as_bytes());
        assert_eq!(f.line_col(3), (1, 3));
    }

    #[test]
    fn invalid_utf8_is_replaced_and_recorded() {
        let f = SourceFile::new("t", b"PKG \xff\n");
        assert!(f.lossy);
        assert!(f.text.starts_with("PKG "));
    }
}
