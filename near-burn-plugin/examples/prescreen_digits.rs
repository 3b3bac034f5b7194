//! A burn user's training code with the NEAR pre-screen added: score a 24-candidate MLP grid on
//! the UCI digits, train only the top quarter with burn-train, and report whether NEAR was right.
//!
//! `cargo run --example prescreen_digits [-- RUN_DIR]` (default `runs/prescreen-digits`). Run it
//! again with the same directory to resume: finished candidates are not retrained.

use burn::tensor::Device;
use near_burn_plugin::{
    Candidate, ClassificationData, FitOutcome, GridConfig, InputShape, ModelSpec, Precision,
    ResultsLog, ScoringSettings, TrainedOutcome, TrainingSettings, evaluate_classifier,
    fit_supervised, score_model_spec, screen, summarize, train_survivors, write_candidates_csv,
};
use near_core::PruningPolicy;
use std::io::Read;

const GRID: &str = r#"
activations = ["relu", "silu", "tanh", "tanhshrink"]
initializers = ["xavier_uniform", "kaiming_uniform", "uniform"]
architectures = [{ kind = "mlp", hidden = [32, 32] }, { kind = "mlp", hidden = [64] }]
"#;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let run_dir =
        std::path::PathBuf::from(std::env::args().nth(1).unwrap_or("runs/prescreen-digits".into()));
    std::fs::create_dir_all(&run_dir)?;
    let (train, valid, test) = load_digits()?.split(0.15, 0.15, 0)?;
    let (device, policy) = (Device::flex(), PruningPolicy::TopFraction { fraction: 0.25 });

    // --- the pre-screen: score every candidate untrained, keep the top quarter ---
    let scoring = ScoringSettings { probe_samples: 128, ..Default::default() };
    let probe = train.probe_batch(scoring.probe_samples, scoring.seed, &device)?;
    let screened =
        screen(&GridConfig::from_toml(GRID, "GRID")?.candidates()?, policy, true, |c| {
            let spec = c.model_spec(train.shape(), train.classes());
            Ok((score_model_spec(&spec, &probe, &scoring)?, spec.parameter_count()))
        })?;
    write_candidates_csv(&run_dir.join("candidates.csv"), &screened)?;

    // --- the user's training, now only for the survivors ---
    let settings = TrainingSettings { epochs: 15, batch_size: 32, ..Default::default() };
    let mut log = ResultsLog::open(&run_dir.join("results.csv"))?;
    let mut trainer = |c: &Candidate| -> Result<TrainedOutcome, String> {
        let ModelSpec::Mlp(spec) = c.model_spec(train.shape(), train.classes()) else {
            return Err("this example trains MLPs only".into());
        };
        let model = spec.init(&device.clone().autodiff(), Precision::F32, 1);
        let loaders = (train.loader(settings.batch_size, Some(1)), valid.loader(256, None));
        let FitOutcome { model, epochs, .. } = fit_supervised(
            model,
            loaders.0,
            loaders.1,
            &settings,
            &run_dir.join("train").join(c.id()),
        )?;
        let (valid_loss, _) = evaluate_classifier(&model, &valid.loader(256, None))?;
        let (test_loss, accuracy) = evaluate_classifier(&model, &test.loader(256, None))?;
        Ok(TrainedOutcome { valid_loss, test_loss, metric: Some(accuracy), epochs })
    };
    let rows = train_survivors(&screened, &mut log, &mut trainer, true)?;
    let report = summarize(&screened, &rows, policy).to_markdown();
    std::fs::write(run_dir.join("report.md"), &report)?;
    println!("{report}\nrun directory: {}", run_dir.display());
    Ok(())
}

/// The UCI digits as shipped in `data/digits` (64 pixels 0..16, then the label), scaled to [0, 1].
fn load_digits() -> Result<ClassificationData, Box<dyn std::error::Error>> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../data/digits/digits.csv.gz");
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path)?).read_to_string(&mut text)?;
    let (mut values, mut labels) = (Vec::new(), Vec::new());
    for (line_no, line) in text.lines().enumerate() {
        let fields: Vec<f32> = line
            .split(',')
            .map(str::parse)
            .collect::<Result<_, _>>()
            .map_err(|e| format!("{path}:{}: {e}", line_no + 1))?;
        let (label, pixels) =
            fields.split_last().ok_or(format!("{path}:{}: empty line", line_no + 1))?;
        values.extend(pixels.iter().map(|p| p / 16.0));
        labels.push(*label as usize);
    }
    let shape = InputShape { channels: 1, height: 8, width: 8 };
    Ok(ClassificationData::new(shape, 10, values, labels)?)
}
