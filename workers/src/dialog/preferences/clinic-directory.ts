import type { Logger } from '@medcita/shared';
import type { ClinicInfo, ClinicPort, ClinicSite, DoctorInfo } from '../../clinic/index.js';
import { fold } from './text.js';

/** Clinic information with the names patients use for doctors and sites, folded for matching. */
export interface Directory {
  info: ClinicInfo;
  doctors: { doctor: DoctorInfo; tokens: string[] }[];
  /** Each site with its folded names (aliases, city, name words), longest first. */
  sites: { site: ClinicSite; names: string[] }[];
}

// Words in a doctor's or clinic's name that say nothing about which one it is.
const TITLES = new Set(['dr', 'dra', 'lic', 'doctor', 'doctora', 'licenciada', 'licenciado', 'de', 'del', 'la', 'las', 'los', 'y']);
const GENERIC = new Set(['clinica', 'centro', 'medico', 'policlinico', 'hospital', 'de', 'la', 'el', 'del']);

export function buildDirectory(info: ClinicInfo): Directory {
  return {
    info,
    doctors: info.doctors.map((doctor) => ({
      doctor,
      tokens: fold(doctor.name)
        .split(' ')
        .filter((w) => w.length >= 3 && !TITLES.has(w)),
    })),
    sites: info.clinics.map((site) => {
      const places = [...site.aliases.map(fold), fold(site.city)];
      // "Guapay (Santa Cruz)": "guapay" names it, but "cruz" alone is a surname too.
      const placeWords = new Set(places.flatMap((p) => p.split(' ')));
      const nameWords = fold(site.name)
        .split(' ')
        .filter((w) => w.length >= 4 && !GENERIC.has(w) && !placeWords.has(w));
      const names = [...new Set([...places, ...nameWords].filter((n) => n.length >= 3))];
      return { site, names: names.sort((a, b) => b.length - a.length) };
    }),
  };
}

/**
 * The clinic's reference data, read through the port at most once per
 * `ttlMs` per process: it changes rarely, and the dialog needs it on many
 * turns (names in preferences, questions). An outage answers undefined; the
 * caller goes on without names (and an info question says "try later").
 */
export class ClinicDirectory {
  private cached: { at: number; directory: Directory } | undefined;
  private loading: Promise<Directory | undefined> | undefined;

  constructor(
    private readonly clinic: Pick<ClinicPort, 'clinicInfo'>,
    private readonly opts: { ttlMs?: number; clock?: () => number; logger?: Logger } = {},
  ) {}

  async get(): Promise<Directory | undefined> {
    const now = (this.opts.clock ?? Date.now)();
    if (this.cached && now - this.cached.at < (this.opts.ttlMs ?? 300_000)) return this.cached.directory;
    this.loading ??= this.clinic
      .clinicInfo()
      .then((info) => {
        const directory = buildDirectory(info);
        this.cached = { at: now, directory };
        return directory;
      })
      .catch((err: unknown) => {
        this.opts.logger?.warn({ err: (err as Error).message }, 'dialog: clinic information unavailable');
        return this.cached?.directory;
      })
      .finally(() => {
        this.loading = undefined;
      });
    return this.loading;
  }
}
