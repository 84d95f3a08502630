//! `kubectl fleet completion bash|zsh|fish|powershell`: static completion scripts for the
//! `kubectl-fleet` executable (clap_complete). The committed copies live in `completions/`.
//! For `kubectl fleet <TAB>` completion inside kubectl use `kubectl_complete-fleet`
//! ([`super::complete`]).

use clap::Args;
use clap_complete::Shell;

use super::{Context, ExitStatus};

/// Arguments of `completion`.
#[derive(Args, Debug)]
pub struct CompletionArgs {
    /// The shell to generate the script for.
    #[arg(value_enum)]
    pub shell: CompletionShell,
}

/// Supported shells.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum CompletionShell {
    /// Bash.
    Bash,
    /// Zsh.
    Zsh,
    /// Fish.
    Fish,
    /// PowerShell.
    Powershell,
}

impl CompletionShell {
    fn shell(self) -> Shell {
        match self {
            CompletionShell::Bash => Shell::Bash,
            CompletionShell::Zsh => Shell::Zsh,
            CompletionShell::Fish => Shell::Fish,
            CompletionShell::Powershell => Shell::PowerShell,
        }
    }

    /// File name of the committed script in `completions/`.
    pub fn file_name(self) -> &'static str {
        match self {
            CompletionShell::Bash => "kubectl-fleet.bash",
            CompletionShell::Zsh => "_kubectl-fleet",
            CompletionShell::Fish => "kubectl-fleet.fish",
            CompletionShell::Powershell => "_kubectl-fleet.ps1",
        }
    }
}

/// The script for `shell`, completing the `kubectl-fleet` executable.
pub fn script(shell: CompletionShell) -> String {
    let mut cmd = super::command();
    let mut buf = Vec::new();
    clap_complete::generate(shell.shell(), &mut cmd, "kubectl-fleet", &mut buf);
    String::from_utf8_lossy(&buf).into_owned()
}

/// Print the script.
pub fn run(args: CompletionArgs, _ctx: &Context) -> anyhow::Result<ExitStatus> {
    use std::io::Write as _;
    std::io::stdout().write_all(script(args.shell).as_bytes())?;
    Ok(ExitStatus::Success)
}
