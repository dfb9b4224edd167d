//! Records the git commit the crate is built from, when it is built from a
//! checkout, as `INFRAVAL_GIT_COMMIT` (read by `provenance::ENGINE_COMMIT`).
//! Without git or a `.git` (the Docker build copies no `.git`) nothing is
//! recorded and answers carry the crate version alone. Never touches the
//! network.

use std::path::Path;
use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?;
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let Some(commit) = git(&["rev-parse", "--verify", "HEAD"]) else {
        return;
    };
    if commit.len() != 40 || !commit.bytes().all(|b| b.is_ascii_hexdigit()) {
        return;
    }
    // Build again when HEAD moves: a new commit on the branch, or another
    // branch checked out.
    let mut watched = Vec::new();
    if let Some(dir) = git(&["rev-parse", "--absolute-git-dir"]) {
        watched.push(format!("{dir}/HEAD"));
    }
    if let (Some(common), Some(branch)) = (
        git(&["rev-parse", "--path-format=absolute", "--git-common-dir"]),
        git(&["symbolic-ref", "-q", "HEAD"]),
    ) {
        watched.push(format!("{common}/{branch}"));
        watched.push(format!("{common}/packed-refs"));
    }
    for path in watched.iter().filter(|p| Path::new(p).exists()) {
        println!("cargo:rerun-if-changed={path}");
    }
    println!("cargo:rustc-env=INFRAVAL_GIT_COMMIT={commit}");
}
