// Validates deploy/kubernetes/*.yaml against the Kubernetes API schemas (issue 24.4), with kubernetes-models, whose
// models carry the OpenAPI schema of each kind. Exits 1 naming the file, kind and schema error.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ConfigMap, Secret, Service } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';

const MODELS = { ConfigMap, Secret, Service, Deployment, Job };
const dir = join(import.meta.dirname, '..', 'deploy', 'kubernetes');
const seen = [];
let failed = false;
for (const file of readdirSync(dir).filter((name) => name.endsWith('.yaml') && name !== 'kustomization.yaml')) {
  for (const doc of parseAllDocuments(readFileSync(join(dir, file), 'utf8'))) {
    const object = doc.toJS();
    const Model = MODELS[object.kind];
    try {
      if (!Model) {
        throw new Error(`no schema for kind ${object.kind}`);
      }
      new Model(object).validate();
      seen.push(object.kind);
    } catch (error) {
      failed = true;
      console.error(`${file}: ${object.kind}: ${error.message}`);
    }
  }
}
// The list: a Deployment, a Service, a migration Job, and the Secret and ConfigMap they reference.
for (const kind of Object.keys(MODELS).filter((kind) => !seen.includes(kind))) {
  failed = true;
  console.error(`deploy/kubernetes has no valid ${kind}`);
}
if (failed) {
  process.exit(1);
}
console.log(`deploy/kubernetes: ${seen.length} objects valid (${seen.join(', ')})`);
