//! The explicit backward pass that potentials train forces with: activation derivatives against
//! autodiff, and the MLP's input gradient against autodiff and finite differences.

use burn::tensor::{Device, Tensor, TensorData};
use near_burn_plugin::{Activation, Catalogue, Initializer, MlpSpec, Precision};

fn f64_values(t: Tensor<2>) -> Vec<f64> {
    t.try_into_vec_as::<f64>().unwrap()
}

fn grid_input(device: &Device, n: usize, features: usize) -> Tensor<2> {
    let values: Vec<f64> =
        (0..n * features).map(|i| ((i * 37 % 101) as f64 / 101.0 - 0.5) * 6.0 + 1e-3).collect();
    Tensor::from_data(TensorData::new(values, [n, features]), (device, Precision::F64.dtype()))
}

#[test]
fn every_activation_derivative_matches_autodiff() {
    let device = Device::flex().autodiff();
    for &(activation, name) in Activation::ALL {
        let z = grid_input(&device, 10, 7).require_grad();
        let grads = activation.apply(z.clone()).sum().backward();
        let expected = f64_values(z.grad(&grads).expect("gradient"));
        let got = f64_values(activation.derivative(z.inner()));
        for (e, g) in expected.iter().zip(&got) {
            assert!((e - g).abs() < 1e-9 * (1.0 + e.abs()), "{name}: {g} vs autodiff {e}");
        }
    }
}

#[test]
fn mlp_input_gradient_matches_finite_differences_and_autodiff() {
    let device = Device::flex().autodiff();
    for activation in [Activation::Stanh, Activation::Silu, Activation::Tanhshrink] {
        let spec = MlpSpec {
            input: 5,
            hidden: vec![8, 6],
            output: 1,
            activation,
            initializer: Initializer::XavierUniform,
            bias: true,
        };
        let mlp = spec.init(&device, Precision::F64, 3);
        let x = grid_input(&device, 4, 5);
        let (_, gradient) = mlp.forward_with_input_gradient(x.clone());
        let gradient = f64_values(gradient);

        let x_grad = x.clone().require_grad();
        let grads = mlp.forward(x_grad.clone()).sum().backward();
        let autodiff = f64_values(x_grad.grad(&grads).unwrap());

        let base = f64_values(x.clone());
        let h = 1e-6;
        for k in 0..base.len() {
            let shifted = |delta: f64| {
                let mut v = base.clone();
                v[k] += delta;
                let t = Tensor::from_data(TensorData::new(v, [4, 5]), (&device, x.dtype()));
                f64_values(mlp.forward(t)).iter().sum::<f64>()
            };
            let fd = (shifted(h) - shifted(-h)) / (2.0 * h);
            assert!((fd - gradient[k]).abs() < 1e-6, "{activation}: {} vs fd {fd}", gradient[k]);
            assert!((autodiff[k] - gradient[k]).abs() < 1e-10);
        }
    }
}

#[test]
fn a_loss_on_the_input_gradient_has_weight_gradients() {
    // First-order autodiff through the explicit backward pass: the weights of the first layer
    // must receive a non-zero gradient from a loss on dy/dx alone.
    let device = Device::flex().autodiff();
    let spec = MlpSpec {
        input: 3,
        hidden: vec![4],
        output: 1,
        activation: Activation::Tanh,
        initializer: Initializer::XavierUniform,
        bias: true,
    };
    let mlp = spec.init(&device, Precision::F64, 1);
    let (_, gradient) = mlp.forward_with_input_gradient(grid_input(&device, 6, 3));
    let grads = gradient.powi_scalar(2).sum().backward();
    let first = f64_values(mlp.layers[0].weight.val().grad(&grads).expect("weight gradient"));
    assert!(first.iter().any(|g| g.abs() > 1e-6));
}
