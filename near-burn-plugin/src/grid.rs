//! Candidate grids from TOML: activations x initialisers x architectures, minus exclusions.
//!
//! ```toml
//! activations = ["relu", "silu", "tanh"]
//! initializers = ["xavier_uniform", "kaiming_uniform"]
//! architectures = [
//!     { kind = "mlp", hidden = [200, 200] },
//!     { kind = "cnn", channels = [8, 16], kernel_size = 3 },
//! ]
//! exclude = [{ activation = "relu", initializer = "xavier_uniform" }]
//! ```

use crate::activation::Activation;
use crate::cnn::CnnSpec;
use crate::error::{PluginError, Result};
use crate::init::Initializer;
use crate::mlp::MlpSpec;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The shape of one input sample, [channels, height, width]; tabular data is [1, 1, features].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputShape {
    /// Channels.
    pub channels: usize,
    /// Height.
    pub height: usize,
    /// Width.
    pub width: usize,
}

impl InputShape {
    /// Number of values in one sample (what an MLP sees as its input width).
    pub fn features(&self) -> usize {
        self.channels * self.height * self.width
    }
}

/// A network shape from the grid; the input and output sizes come from the data.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
pub enum Architecture {
    /// A multi-layer perceptron with these hidden widths.
    Mlp {
        /// Hidden layer widths.
        hidden: Vec<usize>,
        /// Whether layers have biases (default true).
        #[serde(default = "default_true")]
        bias: bool,
    },
    /// A small CNN with these convolution channel widths.
    Cnn {
        /// Output channels of each convolution block.
        channels: Vec<usize>,
        /// Odd kernel size (default 3).
        #[serde(default = "default_kernel")]
        kernel_size: usize,
    },
}

fn default_true() -> bool {
    true
}

fn default_kernel() -> usize {
    3
}

fn join(widths: &[usize]) -> String {
    widths.iter().map(usize::to_string).collect::<Vec<_>>().join("x")
}

impl Architecture {
    /// Short stable label: `mlp-200x200`, `mlp-200x200-nobias`, `cnn-8x16-k3`.
    pub fn label(&self) -> String {
        match self {
            Self::Mlp { hidden, bias: true } => format!("mlp-{}", join(hidden)),
            Self::Mlp { hidden, bias: false } => format!("mlp-{}-nobias", join(hidden)),
            Self::Cnn { channels, kernel_size } => format!("cnn-{}-k{kernel_size}", join(channels)),
        }
    }

    fn validate(&self) -> Result<()> {
        let (widths, what) = match self {
            Self::Mlp { hidden, .. } => (hidden, "architectures.hidden"),
            Self::Cnn { channels, .. } => (channels, "architectures.channels"),
        };
        if widths.is_empty() || widths.contains(&0) {
            return Err(PluginError::Config(format!(
                "{what} of {} must be a non-empty list of positive widths",
                self.label()
            )));
        }
        if let Self::Cnn { kernel_size, .. } = self
            && kernel_size % 2 == 0
        {
            return Err(PluginError::Config(format!(
                "architectures.kernel_size must be odd (same padding), got {kernel_size}"
            )));
        }
        Ok(())
    }
}

/// One point of the grid.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Candidate {
    /// Activation after every hidden layer or convolution.
    pub activation: Activation,
    /// Weight initialiser.
    pub initializer: Initializer,
    /// Network shape.
    pub architecture: Architecture,
}

/// A built-in model spec for a candidate, once the data fixes input and output sizes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelSpec {
    /// An MLP.
    Mlp(MlpSpec),
    /// A CNN.
    Cnn(CnnSpec),
}

impl ModelSpec {
    /// Number of trainable parameters.
    pub fn parameter_count(&self) -> usize {
        match self {
            Self::Mlp(s) => s.parameter_count(),
            Self::Cnn(s) => s.parameter_count(),
        }
    }

    /// The widest recorded layer: how many probe samples an MLP needs (DESIGN §3.2).
    pub fn widest_dense_layer(&self) -> usize {
        match self {
            Self::Mlp(s) => s.widest_layer(),
            Self::Cnn(s) => s.classes,
        }
    }
}

impl Candidate {
    /// Stable id derived from the spec, e.g. `mlp-200x200-silu-xavier_uniform`: results are
    /// joined on it and a sweep resumes by it.
    pub fn id(&self) -> String {
        format!("{}-{}-{}", self.architecture.label(), self.activation, self.initializer)
    }

    /// The concrete model for data of `input` shape with `outputs` classes or targets.
    pub fn model_spec(&self, input: InputShape, outputs: usize) -> ModelSpec {
        let (activation, initializer) = (self.activation, self.initializer);
        match &self.architecture {
            Architecture::Mlp { hidden, bias } => ModelSpec::Mlp(MlpSpec {
                input: input.features(),
                hidden: hidden.clone(),
                output: outputs,
                activation,
                initializer,
                bias: *bias,
            }),
            Architecture::Cnn { channels, kernel_size } => ModelSpec::Cnn(CnnSpec {
                input_channels: input.channels,
                channels: channels.clone(),
                kernel_size: *kernel_size,
                classes: outputs,
                activation,
                initializer,
            }),
        }
    }
}

/// A rule removing candidates from the grid: every given field must match.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exclusion {
    /// Activation to match.
    pub activation: Option<Activation>,
    /// Initialiser to match.
    pub initializer: Option<Initializer>,
    /// Architecture label to match (e.g. `mlp-200x200`).
    pub architecture: Option<String>,
}

impl Exclusion {
    fn matches(&self, c: &Candidate) -> bool {
        self.activation.is_none_or(|a| a == c.activation)
            && self.initializer.is_none_or(|i| i == c.initializer)
            && self.architecture.as_ref().is_none_or(|l| *l == c.architecture.label())
    }
}

/// The grid section of a sweep config.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GridConfig {
    /// Activations to try.
    pub activations: Vec<Activation>,
    /// Initialisers to try.
    pub initializers: Vec<Initializer>,
    /// Architectures to try.
    pub architectures: Vec<Architecture>,
    /// Combinations to leave out.
    #[serde(default)]
    pub exclude: Vec<Exclusion>,
}

impl GridConfig {
    /// Parses a grid from TOML text; `source` names the file in error messages.
    pub fn from_toml(text: &str, source: &str) -> Result<Self> {
        let grid: Self = toml::from_str(text)
            .map_err(|e| PluginError::Config(toml_error_line(text, source, &e)))?;
        grid.candidates()?;
        Ok(grid)
    }

    /// The cartesian product minus exclusions, in a fixed order (architecture, activation,
    /// initialiser). Fails on empty lists, duplicates, invalid architectures, or when exclusions
    /// remove everything.
    pub fn candidates(&self) -> Result<Vec<Candidate>> {
        for (key, len) in [
            ("activations", self.activations.len()),
            ("initializers", self.initializers.len()),
            ("architectures", self.architectures.len()),
        ] {
            if len == 0 {
                return Err(PluginError::Config(format!(
                    "grid: `{key}` is empty; list at least one"
                )));
            }
        }
        self.architectures.iter().try_for_each(Architecture::validate)?;
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for architecture in &self.architectures {
            for &activation in &self.activations {
                for &initializer in &self.initializers {
                    let c =
                        Candidate { activation, initializer, architecture: architecture.clone() };
                    if !seen.insert(c.id()) {
                        return Err(PluginError::Config(format!(
                            "grid: candidate {} appears twice; remove the duplicate entry",
                            c.id()
                        )));
                    }
                    if !self.exclude.iter().any(|e| e.matches(&c)) {
                        out.push(c);
                    }
                }
            }
        }
        if out.is_empty() {
            return Err(PluginError::Config("grid: `exclude` removes every candidate".into()));
        }
        Ok(out)
    }
}

/// A TOML error as one line, `source:line:column: message`, for terminals and logs.
pub fn toml_error_line(text: &str, source: &str, error: &toml::de::Error) -> String {
    let message = error.message().trim_end().replace('\n', " ");
    match error.span() {
        Some(span) => {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
            format!("{source}:{line}:{column}: {message}")
        }
        None => format!("{source}: {message}"),
    }
}
