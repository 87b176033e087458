//! INCLUDE specs (cmd/makejail: `makejail_getinclude`): `[METHOD+]PATH
//! [ARGS...]`. The method is the text before the first `+`; without one
//! (or with nothing after it) the method is `file` and the whole text is
//! the path.

use super::tokenizer;

/// A parsed INCLUDE.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    /// `file`, `cmd`, `fetch`, `git`, or a hosting alias resolved:
    /// `github`, `github-ssh`, `gitlab`, `gitlab-ssh`.
    pub method: String,
    /// The file path, URL, command, or repository.
    pub target: String,
    /// The words after the target (`cmd+` arguments, `git+` options).
    pub args: Vec<String>,
}

impl Spec {
    /// Whether the include is a file on this machine.
    pub fn is_local(&self) -> bool {
        self.method == "file"
    }

    /// The base URL a hosting alias puts before the repository.
    pub fn base_url(&self) -> Option<&'static str> {
        Some(match self.method.as_str() {
            "github" => "https://github.com/",
            "github-ssh" => "git@github.com:",
            "gitlab" => "https://gitlab.com/",
            "gitlab-ssh" => "git@gitlab.com:",
            _ => return None,
        })
    }
}

const GIT_USAGE: &str = "usage: INCLUDE git+<url> [--baseurl <url>] [--branch <branch>] [--file <makejail>] [--global|--local [--cachedir <directory>]|--tmp]";

/// What is wrong with an INCLUDE, as AppJail says it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IncludeError {
    #[error("usage: makejail_include makejail_file")]
    Empty,
    #[error("usage: INCLUDE [<method>+]<path> [<args> ...]")]
    Blank,
    #[error("{method}: Invalid method.")]
    Method { method: String },
    #[error("Tokenizer: ERROR [ret:-4, errno:0] <Invalid syntax (WDERRS).>")]
    Tokenizer,
    #[error("{}", GIT_USAGE)]
    GitUsage,
}

/// Parses the argument text of an INCLUDE, or gives AppJail's error.
pub fn parse(text: &str) -> Result<Spec, IncludeError> {
    if text.is_empty() {
        return Err(IncludeError::Empty);
    }
    if text.chars().all(char::is_whitespace) {
        return Err(IncludeError::Blank);
    }
    let (method, rest) = match text.split_once('+') {
        // `lib_jailparam_name` gives the whole text when nothing precedes `+`.
        Some(("", r)) if !r.chars().all(char::is_whitespace) => (text.trim_start(), r),
        Some((m, r)) if !r.chars().all(char::is_whitespace) => (m.trim_start(), r),
        Some((m, _)) => ("file", m.trim_start()),
        None => ("file", text.trim_start()),
    };
    let method = match method {
        "gh" | "github" => "github",
        "gh-ssh" | "github-ssh" => "github-ssh",
        "gl" | "gitlab" => "gitlab",
        "gl-ssh" | "gitlab-ssh" => "gitlab-ssh",
        "cmd" | "git" | "fetch" | "file" => method,
        other => {
            return Err(IncludeError::Method {
                method: other.to_string(),
            });
        }
    };
    let spec = |target: &str, args: Vec<String>| Spec {
        method: method.to_string(),
        target: target.to_string(),
        args,
    };
    match method {
        "file" | "fetch" => Ok(spec(rest, Vec::new())),
        _ => {
            let words: Vec<String> = tokenizer::tokenize(rest, false)
                .map_err(|_| IncludeError::Tokenizer)?
                .into_iter()
                .map(|w| w.text)
                .collect();
            let Some((target, args)) = words.split_first() else {
                return Err(IncludeError::GitUsage);
            };
            if method != "cmd" {
                check_git_options(args, method == "git")?;
            }
            Ok(spec(target, args.to_vec()))
        }
    }
}

/// The option scan of `git+` (and of the hosting aliases, which append
/// `--baseurl URL` and so have every word examined). Plain `git+` never
/// examines its last word.
fn check_git_options(args: &[String], skip_last: bool) -> Result<(), IncludeError> {
    let flags = ["--global", "--local", "--tmp"];
    let valued = ["--baseurl", "--branch", "--cachedir", "--file"];
    // The hosting aliases append `--baseurl URL`, so every word of the
    // user's is examined; plain `git+` never examines its last word.
    let appended = [String::from("--baseurl"), String::from("BASE")];
    let words: Vec<&String> = if skip_last {
        args.iter().collect()
    } else {
        args.iter().chain(appended.iter()).collect()
    };
    let examined = words.len().saturating_sub(1);
    let mut i = 0;
    while i < examined {
        let word = words[i].as_str();
        if flags.contains(&word) {
            i += 1;
        } else if valued.contains(&word) {
            // The value may not be the word before the last one.
            if i + 2 == examined {
                return Err(IncludeError::GitUsage);
            }
            i += 2;
        } else if word.starts_with("--") && word != "--" {
            return Err(IncludeError::GitUsage);
        } else {
            break;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> (String, String, Vec<String>) {
        let s = parse(text).unwrap();
        (s.method, s.target, s.args)
    }

    #[test]
    fn file_is_the_default_and_keeps_the_whole_text() {
        assert_eq!(
            ok("build.makejail"),
            ("file".into(), "build.makejail".into(), vec![])
        );
        assert_eq!(
            ok("a b.makejail"),
            ("file".into(), "a b.makejail".into(), vec![])
        );
        assert_eq!(ok("file+x+y"), ("file".into(), "x+y".into(), vec![]));
        assert_eq!(ok("foo+"), ("file".into(), "foo".into(), vec![]));
    }

    #[test]
    fn hosting_aliases_and_git_options() {
        let (m, t, a) = ok("gh+AppJail-makejails/nginx --file build.makejail");
        assert_eq!(
            (m.as_str(), t.as_str()),
            ("github", "AppJail-makejails/nginx")
        );
        assert_eq!(a, ["--file", "build.makejail"]);
        assert!(parse("gh+u/r --nope x").is_err());
        assert!(
            parse("git+https://x/r --tmp").is_ok(),
            "last word never examined"
        );
    }

    #[test]
    fn unknown_methods_are_errors() {
        assert_eq!(
            parse("foo+bar").unwrap_err().to_string(),
            "foo: Invalid method."
        );
        assert_eq!(
            parse("dir/x+y").unwrap_err().to_string(),
            "dir/x: Invalid method."
        );
        assert!(parse("").is_err());
        assert!(parse("  ").is_err());
    }

    #[test]
    fn cmd_arguments_are_tokenized() {
        assert_eq!(
            ok("cmd+echo 'RAW x'"),
            ("cmd".into(), "echo".into(), vec!["RAW x".to_string()])
        );
    }
}
