"""Writes the golden bundle's fixture: history.csv (normal only, the trainer's input) and input.csv
(the rows GoldenBundleTest scores, with three anomalies). Seeded: the same files every time."""
import math
import random


def series(rng, key, rows, start_minute):
    period = {"pump-1": 60, "pump-2": 90, "pump-3": 45}[key]
    level = {"pump-1": 40.0, "pump-2": 1200.0, "pump-3": 3.5}[key]
    amp = {"pump-1": 5.0, "pump-2": 80.0, "pump-3": 0.4}[key]
    out = []
    for i in range(rows):
        t = start_minute + i
        phase = 2 * math.pi * t / period
        temperature = level + amp * math.sin(phase) + rng.gauss(0, amp * 0.05)
        pressure = level / 10 + amp / 10 * math.cos(phase) + rng.gauss(0, amp * 0.01)
        out.append([t, temperature, pressure])
    return out


def write(path, rows):
    with open(path, "w") as f:
        f.write("timestamp,key,temperature,pressure\n")
        for key, t, temperature, pressure in rows:
            f.write(f"{1_700_000_000 + 60 * t},{key},{temperature:.6f},{pressure:.6f}\n")


keys = ["pump-1", "pump-2", "pump-3"]
rng = random.Random(7)
history = [(k, *r) for k in keys for r in series(rng, k, 1500, 0)]
write("history.csv", history)

rng = random.Random(8)
live = {k: series(rng, k, 400, 1500) for k in keys}
for r in live["pump-1"][250:262]:      # a spike in temperature
    r[1] += 30.0
for r in live["pump-2"][300:]:         # a level shift in pressure
    r[2] += 40.0
stuck = live["pump-3"][200][1:]
for r in live["pump-3"][200:280]:      # a stuck sensor: both channels frozen
    r[1], r[2] = stuck
write("input.csv", [(k, *r) for k in keys for r in live[k]])
