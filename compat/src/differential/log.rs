//! The stubs' log: one record per call, `NAME NUL ARGC NUL (ARG NUL)*`.

/// One recorded call: the command as the code named it, and its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub name: String,
    pub args: Vec<String>,
}

impl Record {
    /// `[name, args...]`.
    pub fn argv(&self) -> Vec<String> {
        std::iter::once(self.name.clone())
            .chain(self.args.iter().cloned())
            .collect()
    }
}

/// The first argument of the first record named `name` (the runners'
/// `jw-root`, `jw-template-dir`), or nothing.
pub fn first_arg(records: &[Record], name: &str) -> String {
    records
        .iter()
        .find(|r| r.name == name)
        .and_then(|r| r.args.first().cloned())
        .unwrap_or_default()
}

/// Reads a log; a truncated or malformed log is an error.
pub fn parse(bytes: &[u8]) -> Result<Vec<Record>, String> {
    let mut fields = bytes.split(|b| *b == 0);
    let mut records = Vec::new();
    while let Some(name) = fields.next() {
        if name.is_empty() && fields.clone().next().is_none() {
            break;
        }
        let text = |f: &[u8]| String::from_utf8_lossy(f).into_owned();
        let argc: usize = fields
            .next()
            .and_then(|c| std::str::from_utf8(c).ok()?.parse().ok())
            .ok_or_else(|| format!("log: record {} ({}) has no argc", records.len(), text(name)))?;
        let mut args = Vec::with_capacity(argc);
        for _ in 0..argc {
            let arg = fields
                .next()
                .ok_or_else(|| format!("log: record {} is cut short", records.len()))?;
            args.push(text(arg));
        }
        records.push(Record {
            name: text(name),
            args,
        });
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_with_empty_and_multiline_arguments_read_back() {
        let log = b"jexec\x003\x00-l\x00\x00a\nb\x00cp\x000\x00";
        let records = parse(log).unwrap();
        assert_eq!(records.len(), 2);
        assert_eq!(records[0].args, ["-l", "", "a\nb"]);
        assert_eq!(records[1].name, "cp");
        assert!(records[1].args.is_empty());
    }

    #[test]
    fn a_cut_log_is_an_error() {
        assert!(parse(b"jexec\x003\x00-l\x00").is_err());
    }
}
