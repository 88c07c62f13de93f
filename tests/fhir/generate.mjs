// A seeded generator of Low Back Pain Bundles for the FHIRPath oracle
// (oracle.mjs): varied on purpose where the bindings have edges. Birth dates
// full, partial (1960, 1960-05), on 29 February, missing, data-absent, two
// Patients; Conditions coded from the guideline's code lists (prefix codes
// extended, near misses, wrong systems, extra codings), every clinical and
// verification status, a status coding from a local system first, onset as
// dateTime (with time zones), partial, Period, missing, data-absent, with
// recordedDate; dates on and beside the windows' edges and after the order;
// Procedures with periods (partial, open, reversed), statuses, performed
// dateTimes; several ServiceRequests (catalog, non-catalog, none, partial
// authoredOn); red-flag screens (QuestionnaireResponses, any status, nested
// items, yes/no/Coding/text answers, unanswered items). Valid R4 throughout.
// Usage: node generate.mjs GRAPH.json SEED N
import { readFileSync } from 'node:fs';

export function rng(seed) {  // mulberry32: small, seedable, the same on every machine
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 86400000;
const iso = (ms) => new Date(ms).toISOString().slice(0, 10);
const DAR = 'http://hl7.org/fhir/StructureDefinition/data-absent-reason';
const ICD = 'http://hl7.org/fhir/sid/icd-10-cm';
const SNOMED = 'http://snomed.info/sct';
const CPT = 'http://www.ama-assn.org/go/cpt';

// The questionnaires the bindings ask, with their items' linkIds.
function questions_of(graph) {
  const out = new Map();
  for (const b of graph.fhir.bindings)
    if (b.source === 'answer') (out.get(b.questionnaire) ?? out.set(b.questionnaire, new Set()).get(b.questionnaire)).add(b.question);
  return [...out].map(([url, links]) => ({ url, links: [...links] }));
}

export function make_generator(graph, seed) {
  const r = rng(seed);
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  const chance = (p) => r() < p;
  const int = (lo, hi) => lo + Math.floor(r() * (hi - lo + 1));
  const lists = graph.fhir.code_lists;
  const catalog = graph.procedures.flatMap((p) => p.codes.filter((c) => c.system === 'CPT').map((c) => c.value));
  const windows = [...new Set(graph.fhir.bindings.map((b) => b.within_days).filter((d) => d != null))];
  const thresholds = graph.nodes.filter((n) => n.kind === 'compare').map((n) => n.number);
  const questionnaires = questions_of(graph);
  // A QuestionnaireResponse to a questionnaire the bindings ask (or another),
  // any status, authored around the windows' edges or not at all; items
  // answered yes, no, with a yes/no Coding, with text, or left out, some
  // nested in a group.
  const screen = (i, order) => {
    const q = questionnaires.length && !chance(0.1) ? pick(questionnaires) : { url: 'http://example.org/other', links: ['fever'] };
    const qr = { resourceType: 'QuestionnaireResponse', id: `q${i}`, status: pick(['completed', 'completed', 'completed', 'amended', 'in-progress', 'stopped']),
                 questionnaire: chance(0.2) ? `${q.url}|1.0` : q.url };
    if (!chance(0.05)) qr.authored = iso(order + pick([0, 0, -1, -2, -27, -28, -29, -60, 1]) * DAY);
    const items = [];
    for (const link of q.links) {
      if (chance(0.1)) continue;
      const value = pick([{ valueBoolean: false }, { valueBoolean: false }, { valueBoolean: true },
                          { valueCoding: { system: 'http://loinc.org', code: pick(['LA33-6', 'LA32-8']) } }, { valueString: 'maybe' }]);
      items.push(chance(0.1) ? { linkId: link } : { linkId: link, answer: [value] });
    }
    qr.item = chance(0.5) ? [{ linkId: 'group', item: items }] : items;
    return qr;
  };

  // A date as FHIR writes it: full, partial, or a dateTime in some zone.
  function date_text(ms, { partial = 0.1, time = 0.2 } = {}) {
    const d = iso(ms);
    if (chance(partial)) return chance(0.5) ? d.slice(0, 4) : d.slice(0, 7);
    if (chance(time)) return `${d}T${String(int(0, 23)).padStart(2, '0')}:${pick(['00', '30', '59'])}:00${pick(['Z', '+05:30', '-05:00', '+14:00'])}`;
    return d;
  }
  // A day near something that matters: a window's edge, a threshold, the order.
  function near_order(order) {
    const w = pick([...windows, 0, 42, 84, 365, 3650]);
    return order - (w + int(-2, 2)) * DAY;
  }
  function code_from(list) {
    const c = pick(list.codes);
    let code = c.code;
    if (c.prefix && chance(0.7)) code += (code.length === 3 ? '.' : '') + (chance(0.5) ? String(int(0, 9)) : `${int(0, 9)}${int(0, 9)}`);
    if (!c.prefix && chance(0.08)) code = code.slice(0, -1);  // a near miss: M54.1 for M54.16
    const system = chance(0.04) ? pick([ICD, SNOMED, CPT, 'http://example.org/local']) : c.system;  // sometimes filed under the wrong system
    return { system, code, display: c.display || undefined };
  }
  // Lists read for a duration (time since onset, total time) come up often, so those facts are mostly known.
  const featured = graph.fhir.bindings.filter((b) => b.source !== 'any' && b.codes >= 0).map((b) => lists[b.codes]).filter((l) => l.codes.length);
  function any_code(kind) {
    const usable = lists.filter((l) => l.codes.length > 0);
    if (featured.length && chance(0.25)) return code_from(pick(featured));
    if (usable.length && chance(0.6)) return code_from(pick(usable));
    if (kind === 'Procedure') return { system: CPT, code: pick(['45378', '99213', '97140', '20610', '63030', '97110']) };
    return { system: pick([ICD, ICD, SNOMED]), code: pick(['I10', 'E11.9', 'M54.2', 'M54.6', 'R50.8', 'C', '38341003', '386661006', 'Z85', 'M81']) };
  }
  function code_concept(kind) {
    if (chance(0.04)) return { extension: [{ url: DAR, valueCode: pick(['unknown', 'asked-unknown', 'masked']) }] };
    const coding = [any_code(kind)];
    while (chance(0.25)) coding.push(any_code(kind));
    const cc = { coding };
    if (chance(0.2)) cc.text = 'as charted';
    return cc;
  }
  function status_concept(system, code) {
    const coding = [{ system, code }];
    if (chance(0.05)) coding.unshift({ system: 'http://example.org/local-status', code: pick(['A', 'X', 'inactive']) });
    return { coding };
  }

  function patient(i, birth) {
    const p = { resourceType: 'Patient', id: `p${i}`, gender: pick(['female', 'male', 'other', 'unknown']) };
    const roll = r();
    if (roll < 0.05) return p;
    if (roll < 0.08) { p._birthDate = { extension: [{ url: DAR, valueCode: 'unknown' }] }; return p; }
    p.birthDate = date_text(birth, { partial: 0.25, time: 0 });
    return p;
  }
  function birth_of(order) {
    const roll = r();
    if (roll < 0.3 && thresholds.length) return order - Math.round(pick(thresholds) + int(-400, 400)) * DAY;
    if (roll < 0.36) { const y = pick([1960, 1964, 1980, 1996, 2000, 2004, 2008]); return Date.UTC(y, 1, 29); }
    return order - int(0, 100 * 365) * DAY;
  }
  function condition(i, order) {
    const c = { resourceType: 'Condition', id: `c${i}` };
    if (!chance(0.1)) c.clinicalStatus = status_concept('http://terminology.hl7.org/CodeSystem/condition-clinical', pick(['active', 'active', 'active', 'recurrence', 'relapse', 'inactive', 'remission', 'resolved']));
    if (!chance(0.15)) c.verificationStatus = status_concept('http://terminology.hl7.org/CodeSystem/condition-ver-status', pick(['confirmed', 'confirmed', 'unconfirmed', 'provisional', 'differential', 'refuted', 'entered-in-error']));
    c.code = code_concept('Condition');
    c.subject = { reference: 'Patient/p0' };
    const when = chance(0.8) ? near_order(order) : order - int(-30, 4000) * DAY;
    const roll = r();
    if (roll < 0.6) c.onsetDateTime = date_text(when);
    else if (roll < 0.72) c.onsetPeriod = chance(0.85) ? { start: date_text(when), end: chance(0.5) ? iso(when + int(1, 90) * DAY) : undefined } : { end: iso(when) };
    else if (roll < 0.78) c._onsetDateTime = { extension: [{ url: DAR, valueCode: 'unknown' }] };
    else if (roll < 0.82) c.onsetString = 'in childhood';
    if (chance(0.4)) c.recordedDate = date_text(when + int(0, 30) * DAY, { partial: 0.05 });
    return c;
  }
  function procedure(i, order) {
    const p = { resourceType: 'Procedure', id: `x${i}`, status: pick(['completed', 'completed', 'in-progress', 'not-done', 'stopped', 'on-hold', 'entered-in-error', 'unknown', 'preparation']) };
    p.code = code_concept('Procedure');
    p.subject = { reference: 'Patient/p0' };
    const start = order - int(-10, 400) * DAY;
    const roll = r();
    if (roll < 0.7) {
      p.performedPeriod = {};
      if (!chance(0.08)) p.performedPeriod.start = date_text(start, { partial: 0.08 });
      if (!chance(0.2)) p.performedPeriod.end = date_text(start + int(0, 90) * DAY, { partial: 0.08 });
    } else if (roll < 0.85) {
      p.performedDateTime = date_text(start);
    }
    return p;
  }
  function request(i, order, catalog_code) {
    const s = { resourceType: 'ServiceRequest', id: `o${i}`, status: pick(['active', 'completed', 'draft']), intent: 'order' };
    const code = catalog_code ? pick(catalog) : pick(['73721', '70551', '71046']);
    s.code = { coding: [{ system: chance(0.04) ? SNOMED : CPT, code }] };
    s.subject = { reference: 'Patient/p0' };
    if (!chance(0.05)) s.authoredOn = date_text(order, { partial: 0.04, time: 0.3 });
    return s;
  }

  return function bundle(n) {
    // Sometimes the order is on 28 February or 1 March of a common year, for a 29 February birthday.
    const leap_edge = chance(0.03);
    const order = leap_edge ? Date.UTC(pick([2015, 2017, 2018, 2019, 2021, 2022, 2023, 2025]), 1, pick([28, 29]))
                            : Date.UTC(2015, 0, 1) + int(0, 12 * 365) * DAY;
    const resources = [];
    const requests = pick([0, 1, 1, 1, 1, 1, 1, 2, 2, 3]);
    for (let i = 0; i < requests; ++i) resources.push(request(i, chance(0.05) ? order + int(-40, 40) * DAY : order, !chance(0.15)));
    const people = chance(0.05) ? 2 : 1;
    const birth = leap_edge ? Date.UTC(pick([1960, 1964, 1980, 1996, 2000, 2004, 2008]), 1, 29) : birth_of(order);
    for (let i = 0; i < people; ++i) resources.push(patient(i, i > 0 && chance(0.5) ? birth + int(-400, 400) * DAY : birth));
    for (let i = 0, k = int(0, 8); i < k; ++i) resources.push(condition(i, order));
    for (let i = 0, k = int(0, 4); i < k; ++i) resources.push(procedure(i, order));
    if (chance(0.3)) resources.push({ resourceType: 'MedicationStatement', id: 'm0', status: 'active', medicationCodeableConcept: { text: 'Ibuprofen' }, subject: { reference: 'Patient/p0' } });
    for (let i = 0, k = pick([0, 0, 1, 1, 1, 2]); i < k; ++i) resources.push(screen(i, order));
    for (let i = resources.length - 1; i > 0; --i) {  // any order: the decoder must not depend on it
      const j = Math.floor(r() * (i + 1));
      [resources[i], resources[j]] = [resources[j], resources[i]];
    }
    return { resourceType: 'Bundle', id: `gen-${seed}-${n}`, type: 'collection',
             entry: resources.map((res) => ({ fullUrl: `urn:uuid:${res.id}-${n}`, resource: res })) };
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [graph_path, seed, count] = process.argv.slice(2);
  const graph = JSON.parse(readFileSync(graph_path, 'utf8'));
  const next = make_generator(graph, Number(seed));
  const lines = [];
  for (let n = 0; n < Number(count); ++n) lines.push(JSON.stringify(next(n)));
  process.stdout.write(lines.join('\n') + '\n');
}
