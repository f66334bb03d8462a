// deploy/prometheus/prometheus.yml against docker-compose.yml: Prometheus
// must find the ingress and every worker replica through DNS, on the ports
// the services' environment gives them.
import path from 'node:path';
import type { Collector, Obj } from './collector.js';

export function checkPrometheusScrapes(
  c: Collector,
  prometheus: Obj | undefined,
  ports: { ingress: string | undefined; workers: string | undefined },
): void {
  const file = 'docker-compose.yml';
  const promMount = (prometheus?.volumes ?? []).map(String).find((v: string) => v.includes('prometheus.yml'));
  c.expect(promMount, file, 'prometheus: mounts deploy/prometheus/prometheus.yml');
  const [prom] = promMount ? c.yamlDocs(path.normalize(promMount.split(':')[0])) : [];
  if (prom) {
    const sd = (prom.scrape_configs ?? []).flatMap((j: Obj) => j.dns_sd_configs ?? []) as Obj[];
    const scrapes = (svc: string, port: string | undefined) =>
      sd.some((s) => (s.names ?? []).includes(svc) && String(s.port) === String(port));
    c.expect(scrapes('ingress', ports.ingress), 'deploy/prometheus/prometheus.yml', 'dns_sd_configs for service "ingress" on its PORT');
    c.expect(scrapes('workers', ports.workers), 'deploy/prometheus/prometheus.yml', 'dns_sd_configs for service "workers" on METRICS_PORT');
    c.expect(
      !(prom.scrape_configs ?? []).some((j: Obj) => j.job_name?.includes('workers') && j.static_configs),
      'deploy/prometheus/prometheus.yml',
      'workers must not be hand-listed targets',
    );
  }
}
