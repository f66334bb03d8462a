/**
 * The builtin store's keys are spelled in the fleet's key catalogue
 * (`@medcita/shared`, redis/keys.ts). Every key starts with one prefix that
 * carries a `{hash tag}`, so the whole demo store lives in one Redis Cluster
 * slot and any Lua script may touch any of its keys. That caps the store at
 * one shard's throughput, which is far more than a demo clinic needs; a real
 * clinic uses the http adapter.
 */
export { clinicKeys, DEFAULT_CLINIC_KEY_PREFIX as DEFAULT_KEY_PREFIX, type ClinicKeys } from '@medcita/shared';
