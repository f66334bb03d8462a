import type { ClinicPort } from '../clinic/index.js';
import type { HandoffPort } from '../dialog/index.js';
import { HandoffReason } from '@medcita/shared';
import type { Nlu } from '../nlu/index.js';
import type { WorkerMetrics } from './worker-metrics.js';

/**
 * Metrics by decoration at the ports: the dialog stays free of prom-client,
 * and a booking is counted exactly when the clinic confirms one.
 */
export function instrumentClinic(clinic: ClinicPort, metrics: WorkerMetrics): ClinicPort {
  return new Proxy(clinic, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (prop === 'book') {
        return async (...args: Parameters<ClinicPort['book']>) => {
          const result = await target.book(...args);
          if (result.ok) metrics.bookings.inc();
          return result;
        };
      }
      if (prop === 'cancelAppointment') {
        return async (...args: Parameters<ClinicPort['cancelAppointment']>) => {
          const result = await target.cancelAppointment(...args);
          if (result.ok) metrics.cancellations.inc();
          return result;
        };
      }
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

export function instrumentHandoff<H extends HandoffPort>(handoff: H, metrics: WorkerMetrics): H {
  const flag = handoff.flag.bind(handoff);
  return Object.assign(Object.create(handoff) as H, {
    flag: async (...args: Parameters<HandoffPort['flag']>) => {
      const flagged = await flag(...args);
      const reason = args[1];
      if (flagged) metrics.handoffs.inc({ reason: (Object.values(HandoffReason) as string[]).includes(reason) ? reason : 'other' });
      return flagged;
    },
  });
}

export function instrumentNlu(nlu: Nlu, metrics: WorkerMetrics): Nlu {
  const understand = nlu.understand.bind(nlu);
  return Object.assign(Object.create(nlu) as Nlu, {
    understand: async (...args: Parameters<Nlu['understand']>) => {
      const end = metrics.nluDuration.startTimer();
      try {
        return await understand(...args);
      } finally {
        end();
      }
    },
  });
}
