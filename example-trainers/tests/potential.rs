//! The potential on small generated structures: readers (good and malformed input), descriptor
//! derivatives and model forces against finite differences, reference energies.

use burn::tensor::Device;
use example_trainers::potential::dataset::PotentialData;
use example_trainers::potential::extxyz::{ExtxyzKeys, parse_extxyz};
use example_trainers::potential::model::PotentialModel;
use example_trainers::potential::n2p2::parse_n2p2;
use example_trainers::potential::structure::{Structure, Units};
use example_trainers::potential::symmetry::{DescriptorSettings, SymmetryFunctions};
use near_burn_plugin::{Activation, Initializer, MlpSpec, Precision};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// A small molecule-like cluster: `atoms` atoms of elements cycling through `symbols`, about
/// 1.2 Angstrom apart, randomly displaced.
fn cluster(atoms: usize, symbols: &[&str], rng: &mut StdRng) -> Structure {
    let positions = (0..atoms)
        .map(|a| {
            let base = [(a % 3) as f64 * 1.2, ((a / 3) % 3) as f64 * 1.2, (a / 9) as f64 * 1.2];
            base.map(|x| x + rng.random_range(-0.25..0.25))
        })
        .collect();
    Structure {
        species: (0..atoms).map(|a| symbols[a % symbols.len()].to_string()).collect(),
        positions,
        energy: rng.random_range(-1.0..1.0),
        forces: Some((0..atoms).map(|_| [rng.random_range(-1.0..1.0); 3]).collect()),
    }
}

#[test]
fn descriptor_derivatives_match_finite_differences() {
    let mut rng = StdRng::seed_from_u64(5);
    let s = cluster(7, &["C", "H", "O"], &mut rng);
    // A cutoff shorter than the cluster, so some pairs and triples fall outside it.
    let settings = DescriptorSettings { cutoff: 2.6, radial: 4, ..Default::default() };
    let sf = SymmetryFunctions::new(&s.species, &settings);
    let species = sf.species_indices(&s.species);
    let d = sf.compute(&species, &s.positions);
    assert_eq!(d.features, 3 * 4 + 6 * 8);
    assert!(d.values.iter().any(|v| *v > 0.0));
    let h = 1e-6;
    let mut worst: f64 = 0.0;
    for j in 0..s.len() {
        for dim in 0..3 {
            let shifted = |delta: f64| {
                let mut p = s.positions.clone();
                p[j][dim] += delta;
                sf.compute(&species, &p).values
            };
            let (plus, minus) = (shifted(h), shifted(-h));
            for i in 0..s.len() {
                for f in 0..d.features {
                    let fd = (plus[i * d.features + f] - minus[i * d.features + f]) / (2.0 * h);
                    let analytic = d.gradients[((i * d.features + f) * s.len() + j) * 3 + dim];
                    worst = worst.max((fd - analytic).abs() / (1.0 + fd.abs()));
                }
            }
        }
    }
    assert!(worst < 1e-6, "largest relative difference {worst}");
}

#[test]
fn descriptors_are_invariant_to_rotation_and_translation() {
    let mut rng = StdRng::seed_from_u64(9);
    let s = cluster(6, &["C", "H"], &mut rng);
    let sf = SymmetryFunctions::new(&s.species, &DescriptorSettings::default());
    let species = sf.species_indices(&s.species);
    let (c, si) = (0.3f64.cos(), 0.3f64.sin());
    let moved: Vec<[f64; 3]> = s
        .positions
        .iter()
        .map(|p| [c * p[0] - si * p[1] + 1.0, si * p[0] + c * p[1] - 2.0, p[2] + 0.5])
        .collect();
    let (a, b) = (sf.compute(&species, &s.positions), sf.compute(&species, &moved));
    for (x, y) in a.values.iter().zip(&b.values) {
        assert!((x - y).abs() < 1e-10);
    }
}

#[test]
fn model_forces_are_minus_the_gradient_of_the_model_energy() {
    let mut rng = StdRng::seed_from_u64(3);
    // Structures of different sizes, so the batch pads derivative columns.
    let structures: Vec<Structure> =
        (0..12).map(|n| cluster(4 + n % 3, &["O", "H", "H"], &mut rng)).collect();
    let settings = DescriptorSettings { cutoff: 4.0, ..Default::default() };
    let data = PotentialData::new(&structures, &settings, 0.2, 0.2, 1).unwrap();
    let device = Device::flex();
    let spec = MlpSpec {
        input: data.features(),
        hidden: vec![16, 8],
        output: 1,
        activation: Activation::Stanh,
        initializer: Initializer::XavierUniform,
        bias: true,
    };
    let model = PotentialModel::init(&spec, 2, 1.0, &device, Precision::F32, 7);
    let energy = |s: &Structure| -> f64 {
        let batch = data.batch(&[data.featurize(s)], &device);
        let e: f64 = model.predict(&batch).energy_per_atom.into_scalar::<f64>();
        e * s.len() as f64
    };
    let probe = &structures[2];
    let batch = data.batch(&[data.featurize(&structures[0]), data.featurize(probe)], &device);
    let forces: Vec<f64> = model.predict(&batch).forces.try_into_vec_as::<f64>().unwrap();
    let offset = structures[0].len() * 3;
    let h = 1e-3;
    for a in 0..probe.len() {
        for dim in 0..3 {
            let moved = |delta: f64| {
                let mut s = probe.clone();
                s.positions[a][dim] += delta;
                energy(&s)
            };
            let fd = -(moved(h) - moved(-h)) / (2.0 * h);
            let analytic = forces[offset + a * 3 + dim];
            assert!(
                (fd - analytic).abs() < 5e-3 + 1e-2 * fd.abs(),
                "atom {a} dim {dim}: model force {analytic} vs finite difference {fd}"
            );
        }
    }
}

#[test]
fn reference_energies_recover_per_element_energies() {
    let mut rng = StdRng::seed_from_u64(11);
    let mut structures: Vec<Structure> = (0..20)
        .map(|n| {
            cluster(3 + n % 4, if n % 2 == 0 { &["C", "H"] } else { &["H", "O", "H"] }, &mut rng)
        })
        .collect();
    let per_element = |x: &str| match x {
        "C" => -10.0,
        "H" => -1.0,
        _ => -7.0,
    };
    for s in &mut structures {
        s.energy = s.species.iter().map(|x| per_element(x)).sum();
    }
    let data =
        PotentialData::new(&structures, &DescriptorSettings::default(), 0.1, 0.1, 0).unwrap();
    assert_eq!(data.symmetry.elements(), ["C", "H", "O"]);
    for (got, want) in data.reference_energies.iter().zip([-10.0, -1.0, -7.0]) {
        assert!((got - want).abs() < 1e-9, "{got} vs {want}");
    }
    assert!(data.train.iter().all(|s| s.energy_per_atom.abs() < 1e-5));
}

const EXTXYZ: &str = r#"2
Properties=species:S:1:pos:R:3:forces:R:3 energy=-1.5 comment="two atoms, quoted" pbc="F F F"
H 0.0 0.0 0.0 0.1 0.2 0.3
H 0.0 0.0 0.74 -0.1 -0.2 -0.3
3
Properties=species:S:1:pos:R:3:forces:R:3 energy=-2.5 pbc="F F F"
O 0.0 0.0 0.0 0 0 0
H 0.0 0.76 0.59 0 0 0
H 0.0 -0.76 0.59 0 0 0
"#;

#[test]
fn extxyz_reads_frames_quoted_values_and_optional_forces() {
    let frames = parse_extxyz(EXTXYZ, &ExtxyzKeys::default()).unwrap();
    assert_eq!(frames.len(), 2);
    assert_eq!(frames[0].species, ["H", "H"]);
    assert_eq!(frames[0].positions[1], [0.0, 0.0, 0.74]);
    assert_eq!(frames[0].forces.as_ref().unwrap()[1], [-0.1, -0.2, -0.3]);
    assert_eq!(frames[1].energy, -2.5);

    let renamed = EXTXYZ.replace("energy=", "REF_energy=").replace(":forces:", ":REF_forces:");
    let keys = ExtxyzKeys { energy: "REF_energy".into(), forces: "REF_forces".into() };
    assert_eq!(parse_extxyz(&renamed, &keys).unwrap(), frames);

    let energy_only = "1\nProperties=species:S:1:pos:R:3 energy=3\nH 0 0 0\n";
    let frames = parse_extxyz(energy_only, &ExtxyzKeys::default()).unwrap();
    assert_eq!(frames[0].forces, None);
}

#[test]
fn extxyz_errors_name_the_line_and_the_problem() {
    let keys = ExtxyzKeys::default();
    let cases = [
        (
            EXTXYZ.replace("H 0.0 0.0 0.74 -0.1 -0.2 -0.3", "H 0.0 zero 0.74 -0.1 -0.2 -0.3"),
            "line 4: position \"zero\"",
        ),
        (
            EXTXYZ.lines().take(8).collect::<Vec<_>>().join("\n"),
            "line 9: the frame starting at line 5 ends after 2 of 3 atoms",
        ),
        (EXTXYZ.replace("energy=-1.5 ", ""), "line 2: no energy key \"energy\""),
        (EXTXYZ.replace("0.1 0.2 0.3", "0.1 0.2"), "line 3: expected 7 columns"),
        (EXTXYZ.replacen("2\n", "two\n", 1), "line 1: expected the atom count"),
        (EXTXYZ.replace("pbc=\"F F F\"", "pbc=\"T T T\""), "line 2: periodic structures"),
    ];
    for (text, expected) in cases {
        let err = parse_extxyz(&text, &keys).unwrap_err();
        assert!(err.contains(expected), "{err:?} should contain {expected:?}");
    }
}

const N2P2: &str = "begin
comment water in Bohr and Hartree
atom 0.0 0.0 0.0 O 0.0 0.0 0.01 0.02 0.03
atom 0.0 1.4 1.1 H 0.0 0.0 0.0 0.0 0.0
atom 0.0 -1.4 1.1 H 0.0 0.0 0.0 0.0 0.0
energy -76.4
charge 0.0
end
";

#[test]
fn n2p2_reads_structures_and_converts_units() {
    let frames = parse_n2p2(N2P2).unwrap();
    assert_eq!(frames.len(), 1);
    assert_eq!(frames[0].species, ["O", "H", "H"]);
    let units: Units = toml::from_str("energy = \"Hartree\"\nlength = \"Bohr\"").unwrap();
    let s = units.to_internal(frames[0].clone());
    assert!((s.energy - -76.4 * 27.211386245988).abs() < 1e-9);
    assert!((s.positions[1][1] - 1.4 * 0.529177210903).abs() < 1e-12);
    let f = s.forces.unwrap()[0][2];
    assert!((f - 0.03 * 27.211386245988 / 0.529177210903).abs() < 1e-9);
}

#[test]
fn n2p2_errors_name_the_line_and_the_problem() {
    let cases = [
        (N2P2.replace("energy -76.4\n", ""), "line 7: the structure of line 1 has no energy line"),
        (N2P2.replace("end\n", ""), "the structure of line 1 has no `end`"),
        (
            N2P2.replace("0.0 0.0 0.01 0.02 0.03", "0.0 0.0 0.01 0.02"),
            "line 3: expected `atom x y z element charge n fx fy fz`",
        ),
        (N2P2.replace("comment", "lattice 1 0 0\ncomment"), "line 2: periodic structures"),
        (N2P2.replace("charge 0.0", "spin 1"), "line 7: unknown keyword \"spin\""),
        (format!("atom 0 0 0 H 0 0 0 0 0\n{N2P2}"), "line 1: expected `begin`"),
    ];
    for (text, expected) in cases {
        let err = parse_n2p2(&text).unwrap_err();
        assert!(err.contains(expected), "{err:?} should contain {expected:?}");
    }
}
