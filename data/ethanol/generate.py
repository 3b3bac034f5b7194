"""Generates data/ethanol/ethanol-gfn2.extxyz: ethanol frames from a short Langevin
molecular-dynamics run, energies and forces from GFN2-xTB (tblite).

    python3 -m venv .venv && .venv/bin/pip install tblite==0.8.0 ase==3.29.0
    .venv/bin/python data/ethanol/generate.py [OUTPUT]

Deterministic for fixed package versions (seeded thermostat). Units: eV and Angstrom (ASE).
"""

import sys

import numpy as np
from ase import units
from ase.build import molecule
from ase.calculators.singlepoint import SinglePointCalculator
from ase.io import write
from ase.md.langevin import Langevin
from ase.md.velocitydistribution import MaxwellBoltzmannDistribution
from tblite.ase import TBLite

FRAMES = 400
STEPS_BETWEEN_FRAMES = 10
EQUILIBRATION_STEPS = 200
TEMPERATURE_K = 500.0
TIMESTEP_FS = 0.5


def main(output):
    rng = np.random.default_rng(2026)
    atoms = molecule("CH3CH2OH")
    atoms.calc = TBLite(method="GFN2-xTB", verbosity=0)
    MaxwellBoltzmannDistribution(atoms, temperature_K=TEMPERATURE_K, rng=rng)
    dynamics = Langevin(
        atoms,
        timestep=TIMESTEP_FS * units.fs,
        temperature_K=TEMPERATURE_K,
        friction=0.02,
        rng=rng,
    )
    dynamics.run(EQUILIBRATION_STEPS)
    frames = []
    for _ in range(FRAMES):
        dynamics.run(STEPS_BETWEEN_FRAMES)
        frame = atoms.copy()
        del frame.arrays["momenta"]
        frame.calc = SinglePointCalculator(
            frame, energy=atoms.get_potential_energy(), forces=atoms.get_forces()
        )
        frames.append(frame)
    write(output, frames, format="extxyz")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "data/ethanol/ethanol-gfn2.extxyz")
