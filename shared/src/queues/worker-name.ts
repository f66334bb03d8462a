import { hostname } from 'node:os';

/**
 * The name every BullMQ worker of this process registers under (CLIENT
 * SETNAME), so Bull Board and `queue.getWorkers()` say which process holds a
 * connection instead of only its ip:port, and each job records it as
 * `processedBy`. In Kubernetes the hostname is the pod's name; the pid tells
 * apart processes on one host. Redis refuses client names with spaces.
 */
export const WORKER_NAME = `${hostname()}:${process.pid}`.replace(/\s/g, '-');
