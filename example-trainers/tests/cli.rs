//! The `near` program end to end: a small sweep on generated IDX data, resume, and bad input
//! (each a one-line error naming the problem, a non-zero exit, and nothing overwritten).

use flate2::Compression;
use flate2::write::GzEncoder;
use std::io::Write;
use std::path::Path;

mod common;
use common::{assert_one_line_error, near, tempdir};

fn idx(magic: u32, dims: &[u32], payload: &[u8]) -> Vec<u8> {
    let mut v = magic.to_be_bytes().to_vec();
    for d in dims {
        v.extend_from_slice(&d.to_be_bytes());
    }
    v.extend_from_slice(payload);
    v
}

/// 3 classes of 6x6 images (a bright row band per class, plus deterministic noise), gzipped.
fn write_idx_data(dir: &Path) {
    let n = 150u32;
    let (mut pixels, mut labels) = (Vec::new(), Vec::new());
    for i in 0..n {
        let class = (i % 3) as usize;
        for p in 0..36usize {
            let band = p / 12 == class;
            pixels.push(if band { 200 } else { 20 } + ((i as usize * 7 + p * 13) % 40) as u8);
        }
        labels.push(class as u8);
    }
    let gz = |bytes: Vec<u8>| {
        let mut e = GzEncoder::new(Vec::new(), Compression::default());
        e.write_all(&bytes).unwrap();
        e.finish().unwrap()
    };
    std::fs::write(dir.join("images.gz"), gz(idx(2051, &[n, 6, 6], &pixels))).unwrap();
    std::fs::write(dir.join("labels.gz"), gz(idx(2049, &[n], &labels))).unwrap();
}

fn config(activations: &str, run_dir: &Path) -> String {
    format!(
        r#"
[data]
source = {{ format = "idx", images = "images.gz", labels = "labels.gz" }}
valid_fraction = 0.2
test_fraction = 0.2

[grid]
activations = [{activations}]
initializers = ["xavier_uniform", "uniform"]
architectures = [{{ kind = "mlp", hidden = [16] }}]

[scoring]
repetitions = 2
probe_samples = 32

[pruning]
policy = "top_k"
k = 2

[training]
epochs = 2
batch_size = 16
learning_rate = 0.01

[output]
run_dir = "{}"
"#,
        run_dir.display()
    )
}

#[test]
fn sweep_writes_a_complete_run_directory_and_resumes() {
    let dir = tempdir("sweep");
    write_idx_data(&dir);
    let run = dir.join("run");
    let cfg = dir.join("sweep.toml");
    std::fs::write(&cfg, config("\"relu\", \"tanh\"", &run)).unwrap();
    let (code, stdout, stderr) = near(&["sweep", cfg.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("Kendall tau-b"), "{stdout}");
    for f in [
        "config.toml",
        "candidates.csv",
        "results.csv",
        "seeds.csv",
        "report.md",
        "near_vs_test_loss.svg",
    ] {
        assert!(run.join(f).exists(), "{f} missing");
    }
    let results = std::fs::read_to_string(run.join("results.csv")).unwrap();
    assert_eq!(results.lines().count(), 3, "two survivors trained:\n{results}");
    assert!(results.lines().skip(1).all(|l| l.ends_with(",ok")), "{results}");

    // A second sweep into the same directory is refused, and nothing is touched.
    let (code, _, stderr) = near(&["sweep", cfg.to_str().unwrap()]);
    assert_ne!(code, 0);
    assert!(stderr.contains("--resume") && stderr.lines().count() == 1, "{stderr}");
    assert_eq!(std::fs::read_to_string(run.join("results.csv")).unwrap(), results);

    // Resuming retrains nothing that finished.
    let (code, _, stderr) = near(&["sweep", cfg.to_str().unwrap(), "--resume"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(std::fs::read_to_string(run.join("results.csv")).unwrap(), results);
    let seeds = std::fs::read_to_string(run.join("seeds.csv")).unwrap();
    assert_eq!(seeds.lines().count(), 3, "no further training runs:\n{seeds}");

    // The report is rebuilt from the CSVs alone.
    std::fs::remove_file(run.join("report.md")).unwrap();
    let (code, _, stderr) = near(&["report", run.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(std::fs::read_to_string(run.join("report.md")).unwrap().contains("mlp-16-"));
}

#[test]
fn bad_input_gives_one_line_errors_and_overwrites_nothing() {
    let dir = tempdir("bad");
    write_idx_data(&dir);
    let run = dir.join("run");
    std::fs::create_dir_all(&run).unwrap();
    std::fs::write(run.join("candidates.csv"), "earlier results\n").unwrap();
    let cfg = dir.join("sweep.toml");
    let cfg_s = cfg.to_str().unwrap();

    std::fs::write(&cfg, config("\"relu\", \"swish\"", &run)).unwrap();
    assert_one_line_error(
        &["score", cfg_s, "--force"],
        &["sweep.toml", "unknown activation \"swish\"", "silu"],
    );

    std::fs::write(&cfg, config("", &run)).unwrap();
    assert_one_line_error(&["score", cfg_s, "--force"], &["`activations` is empty"]);

    std::fs::write(
        &cfg,
        config("\"relu\"", &run).replace("[scoring]", "[scoring]\nrepetition = 3"),
    )
    .unwrap();
    assert_one_line_error(&["score", cfg_s, "--force"], &["unknown field `repetition`"]);

    std::fs::write(&cfg, config("\"relu\"", &run).replace("labels.gz", "nowhere.gz")).unwrap();
    assert_one_line_error(&["score", cfg_s, "--force"], &["nowhere.gz", "No such file"]);

    std::fs::write(&cfg, config("\"relu\"", &run)).unwrap();
    std::fs::write(dir.join("images.gz"), idx(2051, &[150, 6, 6], &[0; 100])).unwrap();
    assert_one_line_error(
        &["score", cfg_s, "--force"],
        &["images.gz", "truncated after 2 of 150 items"],
    );

    std::fs::write(dir.join("images.gz"), idx(2049, &[150, 6, 6], &[0; 5400])).unwrap();
    assert_one_line_error(
        &["score", cfg_s, "--force"],
        &["images.gz", "wrong magic number 2049 (expected 2051)"],
    );

    assert_one_line_error(
        &["sweep", dir.join("missing.toml").to_str().unwrap()],
        &["missing.toml"],
    );
    assert_eq!(std::fs::read_to_string(run.join("candidates.csv")).unwrap(), "earlier results\n");
}

#[test]
fn widths_estimates_every_hidden_layer_of_the_quickstart_network() {
    let run = tempdir("widths");
    let config = concat!(env!("CARGO_MANIFEST_DIR"), "/../experiments/quickstart-digits.toml");
    let (code, stdout, stderr) = near(&["widths", config, "--run-dir", run.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let estimates: Vec<f64> = stdout
        .lines()
        .filter_map(|l| l.split("N* = ").nth(1)?.split_whitespace().next()?.parse().ok())
        .collect();
    assert_eq!(estimates.len(), 2, "{stdout}");
    // 64 input features: a sensible width estimate lies well within the widths tried.
    assert!(estimates.iter().all(|&n| (8.0..=512.0).contains(&n)), "{estimates:?}");
    assert!(run.join("widths.csv").exists() && run.join("width_fit.svg").exists());
}
