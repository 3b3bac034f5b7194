//! `near` on potential sweeps end to end, on generated molecules whose energies and forces come
//! from a Morse pair potential (exact forces), and bad potential input.

use std::path::Path;

mod common;
use common::{assert_one_line_error, near, tempdir};

/// Morse energy and its derivative at distance r.
fn morse(r: f64) -> (f64, f64) {
    let (d, a, r0) = (1.0, 1.5, 1.1);
    let x = (-a * (r - r0)).exp();
    (d * (1.0 - x).powi(2), 2.0 * d * a * x * (1.0 - x))
}

/// `frames` distorted water-like molecules (O, H, H) in extended XYZ, with Morse energies and
/// forces summed over all pairs; returns the RMS force component.
fn write_fixture(path: &Path, frames: usize) -> f64 {
    let mut text = String::new();
    let (mut sum_sq, mut count) = (0.0, 0);
    for n in 0..frames {
        let t = n as f64;
        let wobble = |k: f64| 0.15 * (t * 0.37 + k).sin();
        let positions = [
            [wobble(0.0), wobble(1.0), wobble(2.0)],
            [1.0 + wobble(3.0), 0.1 + wobble(4.0), wobble(5.0)],
            [-0.3 + wobble(6.0), 1.0 + wobble(7.0), 0.2 + wobble(8.0)],
        ];
        let mut energy = 0.0;
        let mut forces = [[0.0f64; 3]; 3];
        for i in 0..3 {
            for j in i + 1..3 {
                let d: Vec<f64> = (0..3).map(|k| positions[j][k] - positions[i][k]).collect();
                let r = d.iter().map(|x| x * x).sum::<f64>().sqrt();
                let (e, de) = morse(r);
                energy += e;
                for k in 0..3 {
                    forces[i][k] += de * d[k] / r;
                    forces[j][k] -= de * d[k] / r;
                }
            }
        }
        text += &format!(
            "3\nProperties=species:S:1:pos:R:3:forces:R:3 energy={energy} pbc=\"F F F\"\n"
        );
        for (a, symbol) in ["O", "H", "H"].iter().enumerate() {
            let [x, y, z] = positions[a];
            let [fx, fy, fz] = forces[a];
            text += &format!("{symbol} {x} {y} {z} {fx} {fy} {fz}\n");
            sum_sq += fx * fx + fy * fy + fz * fz;
            count += 3;
        }
    }
    std::fs::write(path, text).unwrap();
    (sum_sq / count as f64).sqrt()
}

fn config(run_dir: &Path, architecture: &str) -> String {
    format!(
        r#"
[data]
source = {{ format = "extxyz", path = "molecules.extxyz" }}
valid_fraction = 0.15
test_fraction = 0.15

[potential]
force_weight = 1.0
descriptors = {{ cutoff = 4.0, radial = 4, angular_eta = [0.01], zeta = [1.0] }}

[grid]
activations = ["stanh", "tanhshrink"]
initializers = ["stanh"]
architectures = [{architecture}]

[scoring]
repetitions = 2
probe_samples = 40

[pruning]
policy = "top_k"
k = 2

[training]
epochs = 30
batch_size = 8
learning_rate = 0.01
final_learning_rate = 0.001

[output]
run_dir = "{}"

[widths]
candidates = [2, 4, 8, 16, 32]
layers = 1
activation = "stanh"
initializer = "stanh"
"#,
        run_dir.display()
    )
}

#[test]
fn potential_sweep_trains_on_forces_and_reports_force_errors() {
    let dir = tempdir("potential-sweep");
    let rms_force = write_fixture(&dir.join("molecules.extxyz"), 60);
    let run = dir.join("run");
    let cfg = dir.join("potential.toml");
    std::fs::write(&cfg, config(&run, "{ kind = \"mlp\", hidden = [16] }")).unwrap();
    let (code, stdout, stderr) = near(&["sweep", cfg.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("mlp-16-stanh-stanh"), "{stdout}");

    let seeds = std::fs::read_to_string(run.join("seeds.csv")).unwrap();
    let header: Vec<&str> = seeds.lines().next().unwrap().split(',').collect();
    let force_col = header.iter().position(|h| *h == "test_force_rmse_mev_per_angstrom").unwrap();
    for row in seeds.lines().skip(1) {
        let force_rmse: f64 = row.split(',').nth(force_col).unwrap().parse().unwrap();
        // Training on forces must beat predicting zero force by a wide margin.
        assert!(force_rmse < 0.5 * rms_force * 1e3, "{row}: RMS force {rms_force} eV/A");
    }
    let seed_dir = run.join("train/mlp-16-stanh-stanh/seed-1");
    let curve = std::fs::read_to_string(seed_dir.join("learning_curve.csv")).unwrap();
    assert_eq!(curve.lines().count(), 31, "{curve}");
    assert!(
        seed_dir.join("parity_energy.svg").exists() && seed_dir.join("parity_forces.svg").exists()
    );

    std::fs::remove_file(run.join("report.md")).unwrap();
    let (code, _, stderr) = near(&["report", run.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let report = std::fs::read_to_string(run.join("report.md")).unwrap();
    assert!(report.contains("test force RMSE (meV/Å)"), "{report}");

    let (code, stdout, stderr) = near(&["widths", cfg.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("H hidden layer 1: N* =") && stdout.contains("O hidden layer 1: N* ="),
        "{stdout}"
    );
    let widths = std::fs::read_to_string(run.join("widths.csv")).unwrap();
    assert!(widths.starts_with("network,layer,width") && widths.contains("\nO,1,32,"), "{widths}");
}

#[test]
fn bad_potential_input_gives_one_line_errors() {
    let dir = tempdir("potential-bad");
    let data = dir.join("molecules.extxyz");
    write_fixture(&data, 20);
    let run = dir.join("run");
    let cfg = dir.join("potential.toml");
    let cfg_s = cfg.to_str().unwrap();
    let mlp = "{ kind = \"mlp\", hidden = [8] }";

    std::fs::write(&cfg, config(&run, "{ kind = \"cnn\", channels = [4] }")).unwrap();
    assert_one_line_error(&["score", cfg_s], &["potential.toml", "MLP architectures only"]);

    std::fs::write(
        &cfg,
        config(&run, mlp).replace("test_fraction", "cap_per_class = 5\ntest_fraction"),
    )
    .unwrap();
    assert_one_line_error(&["score", cfg_s], &["cap_per_class applies to image data only"]);

    std::fs::write(&cfg, config(&run, mlp).replace("force_weight = 1.0", "force_weight = -1"))
        .unwrap();
    assert_one_line_error(&["score", cfg_s], &["potential.force_weight must be >= 0"]);

    std::fs::write(&cfg, config(&run, mlp)).unwrap();
    let text = std::fs::read_to_string(&data).unwrap();
    // The first frame without its force column.
    let energy_only: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, l)| match i {
            1 => l.replace(":forces:R:3", ""),
            2..=4 => l.split_whitespace().take(4).collect::<Vec<_>>().join(" "),
            _ => l.to_string(),
        })
        .collect();
    std::fs::write(&data, energy_only.join("\n")).unwrap();
    assert_one_line_error(&["score", cfg_s], &["molecules.extxyz", "structure 1 has no forces"]);

    std::fs::write(&data, text.replacen("O ", "O x", 1)).unwrap();
    assert_one_line_error(
        &["score", cfg_s],
        &["molecules.extxyz", "line 3:", "not a finite number"],
    );

    std::fs::write(&data, text.lines().take(9).collect::<Vec<_>>().join("\n")).unwrap();
    assert_one_line_error(&["score", cfg_s], &["molecules.extxyz", "ends after 2 of 3 atoms"]);
    assert!(!run.join("candidates.csv").exists(), "nothing written for bad input");
}
