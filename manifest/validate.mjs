// Validates a Teams manifest, and its localization files, against the official schemas bundled
// in @microsoft/app-manifest, offline.
// Usage: node manifest/validate.mjs manifest.json [it.json th.json ...]  (prints errors, exit 1)
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
const { ManifestUtil } = require("@microsoft/app-manifest");

const [manifestPath, ...localizationPaths] = process.argv.slice(2);
const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
const packageDir = path.dirname(require.resolve("@microsoft/app-manifest/package.json"));
const schemaDir = path.join(packageDir, "build", "json-schemas", "teams", `v${manifest.manifestVersion}`);
const load = (name) => JSON.parse(readFileSync(path.join(schemaDir, name), "utf8"));

const errors = (await ManifestUtil.validateManifestAgainstSchema(manifest, load("MicrosoftTeams.schema.json")))
  .map((error) => `${path.basename(manifestPath)}: ${error}`);
// The localization schema has a pattern ("\b]") that is invalid as a Unicode regular
// expression, which Ajv uses by default: compile it with plain regular expressions instead.
const Ajv = require("ajv-draft-04").default;
const ajv = new Ajv({ allErrors: true, strictTypes: false, unicodeRegExp: false });
require("ajv-formats").default(ajv, ["uri", "email", "regex"]);
const validateStrings = ajv.compile(load("MicrosoftTeams.Localization.schema.json"));
for (const file of localizationPaths) {
  if (!validateStrings(JSON.parse(readFileSync(file, "utf8")))) {
    for (const error of validateStrings.errors) {
      errors.push(`${path.basename(file)}: ${error.instancePath} ${error.message} ${JSON.stringify(error.params)}`);
    }
  }
}
if (errors.length) {
  console.log(errors.join("\n"));
  process.exit(1);
}
console.log(`valid against ${path.relative(packageDir, schemaDir)} (manifest and ${localizationPaths.length} localization files)`);
