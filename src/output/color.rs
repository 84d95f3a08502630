//! Colour policy. `auto` (the default) colours only when the stream is a terminal, `TERM` is
//! not `dumb` and `NO_COLOR` is unset or empty (<https://no-color.org>); `always`/`never`
//! force it. Machine formats (`-o json|yaml|name`) are never coloured.

use std::io::IsTerminal;

use owo_colors::OwoColorize;

/// The `--color` flag.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal and `NO_COLOR` is not set.
    #[default]
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

impl ColorChoice {
    /// Decide for stdout.
    pub fn for_stdout(self) -> bool {
        self.resolve(
            std::io::stdout().is_terminal(),
            std::env::var_os("NO_COLOR"),
            std::env::var_os("TERM"),
        )
    }

    /// Decide for stderr.
    pub fn for_stderr(self) -> bool {
        self.resolve(
            std::io::stderr().is_terminal(),
            std::env::var_os("NO_COLOR"),
            std::env::var_os("TERM"),
        )
    }

    /// The pure decision, given the environment.
    pub fn resolve(
        self,
        is_tty: bool,
        no_color: Option<std::ffi::OsString>,
        term: Option<std::ffi::OsString>,
    ) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                let no_color = no_color.is_some_and(|v| !v.is_empty());
                let dumb = term.is_some_and(|t| t == "dumb");
                is_tty && !no_color && !dumb
            }
        }
    }
}

/// A semantic colour for a piece of text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Paint {
    /// Unstyled.
    #[default]
    Plain,
    /// Something went well / was added.
    Good,
    /// Needs attention.
    Warn,
    /// Failed / unplaced / removed.
    Bad,
    /// Headings and emphasis.
    Bold,
    /// Secondary information.
    Dim,
}

/// Applies [`Paint`] when colour is enabled, otherwise returns the text unchanged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Styler {
    enabled: bool,
}

impl Styler {
    /// A styler that colours when `enabled`.
    pub fn new(enabled: bool) -> Self {
        Styler { enabled }
    }

    /// A styler that never colours.
    pub fn plain() -> Self {
        Styler { enabled: false }
    }

    /// Whether colour is on.
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// Paint `text`.
    pub fn paint(&self, paint: Paint, text: &str) -> String {
        if !self.enabled {
            return text.to_string();
        }
        match paint {
            Paint::Plain => text.to_string(),
            Paint::Good => text.green().to_string(),
            Paint::Warn => text.yellow().to_string(),
            Paint::Bad => text.red().to_string(),
            Paint::Bold => text.bold().to_string(),
            Paint::Dim => text.dimmed().to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_colours_only_on_a_terminal_without_no_color() {
        let auto = ColorChoice::Auto;
        assert!(auto.resolve(true, None, None));
        assert!(!auto.resolve(false, None, None));
        assert!(!auto.resolve(true, Some("1".into()), None));
        assert!(
            auto.resolve(true, Some("".into()), None),
            "empty NO_COLOR is ignored"
        );
        assert!(!auto.resolve(true, None, Some("dumb".into())));
    }

    #[test]
    fn always_and_never_override_the_environment() {
        assert!(ColorChoice::Always.resolve(false, Some("1".into()), None));
        assert!(!ColorChoice::Never.resolve(true, None, None));
    }

    #[test]
    fn plain_styler_leaves_text_alone() {
        assert_eq!(Styler::plain().paint(Paint::Bad, "x"), "x");
        assert_ne!(Styler::new(true).paint(Paint::Bad, "x"), "x");
    }
}
