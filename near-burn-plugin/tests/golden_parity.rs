//! DESIGN §3.6 through burn: the golden MLP built with explicit f64 weights on Flex must reproduce
//! the reference NEAR scores to 1e-6 relative.

use burn::nn::Linear;
use burn::tensor::Device;
use near_burn_plugin::{
    Activation, Mlp, Precision, param_from_values, score_forward, tensor_from_values,
};
use near_core::golden::{REFERENCE_NEAR, SAMPLES, WIDTHS, bias, input, weights};

fn golden_mlp(activation: Activation, device: &Device) -> Mlp {
    let layers = (0..3)
        .map(|l| {
            let (fan_in, fan_out) = (WIDTHS[l], WIDTHS[l + 1]);
            // The fixture stores W[out][in]; burn's Linear stores [in, out].
            let w = weights(l);
            let transposed =
                (0..fan_in * fan_out).map(|k| w[(k % fan_out) * fan_in + k / fan_out]).collect();
            Linear {
                weight: param_from_values(transposed, [fan_in, fan_out], device, Precision::F64),
                bias: Some(param_from_values(bias(l), [fan_out], device, Precision::F64)),
            }
        })
        .collect();
    Mlp::from_layers(layers, activation)
}

#[test]
fn reproduces_reference_near_on_flex_in_f64() {
    let device = Device::flex();
    let x = tensor_from_values(input(), [SAMPLES, WIDTHS[0]], &device, Precision::F64);
    for (name, reference) in REFERENCE_NEAR {
        let activation: Activation = name.parse().unwrap();
        let near = score_forward(&golden_mlp(activation, &device), x.clone(), 0).unwrap().total();
        let rel = (near - reference).abs() / reference;
        assert!(rel < 1e-6, "{name}: burn gives {near}, reference {reference} (rel. {rel:e})");
    }
}
