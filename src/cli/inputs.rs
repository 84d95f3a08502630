//! `-f FILE|DIR` inputs of plan/apply: files are read in the order given, directories
//! non-recursively in name order (`*.yaml`, `*.yml`, `*.json`), `-` is stdin. Each file is
//! parsed into Deployments and policies by [`crate::policy::parse_documents`].

use std::io::Read as _;
use std::path::{Path, PathBuf};

use super::exit::usage;
use crate::policy::{parse_documents, Document};

/// The documents of all inputs, plus warnings (one line each).
#[derive(Debug, Default)]
pub struct Inputs {
    /// Every document, in input order.
    pub documents: Vec<Document>,
    /// Non-fatal findings (unknown fields, skipped kinds).
    pub warnings: Vec<String>,
}

/// The files a `-f` path stands for.
pub fn expand(path: &Path) -> anyhow::Result<Vec<PathBuf>> {
    if path == Path::new("-") {
        return Ok(vec![path.to_path_buf()]);
    }
    let meta = std::fs::metadata(path).map_err(|e| usage(format!("-f {}: {e}", path.display())))?;
    if !meta.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(|e| usage(format!("-f {}: {e}", path.display())))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file()
                && p.extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| matches!(e, "yaml" | "yml" | "json"))
        })
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(usage(format!(
            "-f {}: directory has no .yaml, .yml or .json files",
            path.display()
        )));
    }
    Ok(files)
}

/// Read and parse every input.
pub fn read(paths: &[PathBuf]) -> anyhow::Result<Inputs> {
    if paths.is_empty() {
        return Err(usage("at least one -f FILE is required"));
    }
    let mut inputs = Inputs::default();
    for p in paths {
        for file in expand(p)? {
            let (text, source) = if file == Path::new("-") {
                let mut s = String::new();
                std::io::stdin()
                    .read_to_string(&mut s)
                    .map_err(|e| usage(format!("-f -: {e}")))?;
                (s, "<stdin>".to_string())
            } else {
                let text = std::fs::read_to_string(&file)
                    .map_err(|e| usage(format!("-f {}: {e}", file.display())))?;
                (text, file.display().to_string())
            };
            let docs = parse_documents(&text, &source)?;
            for d in &docs {
                inputs
                    .warnings
                    .extend(d.warnings().iter().map(|w| w.to_string()));
            }
            inputs.documents.extend(docs);
        }
    }
    Ok(inputs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directories_expand_to_their_manifests_in_name_order() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("b.yaml"), "").unwrap();
        std::fs::write(dir.path().join("a.yml"), "").unwrap();
        std::fs::write(dir.path().join("notes.txt"), "").unwrap();
        let files = expand(dir.path()).unwrap();
        let names: Vec<_> = files
            .iter()
            .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["a.yml", "b.yaml"]);
    }

    #[test]
    fn a_missing_file_is_a_usage_error_naming_it() {
        let err = read(&[PathBuf::from("/nope/deploy.yaml")]).unwrap_err();
        assert_eq!(
            super::super::exit::classify(&err),
            super::super::ExitStatus::Usage
        );
        assert!(err.to_string().contains("/nope/deploy.yaml"), "{err}");
    }

    #[test]
    fn the_demo_manifests_parse() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/examples");
        let inputs = read(&[root.join("qwen3-8b.yaml"), root.join("policy.yaml")]).unwrap();
        assert_eq!(inputs.documents.len(), 2);
        assert!(inputs.warnings.is_empty(), "{:?}", inputs.warnings);
    }
}
