//! How output looks on the stream it goes to: coloured or not, Unicode or
//! ASCII. `--color auto|always|never`, then the conventions every CLI
//! follows: `NO_COLOR` (no-color.org) turns colour off, `CLICOLOR_FORCE`
//! turns it on off a terminal, `TERM=dumb` means neither colour nor
//! box-drawing characters.

use crate::lint::report::Look;
use std::io::IsTerminal;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour on a terminal, unless NO_COLOR is set (CLICOLOR_FORCE forces it).
    #[default]
    Auto,
    Always,
    Never,
}

/// Which stream the output goes to.
#[derive(Clone, Copy, Debug)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// What the environment says, read once (pure from here on).
#[derive(Clone, Debug, Default)]
pub struct Environment {
    pub terminal: bool,
    pub no_color: bool,
    pub clicolor_force: bool,
    pub term: Option<String>,
    /// The locale says UTF-8 (LC_ALL, else LC_CTYPE, else LANG).
    pub utf8_locale: bool,
}

impl Environment {
    pub fn of(stream: Stream) -> Environment {
        let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
        Environment {
            terminal: match stream {
                Stream::Stdout => std::io::stdout().is_terminal(),
                Stream::Stderr => std::io::stderr().is_terminal(),
            },
            no_color: set("NO_COLOR"),
            clicolor_force: std::env::var_os("CLICOLOR_FORCE")
                .is_some_and(|v| v != "0" && !v.is_empty()),
            term: std::env::var("TERM").ok(),
            utf8_locale: supports_unicode::supports_unicode(),
        }
    }
}

/// The look of output for `choice` in `env`.
pub fn look(choice: ColorChoice, env: &Environment) -> Look {
    let dumb = env.term.as_deref() == Some("dumb");
    let color = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if env.no_color => false,
        ColorChoice::Auto if env.clicolor_force => true,
        ColorChoice::Auto => env.terminal && !dumb,
    };
    // Piped output is read by a log viewer or a file: Unicode is fine
    // unless the terminal type says otherwise. On a terminal the locale
    // decides (the Linux console cannot draw boxes).
    let unicode =
        !dumb && env.term.as_deref() != Some("linux") && (!env.terminal || env.utf8_locale);
    Look { color, unicode }
}

/// The look of output on `stream`.
pub fn for_stream(choice: ColorChoice, stream: Stream) -> Look {
    look(choice, &Environment::of(stream))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(terminal: bool) -> Environment {
        Environment {
            terminal,
            term: Some("xterm-256color".into()),
            utf8_locale: true,
            ..Environment::default()
        }
    }

    #[test]
    fn no_color_wins_over_a_terminal_and_clicolor_force_over_a_pipe() {
        assert!(look(ColorChoice::Auto, &env(true)).color);
        assert!(!look(ColorChoice::Auto, &env(false)).color);
        let no_color = Environment {
            no_color: true,
            ..env(true)
        };
        assert!(!look(ColorChoice::Auto, &no_color).color);
        assert!(
            look(ColorChoice::Always, &no_color).color,
            "--color always wins"
        );
        let forced = Environment {
            clicolor_force: true,
            ..env(false)
        };
        assert!(look(ColorChoice::Auto, &forced).color);
        assert!(!look(ColorChoice::Never, &forced).color);
    }

    #[test]
    fn term_dumb_is_ascii_without_colour() {
        let dumb = Environment {
            term: Some("dumb".into()),
            ..env(true)
        };
        assert_eq!(
            look(ColorChoice::Auto, &dumb),
            Look {
                color: false,
                unicode: false
            }
        );
        let c_locale = Environment {
            utf8_locale: false,
            ..env(true)
        };
        assert!(!look(ColorChoice::Auto, &c_locale).unicode);
        assert!(look(ColorChoice::Auto, &env(false)).unicode, "a pipe");
    }
}
