//! The option loop every tokenized Makejail instruction shares (e.g.
//! makejail/cmd/all/COPY:65-115), with its quirks kept:
//!
//! * options are recognised only before the first positional word; there
//!   are no short options and no `--opt=value` form; an unknown `--x` is a
//!   usage error;
//! * `--` stops the loop but is **not** consumed: it becomes the first
//!   positional word;
//! * an option's value can never be the last word (usage error), and an
//!   option that takes a value given as the very last word takes itself as
//!   its value;
//! * when every word is an option, the last one is read again as the first
//!   positional word;
//! * words that are empty or only whitespace are skipped.

/// The options an instruction knows: flags, and options that take a value.
pub struct Spec {
    pub flags: &'static [&'static str],
    pub valued: &'static [&'static str],
}

/// What the loop read: the options with their values, and the index of the
/// first positional word (`words.len()` when there is none).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Parsed {
    pub options: Vec<(String, Option<String>)>,
    pub positional: usize,
}

impl Parsed {
    pub fn has(&self, flag: &str) -> bool {
        self.options.iter().any(|(f, _)| f == flag)
    }

    /// The last value given for an option.
    pub fn value(&self, option: &str) -> Option<&str> {
        self.options
            .iter()
            .rev()
            .find(|(f, _)| f == option)
            .and_then(|(_, v)| v.as_deref())
    }

    /// Every value given for a repeatable option.
    pub fn values(&self, option: &str) -> Vec<String> {
        self.options
            .iter()
            .filter(|(f, _)| f == option)
            .filter_map(|(_, v)| v.clone())
            .collect()
    }
}

/// Why the loop stopped with a usage error: the index of the word at fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Usage(pub usize);

fn blank(word: &str) -> bool {
    word.chars().all(char::is_whitespace)
}

pub fn parse(words: &[String], spec: &Spec) -> Result<Parsed, Usage> {
    // The shell loop counts lines of the tokenizer's output: no words is
    // one empty line.
    let empty = [String::new()];
    let words: &[String] = if words.is_empty() { &empty } else { words };
    let n = words.len();
    let mut parsed = Parsed::default();
    let mut i = 0;
    while i < n {
        let word = &words[i];
        if blank(word) {
            i += 1;
        } else if spec.valued.contains(&word.as_str()) {
            if i + 2 == n {
                // The value would be the last word.
                return Err(Usage(i + 1));
            }
            // An option at the very end takes itself as its value.
            let value = words.get(i + 1).unwrap_or(word).clone();
            if blank(&value) {
                return Err(Usage(i + 1));
            }
            parsed.options.push((word.clone(), Some(value)));
            i += 2;
        } else if spec.flags.contains(&word.as_str()) {
            parsed.options.push((word.clone(), None));
            i += 1;
        } else if word == "--" || !word.starts_with("--") {
            parsed.positional = i;
            return Ok(parsed);
        } else {
            return Err(Usage(i));
        }
    }
    // Every word was an option: the shell re-reads the last one, unless an
    // option at the end took itself as its value.
    parsed.positional = if i > n { n } else { n - 1 };
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    const COPY: Spec = Spec {
        flags: &["--verbose", "--glob"],
        valued: &["--jail"],
    };

    type Options = Vec<(String, Option<String>)>;

    fn run(words: &[&str]) -> Result<(Options, usize), Usage> {
        let words: Vec<String> = words.iter().map(|s| s.to_string()).collect();
        parse(&words, &COPY).map(|p| (p.options, p.positional))
    }

    #[test]
    fn options_stop_at_the_first_positional() {
        let (opts, at) = run(&["--verbose", "src", "--glob"]).unwrap();
        assert_eq!(opts, [("--verbose".to_string(), None)]);
        assert_eq!(at, 1);
    }

    #[test]
    fn double_dash_is_not_consumed() {
        assert_eq!(run(&["--verbose", "--", "x"]).unwrap().1, 1);
    }

    #[test]
    fn a_value_cannot_be_the_last_word() {
        assert_eq!(run(&["--jail", "other"]), Err(Usage(1)));
        let (opts, at) = run(&["--jail", "other", "src"]).unwrap();
        assert_eq!(opts[0].1.as_deref(), Some("other"));
        assert_eq!(at, 2);
    }

    #[test]
    fn a_valued_option_at_the_end_takes_itself() {
        let (opts, at) = run(&["--verbose", "--jail"]).unwrap();
        assert_eq!(opts[1].1.as_deref(), Some("--jail"));
        assert_eq!(at, 2, "no positional");
    }

    #[test]
    fn all_flags_means_the_last_is_read_again_as_positional() {
        assert_eq!(run(&["--verbose"]).unwrap().1, 0);
        assert_eq!(run(&[]).unwrap().1, 0);
    }

    #[test]
    fn unknown_long_options_are_usage_errors_short_ones_are_words() {
        assert_eq!(run(&["--nope", "x"]), Err(Usage(0)));
        assert_eq!(run(&["-v", "x"]).unwrap().1, 0);
    }
}
