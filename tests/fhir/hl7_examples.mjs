// The HL7 FHIR R4 examples (npm hl7.fhir.r4.examples 4.0.1, the examples
// published with the specification) as Bundles for `rubric eval
// --fhir-bundles`, and the check of what comes back.
//
//   node hl7_examples.mjs bundles OUT.ndjson   one line per example resource of
//       the kinds the bindings read or will read, each wrapped in a Bundle with
//       an order (a ServiceRequest for CPT 72148) unless it is one, then every
//       example Bundle as published; prints the counts per kind
//   node hl7_examples.mjs check IN.ndjson RESULTS.ndjson
//       one result per input line, in order, each with "error": null
//
// "Valid R4": the package's examples are valid by construction (the
// specification's build validates each against its StructureDefinition);
// every one is expected to decode without an error. One exclusion, checked
// for its own message: Bundle-resources.json (all examples in one Bundle, 35
// MB) is over the decoder's documented 16 MiB limit; its resources are each
// checked on their own.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const KINDS = ['Patient', 'Condition', 'Observation', 'Procedure', 'ServiceRequest', 'QuestionnaireResponse',
               'MedicationRequest', 'MedicationStatement'];

const MAX_BUNDLE_BYTES = 16 * 1024 * 1024;  // runtime/fhir_bundle.hpp max_bundle_bytes

function examples_dir() {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('hl7.fhir.r4.examples/package.json'));
}

// Every resource of KINDS in a file: the file itself, or inside a Bundle's
// entries (at any depth: a Bundle may hold Bundles).
function collect(resource, from, out) {
  if (!resource || typeof resource !== 'object') return;
  if (KINDS.includes(resource.resourceType)) out.push({ resource, from });
  if (resource.resourceType === 'Bundle')
    (resource.entry ?? []).forEach((e, i) => collect(e.resource, `${from} entry[${i}]`, out));
}

const ORDER = { resourceType: 'ServiceRequest', id: 'rubric-test-order', status: 'active', intent: 'order',
                code: { coding: [{ system: 'http://www.ama-assn.org/go/cpt', code: '72148' }] },
                subject: { reference: 'Patient/example' }, authoredOn: '2020-01-15' };

function bundles(out_path) {
  const dir = examples_dir();
  const files = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'package.json').sort();
  const found = [], published = [];
  for (const file of files) {
    let json;
    try { json = JSON.parse(readFileSync(join(dir, file), 'utf8')); } catch { continue; }  // .index.json and the like
    collect(json, file, found);
    if (json.resourceType === 'Bundle') published.push({ bundle: json, from: file });
  }
  const lines = [], manifest = [], seen = new Set();
  found.forEach(({ resource, from }, i) => {
    const text = JSON.stringify(resource);
    if (seen.has(text)) return;  // Bundle-resources.json repeats the examples of their own files
    seen.add(text);
    const entry = [{ fullUrl: `urn:uuid:example-${i}`, resource }];
    if (resource.resourceType !== 'ServiceRequest') entry.push({ fullUrl: 'urn:uuid:order', resource: ORDER });
    lines.push(JSON.stringify({ resourceType: 'Bundle', id: `hl7-${i}`, type: 'collection', entry }));
    manifest.push({ kind: resource.resourceType, from });
  });
  for (const { bundle, from } of published) {
    const text = JSON.stringify(bundle);
    lines.push(text);
    // Bundle-resources.json (every example in one Bundle) is larger than the
    // decoder's documented limit (docs/fhir.md, Limits): its error must say so.
    const too_big = Buffer.byteLength(text) > MAX_BUNDLE_BYTES;
    manifest.push({ kind: 'Bundle (as published)', from, expect: too_big ? `the Bundle is larger than the limit of ${MAX_BUNDLE_BYTES} bytes` : null });
  }
  writeFileSync(out_path, lines.join('\n') + '\n');
  writeFileSync(`${out_path}.manifest.json`, JSON.stringify(manifest));
  const counts = {};
  for (const m of manifest) counts[m.kind] = (counts[m.kind] ?? 0) + 1;
  console.log(`hl7 examples: ${manifest.length} Bundles from ${files.length} files: ` +
              Object.entries(counts).map(([k, n]) => `${k} ${n}`).join(', '));
  for (const kind of KINDS) if (!counts[kind]) { console.error(`hl7 examples: no ${kind} example found`); process.exit(1); }
}

function check(in_path, results_path) {
  const manifest = JSON.parse(readFileSync(`${in_path}.manifest.json`, 'utf8'));
  const results = readFileSync(results_path, 'utf8').split('\n').filter((l) => l);
  if (results.length !== manifest.length) {
    console.error(`hl7 examples: ${manifest.length} Bundles in, ${results.length} results out`);
    process.exit(1);
  }
  let failures = 0, refused = 0;
  results.forEach((line, i) => {
    let r;
    try { r = JSON.parse(line); } catch { r = { error: `not JSON: ${line.slice(0, 200)}` }; }
    const expect = manifest[i].expect ? `line ${i + 1}: ${manifest[i].expect}` : null;
    if (expect) ++refused;
    if (r.error !== expect || (!expect && !r.fhir)) {
      if (++failures <= 20) console.error(`line ${i + 1}: ${manifest[i].kind} from ${manifest[i].from}: got ${JSON.stringify(r.error ?? 'no "fhir" key')}, expected ${JSON.stringify(expect)}`);
    }
  });
  if (failures) { console.error(`hl7 examples: ${failures} of ${results.length} Bundles gave an error`); process.exit(1); }
  console.log(`hl7 examples: ${results.length} Bundles, ${results.length} results, no errors` +
              (refused ? ` (and ${refused} refused as over the size limit, as expected)` : ''));
}

const [mode, a, b] = process.argv.slice(2);
if (mode === 'bundles') bundles(a);
else if (mode === 'check') check(a, b);
else { console.error('usage: node hl7_examples.mjs bundles OUT.ndjson | check IN.ndjson RESULTS.ndjson'); process.exit(2); }
