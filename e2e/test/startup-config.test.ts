/** Invalid configuration: each service refuses to start and names every bad variable. */
import { execFile } from 'node:child_process';
import { REPO_ROOT } from '@medcita/testkit';

function start(entry: string, env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(WHATSAPP_|REDIS_|PORT$|METRICS_PORT$)/.test(k)));
    execFile(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', entry],
      { cwd: REPO_ROOT, env: { ...clean, ...env }, timeout: 30_000 },
      (err, _out, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stderr }),
    );
  });
}

describe('start-up configuration', () => {
  it('the ingress exits 1 naming the missing secrets and the malformed port', async () => {
    const { code, stderr } = await start('ingress/src/main.ts', { PORT: 'http' });
    expect(code).toBe(1);
    expect(stderr).toContain('ingress: refusing to start');
    for (const v of ['WHATSAPP_APP_SECRET is required', 'WHATSAPP_VERIFY_TOKEN is required', 'PORT must be an integer'])
      expect(stderr).toContain(v);
  });

  it('a worker exits 1 naming a bad Redis URL, a bad choice and the missing token', async () => {
    const { code, stderr } = await start('workers/src/main.ts', { REDIS_URL: 'http://localhost', CLINIC_BACKEND: 'sql' });
    expect(code).toBe(1);
    expect(stderr).toContain('worker: refusing to start');
    for (const v of [
      'REDIS_URL must use redis: or rediss:',
      'CLINIC_BACKEND must be one of builtin, http',
      'WHATSAPP_ACCESS_TOKEN is required',
    ]) {
      expect(stderr).toContain(v);
    }
  });

  it('a bad tracing variable is named with the others, before any OpenTelemetry code loads', async () => {
    const { code, stderr } = await start('workers/src/main.ts', {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://collector:4317',
      OTEL_TRACES_SAMPLER_ARG: '2',
    });
    expect(code).toBe(1);
    expect(stderr).toContain('worker: refusing to start');
    for (const v of [
      'OTEL_EXPORTER_OTLP_ENDPOINT must use http: or https:',
      'OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1',
      'WHATSAPP_ACCESS_TOKEN is required',
    ]) {
      expect(stderr).toContain(v);
    }
  });
});
