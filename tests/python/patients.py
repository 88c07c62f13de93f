"""Reproducible Low Back Pain patient lines for the Python and Dask tests:
every variant, unknowns (null and absent keys), FHIR quantities and numeric ids."""
import random

FLAGS = ["saddle_anesthesia", "fever", "osteoporosis", "history_of_cancer", "significant_trauma"]
BOOLS = ["true", "false", "null"]


def patient_lines(n, seed=1, start=0):
    """`n` NDJSON lines (each ending in a newline) with ids start .. start+n-1:
    4,096 distinct random patients, repeated with their own ids (fast for 10^6)."""
    bodies = _bodies(4096, seed)
    return ['{"id":%d,%s' % (i, bodies[i & 4095]) for i in range(start, start + n)]


def _bodies(n, seed):
    rng = random.Random(seed)
    out = []
    for i in range(n):
        r = rng.getrandbits(64)
        flags = [f for k, f in enumerate(FLAGS) if (r >> (k * 4)) & 15 == 0]
        red = "[" + ",".join('"%s"' % f for f in flags) + "]"
        weeks = (r >> 20) % 30
        duration = ('{"value":%d,"unit":"wk"}' % weeks) if (r >> 25) & 3 == 0 else '"%d weeks"' % weeks
        b = lambda shift: BOOLS[((r >> shift) & 15) % 3] if (r >> shift) & 15 < 9 else BOOLS[(r >> shift) & 1]
        unknown_age = (r >> 61) == 7
        out.append(
            '%s"symptom_duration":%s,"radiculopathy":%s,"red_flags":%s,"conservative_therapy":"%d weeks",'
            '"improved_with_therapy":%s,"intervention_candidate":%s,"prior_lumbar_surgery":%s,'
            '"new_or_progressing_symptoms":%s}\n'
            % ("" if unknown_age else '"age":"%d years",' % (20 + (r >> 30) % 70), duration, b(36), red,
               (r >> 40) % 12, b(44), b(48), BOOLS[(r >> 52) & 1], b(56)))
    return out
