import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const V1_CPU = '/sys/fs/cgroup/cpu';
const V2 = '/sys/fs/cgroup';
/** The scheduler's accounting period: the quota is this many microseconds times the cores allowed. */
const PERIOD_US = 100_000;

/**
 * A fixed share of the machine's CPU for some processes, whatever else the machine runs: a cgroup
 * with a CPU quota (the `cpu` controller of cgroup v1, or cgroup v2). Adding a process moves all its
 * threads, and the threads it starts later belong to it too. Needs root.
 */
export class CpuShare {
  private constructor(private readonly dir: string) {}

  /** A new group allowed `cores` cores' worth of CPU time; fails, saying why, where the machine cannot. */
  static create(name: string, cores: number): CpuShare {
    if (!(cores > 0)) throw new Error(`A CPU share must be above 0 cores, not ${cores}`);
    const quota = Math.round(cores * PERIOD_US);
    try {
      if (existsSync(join(V1_CPU, 'cpu.cfs_quota_us'))) {
        const dir = join(V1_CPU, name);
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, 'cpu.cfs_period_us'), String(PERIOD_US));
        writeFileSync(join(dir, 'cpu.cfs_quota_us'), String(quota));
        return new CpuShare(dir);
      }
      if (readFileSync(join(V2, 'cgroup.controllers'), 'utf8').split(/\s+/).includes('cpu')) {
        writeFileSync(join(V2, 'cgroup.subtree_control'), '+cpu');
        const dir = join(V2, name);
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, 'cpu.max'), `${quota} ${PERIOD_US}`);
        return new CpuShare(dir);
      }
    } catch (error) {
      throw new Error(`Cannot give processes a share of the CPU (a cgroup with a quota, as root): ${(error as Error).message}`, {
        cause: error,
      });
    }
    throw new Error('Cannot give processes a share of the CPU: this machine has no cgroup cpu controller');
  }

  /** Moves a running process, with all its threads, into the share. */
  add(pid: number): void {
    writeFileSync(join(this.dir, 'cgroup.procs'), String(pid));
  }

  /** Removes the group; its processes must have ended. */
  remove(): void {
    rmdirSync(this.dir);
  }
}
