/** Value of one series in Prometheus text format (0 when absent). */
export function metricValue(text: string, series: string): number {
  const escaped = series.replace(/[{}()[\].*+?^$|\\]/g, '\\$&');
  const m = new RegExp(`^${escaped} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
}
