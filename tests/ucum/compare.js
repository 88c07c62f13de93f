// Compares Rubric's unit table (JSON lines from units_dump on stdin) with the
// reference UCUM implementation, @lhncbc/ucum-lhc: every unit must be valid
// UCUM, every pair Rubric converts must convert in ucum-lhc with the same
// factor (ucum-lhc computes in doubles, so to 1e-12 relative), and every pair
// of units Rubric calls different dimensions must be refused by ucum-lhc.
// Usage: units_dump | node compare.js
const ucum = require('@lhncbc/ucum-lhc');
const utils = ucum.UcumLhcUtils.getInstance();

const lines = require('fs').readFileSync(0, 'utf8').split('\n').filter(l => l.trim());
const units = [], pairs = [];
const failures = [];
for (const line of lines) {
  const row = JSON.parse(line);
  if (row.error) failures.push(row.error);
  else if (row.unit !== undefined) units.push(row);
  else pairs.push(row);
}

for (const u of units) {
  const v = utils.validateUnitString(u.unit, true);
  if (v.status !== 'valid') failures.push(`${u.unit}: ucum-lhc says ${v.status} (${v.msg.join('; ')})`);
}

let checked = 0;
const same = new Set();
for (const p of pairs) {
  same.add(p.from + '\u0000' + p.to);
  const r = utils.convertUnitTo(p.from, 1, p.to);
  if (r.status !== 'succeeded') {
    failures.push(`1 ${p.from} -> ${p.to}: Rubric gives ${p.factor}, ucum-lhc fails (${r.msg.join('; ')})`);
    continue;
  }
  const diff = Math.abs(r.toVal - p.factor) / Math.abs(r.toVal);
  if (!(diff <= 1e-12)) failures.push(`1 ${p.from} -> ${p.to}: Rubric gives ${p.factor}, ucum-lhc ${r.toVal}`);
  ++checked;
}

// Different dimensions in Rubric: ucum-lhc must refuse, except where UCUM
// itself treats a mole as a plain number (6.0221367e23) and so converts a
// substance concentration to a number concentration. Rubric keeps amount of
// substance a dimension of its own, on purpose.
const moleLike = u => /mol|U\b|^U/.test(u);
let refused = 0;
for (const a of units) {
  for (const b of units) {
    if (a.unit === b.unit || a.dimension === b.dimension || same.has(a.unit + '\u0000' + b.unit)) continue;
    if (moleLike(a.unit) !== moleLike(b.unit)) continue;
    const r = utils.convertUnitTo(a.unit, 1, b.unit);
    if (r.status === 'succeeded')
      failures.push(`${a.unit} (${a.dimension}) -> ${b.unit} (${b.dimension}): ucum-lhc converts (${r.toVal}), Rubric refuses`);
    else ++refused;
  }
}

if (failures.length) {
  console.error(failures.slice(0, 40).join('\n'));
  if (failures.length > 40) console.error(`… and ${failures.length - 40} more`);
  console.error(`ucum_reference: ${failures.length} disagreements with @lhncbc/ucum-lhc`);
  process.exit(1);
}
console.log(`ucum_reference: ${units.length} units; ${checked} conversion factors agree with @lhncbc/ucum-lhc; ${refused} cross-dimension pairs refused by both`);
