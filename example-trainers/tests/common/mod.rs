//! Helpers shared by the end-to-end tests of the `near` program.

use std::path::PathBuf;
use std::process::Command;

/// A fresh, empty temporary folder for test `name`.
pub fn tempdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("near-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Runs the `near` program: exit code, stdout, stderr.
pub fn near(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_near")).args(args).output().unwrap();
    let s = |b: Vec<u8>| String::from_utf8(b).unwrap();
    (out.status.code().unwrap_or(-1), s(out.stdout), s(out.stderr))
}

/// Asserts that `near args` fails with a one-line error holding every `expected` text.
pub fn assert_one_line_error(args: &[&str], expected: &[&str]) {
    let (code, _, stderr) = near(args);
    assert_ne!(code, 0, "expected failure for {args:?}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
    for e in expected {
        assert!(stderr.contains(e), "{e:?} not in {stderr}");
    }
}
