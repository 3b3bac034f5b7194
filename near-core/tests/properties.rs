//! Property tests: invariances of the effective rank, agreement of its singular values with
//! faer's SVD, and basic laws of the rank statistics.

use near_core::{Matrix, effective_rank, kendall_tau_b, singular_values, spearman_rho};
use proptest::prelude::*;

fn matrix_strategy() -> impl Strategy<Value = (usize, usize, Vec<f64>)> {
    (1usize..12, 1usize..12)
        .prop_flat_map(|(m, n)| (Just(m), Just(n), prop::collection::vec(-10.0f64..10.0, m * n)))
}

/// Matrices spanning several of the SVD's 8-wide panels: generic ones (entries mixed from two
/// random vectors) or of low rank (a product of m x r and r x n factors).
fn panel_matrix_strategy() -> impl Strategy<Value = (usize, usize, Vec<f64>)> {
    (1usize..40, 1usize..40)
        .prop_flat_map(|(m, n)| (Just(m), Just(n), 1..=m.min(n)))
        .prop_flat_map(|(m, n, r)| {
            let factors = (
                prop::collection::vec(-1.0f64..1.0, m * r),
                prop::collection::vec(-1.0f64..1.0, r * n),
            );
            (Just(m), Just(n), Just(r), factors, any::<bool>())
        })
        .prop_map(|(m, n, r, (u, v), generic)| {
            let data = if generic {
                u.iter().cycle().zip(v.iter().cycle()).take(m * n).map(|(a, b)| a + b).collect()
            } else {
                matmul(&u, &v, m, r, n)
            };
            (m, n, data)
        })
}

fn erank(m: usize, n: usize, data: Vec<f64>) -> f64 {
    effective_rank(Matrix::new(m, n, data).unwrap().view()).unwrap()
}

/// Householder reflection I - 2 v v^T / (v^T v), an orthogonal n x n matrix.
fn householder(v: &[f64]) -> Vec<f64> {
    let n = v.len();
    let norm2: f64 = v.iter().map(|x| x * x).sum();
    (0..n * n)
        .map(|k| {
            let (i, j) = (k / n, k % n);
            f64::from(u8::from(i == j)) - 2.0 * v[i] * v[j] / norm2
        })
        .collect()
}

fn matmul(a: &[f64], b: &[f64], m: usize, k: usize, n: usize) -> Vec<f64> {
    (0..m * n).map(|idx| (0..k).map(|p| a[idx / n * k + p] * b[p * n + idx % n]).sum()).collect()
}

/// O(n^2) tau-b straight from the definition, to check the O(n log n) version.
fn brute_force_tau_b(x: &[f64], y: &[f64]) -> f64 {
    let (mut concordant, mut discordant, mut tx, mut ty) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
    for i in 0..x.len() {
        for j in i + 1..x.len() {
            // f64::signum(0.0) is 1, so compare explicitly.
            let s =
                x[i].partial_cmp(&x[j]).unwrap() as i32 * y[i].partial_cmp(&y[j]).unwrap() as i32;
            if x[i] == x[j] && y[i] != y[j] {
                tx += 1.0;
            } else if y[i] == y[j] && x[i] != x[j] {
                ty += 1.0;
            } else if s > 0 {
                concordant += 1.0;
            } else if s < 0 {
                discordant += 1.0;
            }
        }
    }
    (concordant - discordant)
        / ((concordant + discordant + tx) * (concordant + discordant + ty)).sqrt()
}

proptest! {
    #[test]
    fn singular_values_agree_with_faer((m, n, data) in panel_matrix_strategy()) {
        let ours = singular_values(Matrix::new(m, n, data.clone()).unwrap().view()).unwrap();
        let mut reference = faer::Mat::<f64>::from_fn(m, n, |i, j| data[i * n + j]).singular_values().unwrap();
        reference.sort_by(|x, y| y.total_cmp(x));
        let scale = reference[0].max(f64::MIN_POSITIVE);
        prop_assert_eq!(ours.len(), reference.len());
        for (k, (x, y)) in ours.iter().zip(&reference).enumerate() {
            prop_assert!((x - y).abs() <= 1e-11 * scale, "{}x{}: value {}: {} vs {}", m, n, k, x, y);
        }
    }

    #[test]
    fn erank_lies_between_one_and_min_dimension((m, n, data) in matrix_strategy()) {
        prop_assume!(data.iter().any(|&v| v != 0.0));
        let r = erank(m, n, data);
        prop_assert!(r >= 1.0 - 1e-9 && r <= m.min(n) as f64 + 1e-9, "erank {} for {}x{}", r, m, n);
    }

    #[test]
    fn erank_is_scale_invariant((m, n, data) in matrix_strategy(), scale in 1e-3f64..1e3) {
        let scaled = data.iter().map(|v| v * scale).collect();
        let (a, b) = (erank(m, n, data), erank(m, n, scaled));
        prop_assert!((a - b).abs() <= 1e-9 * a.max(1.0));
    }

    #[test]
    fn erank_is_invariant_to_row_permutation((m, n, data) in matrix_strategy(), shift in 0usize..12) {
        let permuted: Vec<f64> = (0..m).flat_map(|r| {
            let src = (r + shift) % m;
            data[src * n..(src + 1) * n].to_vec()
        }).collect();
        let (a, b) = (erank(m, n, data), erank(m, n, permuted));
        prop_assert!((a - b).abs() <= 1e-9 * a.max(1.0));
    }

    #[test]
    fn erank_is_invariant_to_orthogonal_transforms(
        (m, n, data) in matrix_strategy(),
        v in prop::collection::vec(0.1f64..1.0, 12),
    ) {
        let q = householder(&v[..n]);
        let rotated = matmul(&data, &q, m, n, n);
        let (a, b) = (erank(m, n, data), erank(m, n, rotated));
        prop_assert!((a - b).abs() <= 1e-8 * a.max(1.0), "{} vs {}", a, b);
    }

    #[test]
    fn correlations_are_plus_or_minus_one_for_monotone_data(
        x in prop::collection::btree_set(-1000i32..1000, 2..40),
        slope in 0.1f64..10.0,
    ) {
        let x: Vec<f64> = x.into_iter().map(f64::from).collect();
        let up: Vec<f64> = x.iter().map(|v| slope * v + v.powi(3)).collect();
        let down: Vec<f64> = up.iter().map(|v| -v).collect();
        prop_assert!((kendall_tau_b(&x, &up).unwrap() - 1.0).abs() < 1e-12);
        prop_assert!((spearman_rho(&x, &up).unwrap() - 1.0).abs() < 1e-12);
        prop_assert!((kendall_tau_b(&x, &down).unwrap() + 1.0).abs() < 1e-12);
        prop_assert!((spearman_rho(&x, &down).unwrap() + 1.0).abs() < 1e-12);
    }

    #[test]
    fn correlations_are_symmetric_and_tau_matches_its_definition(
        pairs in prop::collection::vec((0i32..6, 0i32..6), 3..60),
    ) {
        let x: Vec<f64> = pairs.iter().map(|p| f64::from(p.0)).collect();
        let y: Vec<f64> = pairs.iter().map(|p| f64::from(p.1)).collect();
        let (Ok(t_xy), Ok(t_yx)) = (kendall_tau_b(&x, &y), kendall_tau_b(&y, &x)) else {
            // Only a constant input may fail.
            prop_assert!(x.iter().all(|&v| v == x[0]) || y.iter().all(|&v| v == y[0]));
            return Ok(());
        };
        prop_assert!((t_xy - t_yx).abs() < 1e-12);
        prop_assert!((t_xy - brute_force_tau_b(&x, &y)).abs() < 1e-12);
        let (r_xy, r_yx) = (spearman_rho(&x, &y).unwrap(), spearman_rho(&y, &x).unwrap());
        prop_assert!((r_xy - r_yx).abs() < 1e-12);
        prop_assert!((-1.0..=1.0).contains(&t_xy) && (-1.0 - 1e-12..=1.0 + 1e-12).contains(&r_xy));
    }
}
