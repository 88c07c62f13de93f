// Validates SARIF files against the official SARIF 2.1.0 schema with ajv.
// Usage: node validate.js FILE.sarif…   Exit 1 on the first invalid file.
const fs = require("fs");
const path = require("path");
const Ajv = require("ajv");

const schemaPath = path.join(__dirname, "node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
const schema = JSON.parse(fs.readFileSync(schemaPath, "utf8"));
// The SARIF schema is written in JSON Schema draft-04, which ajv 6 reads once its meta-schema is added.
const ajv = new Ajv({ allErrors: true, schemaId: "auto" });
ajv.addMetaSchema(require("ajv/lib/refs/json-schema-draft-04.json"));
const validate = ajv.compile(schema);

let failed = false;
for (const file of process.argv.slice(2)) {
  const log = JSON.parse(fs.readFileSync(file, "utf8"));
  if (validate(log)) {
    const results = log.runs.reduce((n, run) => n + (run.results || []).length, 0);
    console.log(`valid SARIF 2.1.0: ${file} (${results} results)`);
  } else {
    failed = true;
    console.error(`invalid SARIF: ${file}`);
    for (const e of validate.errors.slice(0, 20)) console.error(`  ${e.dataPath} ${e.message}`);
  }
}
process.exit(failed ? 1 : 0);
