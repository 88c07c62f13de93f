// The FHIRPath oracle: for each generated Bundle, every fact the runtime's
// decoder derives (fhir_facts_dump) must equal what FHIRPath expressions,
// evaluated by the npm `fhirpath` package, give under the semantics of
// docs/fhir.md. Written from that document and the FHIR R4 specification,
// not from the C++: the expressions select resources (status filters, code
// lists, dates), and the date arithmetic (ranges of days, ages, windows,
// the interval rule for partial dates) is plain JavaScript below.
// Usage: node oracle.mjs GRAPH.json BUNDLES.ndjson DUMP.ndjson
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const fhirpath = require('fhirpath');
const r4 = require('fhirpath/fhir-context/r4');

const DAR = 'http://hl7.org/fhir/StructureDefinition/data-absent-reason';
const CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
const VERIFICATION = 'http://terminology.hl7.org/CodeSystem/condition-ver-status';
const CPT = 'http://www.ama-assn.org/go/cpt';
const DAYS_PER_YEAR = 365.25;
const quote = (s) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const compile = (expr) => fhirpath.compile(expr, r4);

// --- Dates: a FHIR date or dateTime as a range of days since 1970-01-01 ---
// `1960` is the year, `1960-05` the month, a dateTime the day as written.
const day_of = (y, m, d) => Math.round(Date.UTC(y, m - 1, d) / 86400000);
const month_length = (y, m) => new Date(Date.UTC(y, m, 0)).getUTCDate();
function range(text) {
  if (text == null) return null;
  const [y, m, d] = text.slice(0, 10).split('-').map(Number);
  if (m === undefined) return { first: day_of(y, 1, 1), last: day_of(y, 12, 31) };
  if (d === undefined) return { first: day_of(y, m, 1), last: day_of(y, m, month_length(y, m)) };
  return { first: day_of(y, m, d), last: day_of(y, m, d) };
}
// Age as docs/fhir.md defines it: complete years × 365.25 days plus the days
// since the last birthday (a 29 February birthday is the 28th in other years).
function age(birth, on) {
  const b = new Date(birth * 86400000), o = new Date(on * 86400000);
  const birthday = (y) => day_of(y, b.getUTCMonth() + 1, Math.min(b.getUTCDate(), month_length(y, b.getUTCMonth() + 1)));
  let y = o.getUTCFullYear();
  if (birthday(y) > on) y -= 1;
  return (y - b.getUTCFullYear()) * DAYS_PER_YEAR + (on - birthday(y));
}

// --- The graph: what the bindings say, and the thresholds on each fact ---
const graph = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const catalog = graph.procedures.flatMap((p) => p.codes.filter((c) => c.system === 'CPT').map((c) => c.value));

// A range of values [lo, hi] is the fact only when every comparison the
// graph makes with the fact gives one answer over the whole range (and no
// arithmetic or fact-to-fact comparison reads it); then lo stands for it.
function interval_value(slot, lo, hi) {
  if (lo === hi) return lo;
  for (const n of graph.nodes) {
    if (n.slot !== slot && n.slot2 !== slot) continue;
    if (n.kind === 'is_known') continue;
    if (n.kind !== 'compare') return null;
    const holds = (x) => ({ lt: x < n.number, le: x <= n.number, gt: x > n.number, ge: x >= n.number, eq: x === n.number, ne: x !== n.number })[n.op];
    if (holds(lo) !== holds(hi)) return null;
    if ((n.op === 'eq' || n.op === 'ne') && lo <= n.number && n.number <= hi) return null;
  }
  return lo;
}

// --- FHIRPath: which resources count and match ---
const counted = {
  // R4: clinicalStatus from condition-clinical (absent counts), verificationStatus not refuted/entered-in-error
  condition: compile(`Bundle.entry.resource.ofType(Condition).where(
      (clinicalStatus.coding.where(system = ${quote(CLINICAL)}).code.empty()
        or clinicalStatus.coding.where(system = ${quote(CLINICAL)}).code.where($this in ('active' | 'recurrence' | 'relapse')).exists())
      and verificationStatus.coding.where(system = ${quote(VERIFICATION)}).code.where($this in ('refuted' | 'entered-in-error')).empty())`),
  procedure: compile(`Bundle.entry.resource.ofType(Procedure).where(status in ('completed' | 'in-progress'))`),
};
function matches(list) {
  const alternatives = list.codes.map((c) => `(system = ${quote(c.system)} and ${c.prefix ? `code.startsWith(${quote(c.code)})` : `code = ${quote(c.code)}`})`);
  return alternatives.length ? alternatives.join(' or ') : 'false';
}
const paths = {
  patients: compile('Bundle.entry.resource.ofType(Patient)'),
  birth_date: compile('Patient.birthDate'),
  requests: compile('Bundle.entry.resource.ofType(ServiceRequest)'),
  catalog_requests: compile(`Bundle.entry.resource.ofType(ServiceRequest).where(code.coding.where(system = ${quote(CPT)} and code in (${catalog.map(quote).join(' | ')})).exists())`),
  authored: compile('ServiceRequest.authoredOn'),
  code_absent: compile(`where(code.extension(${quote(DAR)}).exists())`),
  condition_date: compile('Condition.onset.ofType(dateTime) | Condition.onset.ofType(Period).start'),
  condition_recorded: compile('Condition.recordedDate'),
  procedure_start: compile('Procedure.performed.ofType(dateTime) | Procedure.performed.ofType(Period).start'),
  procedure_end: compile('Procedure.performed.ofType(Period).end'),
  status: compile('Procedure.status'),
};
// Per code list, applied to the counted resources of a Bundle.
const list_matches = graph.fhir.code_lists.map((list) => compile(`where(code.coding.where(${matches(list)}).exists())`));
// The counted resources of each kind, once per Bundle.
function resources_of(bundle) {
  const out = {};
  for (const kind of ['condition', 'procedure']) {
    const all = counted[kind](bundle);
    out[kind] = { all, absent: all.length ? paths.code_absent(all) : [], matching: new Map() };
  }
  return out;
}
function matching(res, kind, codes) {
  const cache = res[kind].matching;
  if (!cache.has(codes)) cache.set(codes, res[kind].all.length ? list_matches[codes](res[kind].all) : []);
  return cache.get(codes);
}
const one = (xs) => (xs.length ? String(xs[0]) : null);

// --- Facts ---
function order_of(bundle) {
  const ordered = paths.catalog_requests(bundle);
  const order = ordered.length ? ordered[0] : paths.requests(bundle)[0];
  return order ? range(one(paths.authored(order))) : null;
}

function age_fact(b, bundle, order) {
  const people = paths.patients(bundle);
  if (!people.length) return null;
  const births = people.map((p) => one(paths.birth_date(p)));
  if (births.some((t) => t !== births[0]) || births[0] == null || !order) return null;
  const birth = range(births[0]);
  const lo = age(birth.last, order.first), hi = age(birth.first, order.last);
  if (hi < 0) return null;
  return interval_value(b.slot, Math.max(0, lo), hi);
}

// The resource's date for a window: Condition onset, else recordedDate; Procedure performed start.
function dated(kind, r) {
  if (kind === 'condition') return range(one(paths.condition_date(r))) ?? range(one(paths.condition_recorded(r)));
  return range(one(paths.procedure_start(r)));
}
// 'in', 'out', or 'unplaced' (no date, no order date, or a range across an edge).
function placed(b, kind, r, order) {
  if (b.within_days == null) return 'in';
  const d = dated(kind, r);
  if (!d || !order) return 'unplaced';
  const in_surely = d.first >= order.last - b.within_days && d.last <= order.first;
  const out_surely = d.last < order.first - b.within_days || d.first > order.last;
  return in_surely ? 'in' : out_surely ? 'out' : 'unplaced';
}

function any_fact(b, res, order) {
  const kind = b.resource, list = graph.fhir.code_lists[b.codes];
  const where = matching(res, kind, b.codes).map((r) => placed(b, kind, r, order));
  if (where.includes('in')) return true;
  if (where.includes('unplaced') || res[kind].absent.length) return null;
  if (!list.codes.length) return null;
  return graph.fhir[`${kind}s_complete`] ? false : null;
}

function onset_fact(b, res, order) {
  const kind = b.resource;
  const onsets = matching(res, kind, b.codes)
    .filter((r) => placed(b, kind, r, order) === 'in')
    .map((r) => range(one(paths.condition_date(r)))).filter((d) => d);
  if (!onsets.length || !order) return null;
  // The latest (earliest) onset lies between the latest (earliest) first days and last days.
  const pickf = b.earliest ? Math.min : Math.max;
  const first = pickf(...onsets.map((d) => d.first)), last = pickf(...onsets.map((d) => d.last));
  const lo = order.first - last, hi = order.last - first;
  if (hi < 0) return null;
  return interval_value(b.slot, Math.max(0, lo), hi);
}

function total_fact(b, res, order) {
  const kind = b.resource;
  if (res[kind].absent.length) return null;  // it might be one of them
  let lo = 0, hi = 0, any = false;
  for (const r of matching(res, kind, b.codes)) {
    const where = placed(b, kind, r, order);
    if (where === 'out') continue;
    if (where === 'unplaced') return null;
    const start = range(one(paths.procedure_start(r)));
    let end = range(one(paths.procedure_end(r)));
    if (!end && one(paths.status(r)) === 'in-progress') end = order;  // an open period runs to the order
    if (!start || !end || end.last < start.first) return null;
    lo += Math.max(1, end.first - start.last + 1);  // both days counted
    hi += end.last - start.first + 1;
    any = true;
  }
  if (!any && !graph.fhir[`${kind}s_complete`]) return null;
  return interval_value(b.slot, lo, hi);
}

// `answer "LINK" in questionnaire "URL"`: the item's first answer in the
// latest completed or amended QuestionnaireResponse to that questionnaire
// (a `|version` ignored) authored in the window, or in another of the same
// day; unknown when there is none, when the item is unanswered or not
// yes/no, or when two responses of that day answer it differently.
const answer_paths = {
  responses: compile(`Bundle.entry.resource.ofType(QuestionnaireResponse).where(status in ('completed' | 'amended'))`),
  questionnaire: compile('QuestionnaireResponse.questionnaire'),
  authored: compile('QuestionnaireResponse.authored'),
};
const item_answer = new Map();  // linkId → compiled expression
function answer_of(r, link) {
  if (!item_answer.has(link))
    item_answer.set(link, compile(`QuestionnaireResponse.repeat(item | answer.item).where(linkId = ${quote(link)}).answer.first().value`));
  const v = item_answer.get(link)(r);
  if (!v.length) return undefined;  // unanswered (null: answered, but not yes or no)
  const x = v[0];
  if (typeof x === 'boolean') return x;
  const yes_no = { 'http://terminology.hl7.org/CodeSystem/v2-0136': { Y: true, N: false }, 'http://loinc.org': { 'LA33-6': true, 'LA32-8': false } };
  if (x && typeof x === 'object' && yes_no[x.system] && x.code in yes_no[x.system]) return yes_no[x.system][x.code];
  return null;
}
function answer_fact(b, bundle, order) {
  const mine = answer_paths.responses(bundle).filter((r) => String(one(answer_paths.questionnaire(r)) ?? '').split('|')[0] === b.questionnaire);
  let latest = null, same_day = [];
  for (const r of mine) {
    const when = range(one(answer_paths.authored(r)));
    if (b.within_days != null) {
      if (!when || !order) continue;
      if (!(when.first >= order.last - b.within_days && when.last <= order.first)) continue;
    }
    const day = when ? when.first : -Infinity;
    if (!latest || day > latest.day) { latest = { r, day }; same_day = []; }
    else if (day === latest.day && day !== -Infinity) same_day.push(r);
  }
  if (!latest) return null;
  // The responses of the latest day that answer the item must agree.
  const answers = [latest.r, ...same_day].map((r) => answer_of(r, b.question)).filter((v) => v !== undefined);
  if (!answers.length) return null;
  return answers.every((v) => v === answers[0]) ? answers[0] : null;
}

// Kleene OR of a yes/no binding's sources; the first value of a number's.
function combine(values, yes_no) {
  if (!yes_no) return values.find((v) => v !== null) ?? null;
  if (values.includes(true)) return true;
  return values.every((v) => v === false) ? false : null;
}

function expected(bundle) {
  const order = order_of(bundle);
  const res = resources_of(bundle);
  const facts = {}, members = [];
  const member_values = new Map();
  const bindings = graph.fhir.bindings;
  for (let i = 0; i < bindings.length; ++i) {
    const b = bindings[i];
    if (b.or_previous) { members.push(null); continue; }  // folded into the binding it follows
    let end = i + 1;
    while (end < bindings.length && bindings[end].or_previous) ++end;
    const values = bindings.slice(i, end).map((alt) => source_value(alt, bundle, res, order));
    const fact = graph.facts[b.slot];
    const v = combine(values, b.member >= 0 || fact.type === 'bool');
    members.push(b.member >= 0 ? v : null);
    if (b.member < 0) facts[fact.id] = v;
    else (member_values.get(b.slot) ?? member_values.set(b.slot, new Map()).get(b.slot)).set(b.member, v);
  }
  // A set is known when every member is bound and decided.
  for (const [slot, values] of member_values) {
    const enumeration = graph.enumerations[graph.facts[slot].enumeration].members;
    const known = enumeration.every((_, m) => values.has(m) && values.get(m) !== null);
    facts[graph.facts[slot].id] = known ? enumeration.filter((_, m) => values.get(m)).map((m) => m.id) : null;
  }
  return { facts, members };
}

function source_value(b, bundle, res, order) {
    let v;
    if (b.source === 'age_at_order') v = age_fact(b, bundle, order);
    else if (b.source === 'time_since_onset') v = onset_fact(b, res, order);
    else if (b.source === 'any') v = any_fact(b, res, order);
    else if (b.source === 'total_time') v = total_fact(b, res, order);
    else if (b.source === 'answer') v = answer_fact(b, bundle, order);
    else throw new Error(`the oracle has no semantics for the source \`${b.source}\` (${b.text.trim()}): add it`);
    return v;
}

const same = (a, b) => (typeof a === 'number' && typeof b === 'number' ? Math.abs(a - b) < 1e-9 : JSON.stringify(a) === JSON.stringify(b));

const bundles = readFileSync(process.argv[3], 'utf8').split('\n').filter((l) => l);
const dumps = readFileSync(process.argv[4], 'utf8').split('\n').filter((l) => l);
if (bundles.length !== dumps.length) {
  console.error(`oracle: ${bundles.length} Bundles in, ${dumps.length} results out`);
  process.exit(1);
}
let disagreements = 0, checked = 0;
const tally = {};
for (let i = 0; i < bundles.length; ++i) {
  const bundle = JSON.parse(bundles[i]), got = JSON.parse(dumps[i]);
  const report = (what, want, have) => {
    if (++disagreements <= Number(process.env.ORACLE_SHOW ?? 10)) console.error(`line ${i + 1} (${bundle.id}): ${what}: FHIRPath gives ${JSON.stringify(want)}, Rubric ${JSON.stringify(have)}\n  ${bundles[i]}`);
  };
  if (got.error !== null) { report('decode', 'no error', got.error); continue; }
  const want = expected(bundle);
  for (const [fact, v] of Object.entries(want.facts)) {
    ++checked;
    const key = `${fact}=${v === null ? 'unknown' : 'known'}`;
    tally[key] = (tally[key] ?? 0) + 1;
    if (!same(v, got.facts[fact])) report(fact, v, got.facts[fact]);
  }
  want.members.forEach((v, k) => {
    if (graph.fhir.bindings[k].member < 0) return;
    ++checked;
    if (v !== got.members[k]) report(`${graph.fhir.bindings[k].text.trim().split(/\s+/).slice(0, 3).join(' ')}`, v, got.members[k]);
  });
}
console.log(`oracle: ${bundles.length} Bundles, ${checked} facts and set members compared, ${disagreements} disagreements`);
console.log(`oracle: ${Object.entries(tally).sort().map(([k, n]) => `${k} ${n}`).join(', ')}`);
process.exit(disagreements ? 1 : 0);
