// deploy/k8s/**: YAML, each object against its Kubernetes / KEDA / Prometheus
// Operator schema (kubernetes-models), kustomization resources, then the
// per-concern checks; `kubectl kustomize` builds when kubectl is on PATH.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { Collector, Obj } from './collector.js';
import { checkKeda } from './keda.js';
import { K8S_DIR, K8sObjects, type K8sObject } from './k8s-objects.js';
import { checkConfigAndSecrets } from './k8s-secrets.js';
import { checkServices } from './k8s-services.js';
import { checkWorkloads } from './k8s-workloads.js';

function yamlFiles(root: string, dir: string): string[] {
  const abs = path.join(root, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs).flatMap((e) => {
    const rel = path.join(dir, e);
    if (statSync(path.join(root, rel)).isDirectory()) return yamlFiles(root, rel);
    return /\.ya?ml$/.test(e) ? [rel] : [];
  });
}

/** Module of kubernetes-models (or its CRD packages) that holds the schema of one apiVersion/kind. */
function modelModule(apiVersion: string, kind: string): string | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  if (group === 'keda.sh') return `@kubernetes-models/keda/keda.sh/${version}/${kind}`;
  if (group === 'monitoring.coreos.com') return `@kubernetes-models/prometheus-operator/monitoring.coreos.com/${version}/${kind}`;
  if (group === 'kustomize.config.k8s.io') return undefined;
  return `kubernetes-models/${group ? `${group}/` : ''}${version}/${kind}`;
}

async function checkSchemas(c: Collector, objects: K8sObject[]): Promise<void> {
  for (const { file, obj } of objects) {
    const mod = modelModule(String(obj.apiVersion), String(obj.kind));
    if (!mod) continue;
    let Model: new (o: Obj) => { validate(): void };
    try {
      Model = ((await import(mod)) as Record<string, new (o: Obj) => { validate(): void }>)[obj.kind]!;
    } catch {
      c.add(file, `no schema for ${obj.apiVersion} ${obj.kind} (unknown kind?)`);
      continue;
    }
    try {
      new Model(obj).validate();
    } catch (err) {
      c.add(file, `${obj.kind}/${obj.metadata?.name}: schema: ${(err as Error).message}`);
    }
  }
}

function checkKustomizations(c: Collector, files: string[]): void {
  const kustomizations = files.filter((f) => path.basename(f) === 'kustomization.yaml');
  for (const k of kustomizations) {
    const [doc] = c.yamlDocs(k);
    const dir = path.dirname(k);
    for (const r of (doc?.resources ?? []) as string[]) c.expect(existsSync(path.join(c.root, dir, r)), k, `resource ${r} missing`);
    // Every manifest beside a kustomization is listed, except templates.
    const listed = new Set(((doc?.resources ?? []) as string[]).map((r) => path.normalize(path.join(dir, r))));
    for (const f of files.filter((f) => path.dirname(f) === dir && f !== k && !f.includes('.template.'))) {
      c.expect(listed.has(f), k, `${path.basename(f)} is not in resources`);
    }
    if (c.options.kubectl === false) continue;
    const kubectl = spawnSync('kubectl', ['kustomize', path.join(c.root, dir)], { encoding: 'utf8', timeout: 30_000 });
    if (kubectl.error) {
      if (!c.skipped.some((s) => s.startsWith('kubectl'))) c.skipped.push('kubectl kustomize: kubectl not installed');
      continue;
    }
    c.checks.push(`kubectl kustomize ${dir}`);
    if (kubectl.status !== 0) c.add(k, `kubectl kustomize failed: ${kubectl.stderr.trim()}`);
    else for (const d of YAML.parseAllDocuments(kubectl.stdout)) for (const e of d.errors) c.add(k, `kustomize output: ${e.message}`);
  }
}

export async function checkKubernetes(c: Collector): Promise<void> {
  const files = yamlFiles(c.root, K8S_DIR);
  c.expect(files.length > 0, K8S_DIR, 'no manifests');
  const objects: K8sObject[] = [];
  for (const file of files) {
    for (const obj of c.yamlDocs(file)) {
      if (!obj.apiVersion || !obj.kind) {
        c.add(file, 'a document without apiVersion/kind');
        continue;
      }
      if (obj.kind !== 'Kustomization') c.expect(obj.metadata?.name, file, `${obj.kind} without metadata.name`);
      objects.push({ file, obj });
    }
  }
  c.checks.push(`k8s: ${objects.length} objects in ${files.length} files: YAML + schemas (kubernetes-models)`);
  await checkSchemas(c, objects);
  const k8s = new K8sObjects(objects.filter((o) => o.obj.kind !== 'Kustomization'));
  checkConfigAndSecrets(c, k8s);
  checkServices(c, k8s);
  checkWorkloads(c, k8s);
  checkKeda(c, k8s);
  checkKustomizations(c, files);
}
