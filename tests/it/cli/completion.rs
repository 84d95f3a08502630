//! Completion: the committed static scripts are current, and both dynamic entry points speak
//! kubectl's plugin completion protocol.

use assert_cmd::Command;

const SHELLS: &[(&str, &str)] = &[
    ("bash", "kubectl-fleet.bash"),
    ("zsh", "_kubectl-fleet"),
    ("fish", "kubectl-fleet.fish"),
    ("powershell", "_kubectl-fleet.ps1"),
];

/// Regenerate with `KUBECTL_FLEET_UPDATE_COMPLETIONS=1 cargo test --test it completion`.
#[test]
fn committed_completion_scripts_are_current() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    let update = std::env::var_os("KUBECTL_FLEET_UPDATE_COMPLETIONS").is_some();
    for (shell, file) in SHELLS {
        let out = Command::cargo_bin("kubectl-fleet")
            .unwrap()
            .args(["completion", shell])
            .output()
            .unwrap();
        assert!(out.status.success(), "completion {shell} failed");
        let generated = String::from_utf8(out.stdout).unwrap();
        assert!(
            generated.contains("kubectl-fleet"),
            "{shell} script names the binary"
        );
        let path = dir.join(file);
        if update {
            std::fs::write(&path, &generated).unwrap();
            continue;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == generated,
            "completions/{file} is stale; regenerate with KUBECTL_FLEET_UPDATE_COMPLETIONS=1 cargo test --test it completion"
        );
    }
}

fn lines(out: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(out)
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn kubectl_complete_fleet_lists_commands_with_no_file_directive() {
    let out = Command::cargo_bin("kubectl_complete-fleet")
        .unwrap()
        .arg("")
        .env("KUBECONFIG", "/nonexistent")
        .output()
        .unwrap();
    assert!(out.status.success());
    let lines = lines(&out.stdout);
    assert_eq!(lines.last().map(String::as_str), Some(":4"));
    assert!(
        lines.iter().any(|l| l.starts_with("completion\t")),
        "{lines:?}"
    );
}

#[test]
fn dunder_complete_entry_point_matches_the_companion_binary() {
    let via_main = Command::cargo_bin("kubectl-fleet")
        .unwrap()
        .args(["__complete", "completion", ""])
        .output()
        .unwrap();
    let via_companion = Command::cargo_bin("kubectl_complete-fleet")
        .unwrap()
        .args(["completion", ""])
        .output()
        .unwrap();
    assert!(via_main.status.success());
    assert_eq!(via_main.stdout, via_companion.stdout);
    let values: Vec<String> = lines(&via_main.stdout)
        .iter()
        .map(|l| l.split('\t').next().unwrap().to_string())
        .collect();
    assert_eq!(values, ["bash", "zsh", "fish", "powershell", ":4"]);
}

fn candidates(words: &[&str]) -> Vec<String> {
    let out = Command::cargo_bin("kubectl_complete-fleet")
        .unwrap()
        .args(words)
        .env("KUBECONFIG", "/nonexistent")
        .output()
        .unwrap();
    assert!(out.status.success());
    lines(&out.stdout)
        .iter()
        .map(|l| l.split('\t').next().unwrap().to_string())
        .collect()
}

#[test]
fn new_verbs_resources_and_output_formats_complete() {
    assert!(candidates(&["desc"]).contains(&"describe".to_string()));
    assert!(candidates(&["get", "ev"]).contains(&"events".to_string()));
    let formats = candidates(&["get", "deploy", "-o", ""]);
    for f in [
        "json",
        "yaml",
        "name",
        "wide",
        "custom-columns=",
        "jsonpath=",
    ] {
        assert!(formats.contains(&f.to_string()), "{f} in {formats:?}");
    }
    assert!(candidates(&["get", "events", "--f"]).contains(&"--for".to_string()));
    assert!(candidates(&["diff", "--fi"]).contains(&"--filename".to_string()));
    assert!(candidates(&["rebalance", "--y"]).contains(&"--yes".to_string()));
}
