// Validates a Teams manifest against the official schema bundled in @microsoft/app-manifest,
// offline. Usage: node manifest/validate.mjs path/to/manifest.json  (prints errors, exit 1)
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
const { ManifestUtil } = require("@microsoft/app-manifest");

const manifest = JSON.parse(readFileSync(process.argv[2], "utf8"));
const packageDir = path.dirname(require.resolve("@microsoft/app-manifest/package.json"));
const schemaPath = path.join(packageDir, "build", "json-schemas", "teams", `v${manifest.manifestVersion}`, "MicrosoftTeams.schema.json");
const schema = JSON.parse(readFileSync(schemaPath, "utf8"));
const errors = await ManifestUtil.validateManifestAgainstSchema(manifest, schema);
if (errors.length) {
  console.log(errors.join("\n"));
  process.exit(1);
}
console.log(`valid against ${path.relative(packageDir, schemaPath)}`);
