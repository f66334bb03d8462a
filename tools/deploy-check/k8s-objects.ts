// The Kubernetes objects of deploy/k8s, as the per-concern checks see them.
import type { Obj } from './collector.js';

export const K8S_DIR = 'deploy/k8s';
export const K8S_NAMESPACE = 'medcita';

export interface K8sObject {
  file: string;
  obj: Obj;
}

/** Lookups over one set of objects, shared by the checks that relate them. */
export class K8sObjects {
  constructor(readonly all: K8sObject[]) {}
  find(kind: string, name: string): K8sObject | undefined {
    return this.all.find((o) => o.obj.kind === kind && o.obj.metadata?.name === name);
  }
  ofKind(...kinds: string[]): K8sObject[] {
    return this.all.filter((o) => kinds.includes(String(o.obj.kind)));
  }
  /** The medcita-config ConfigMap's data: the services' environment in the cluster. */
  config(): Record<string, string> | undefined {
    return this.find('ConfigMap', 'medcita-config')?.obj.data as Record<string, string> | undefined;
  }
}

export const labelsMatch = (selector: Obj | undefined, labels: Obj | undefined) =>
  !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);
