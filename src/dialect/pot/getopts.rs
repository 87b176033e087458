//! POSIX `getopts`, as every pot subcommand parses its arguments. A
//! flavour line runs as `pot-cmd WORDS... -p POTNAME`, so the pot name is
//! appended as the last option; what getopts makes of the words decides
//! whether the line works.

/// What getopts read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Options {
    /// Options in order, with their arguments.
    pub options: Vec<(char, Option<String>)>,
    /// Index of the first operand (a word getopts stopped at), if any.
    pub operand: Option<usize>,
}

impl Options {
    /// The last value of an option (getopts: the last occurrence wins).
    pub fn last(&self, option: char) -> Option<&str> {
        self.options
            .iter()
            .rev()
            .find(|(o, _)| *o == option)
            .and_then(|(_, v)| v.as_deref())
    }

    /// Every value of a repeatable option.
    pub fn all(&self, option: char) -> Vec<String> {
        self.options
            .iter()
            .filter(|(o, _)| *o == option)
            .filter_map(|(_, v)| v.clone())
            .collect()
    }

    pub fn has(&self, option: char) -> bool {
        self.options.iter().any(|(o, _)| *o == option)
    }
}

/// Why getopts failed: the word at fault and pot's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Illegal {
    pub word: usize,
    pub message: String,
}

/// Runs getopts with `optstring` (e.g. `hvs:d:p:Fc`) over `words`.
pub fn getopts(words: &[String], optstring: &str) -> Result<Options, Illegal> {
    let takes_arg = |c: char| {
        optstring
            .find(c)
            .map(|i| optstring[i + c.len_utf8()..].starts_with(':'))
    };
    let mut result = Options::default();
    let mut i = 0;
    while i < words.len() {
        let word = &words[i];
        if word == "--" {
            result.operand = (i + 1 < words.len()).then_some(i + 1);
            return Ok(result);
        }
        if !word.starts_with('-') || word == "-" {
            result.operand = Some(i);
            return Ok(result);
        }
        for (at, c) in word[1..].char_indices() {
            match takes_arg(c) {
                None => {
                    return Err(Illegal {
                        word: i,
                        message: format!("illegal option -- {c}"),
                    });
                }
                Some(false) => result.options.push((c, None)),
                Some(true) => {
                    let rest = &word[1 + at + c.len_utf8()..];
                    let value = if !rest.is_empty() {
                        rest.to_string()
                    } else if let Some(next) = words.get(i + 1) {
                        i += 1;
                        next.clone()
                    } else {
                        return Err(Illegal {
                            word: i,
                            message: format!("option requires an argument -- {c}"),
                        });
                    };
                    result.options.push((c, Some(value)));
                    break;
                }
            }
        }
        i += 1;
    }
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn clusters_attached_values_and_last_wins() {
        let o = getopts(&words("-cs src -d /dst -p a -p b"), "hvs:d:p:Fc").unwrap();
        assert!(o.has('c'));
        assert_eq!(o.last('s'), Some("src"));
        assert_eq!(o.last('p'), Some("b"));
        assert_eq!(getopts(&words("-s/x"), "s:").unwrap().last('s'), Some("/x"));
    }

    #[test]
    fn an_operand_stops_parsing() {
        let o = getopts(&words("-A a -V b # c -p pot"), "hvp:A:V:").unwrap();
        assert_eq!(o.operand, Some(4));
        assert_eq!(o.last('p'), None, "the appended -p is never read");
    }

    #[test]
    fn a_missing_argument_swallows_the_next_word() {
        let o = getopts(&words("-E -p pot"), "hvp:E:").unwrap();
        assert_eq!(o.last('E'), Some("-p"));
        assert_eq!(o.operand, Some(2));
    }

    #[test]
    fn illegal_options() {
        assert_eq!(
            getopts(&words("-e A=1"), "hvp:E:").unwrap_err().message,
            "illegal option -- e"
        );
        assert!(getopts(&words("-E"), "E:").is_err());
    }
}
