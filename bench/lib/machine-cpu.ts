import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/**
 * CPU time the whole machine has spent busy so far, in ms over all cores (user, nice, system and
 * interrupts; idle and time stolen by the hypervisor left out). Two readings around a measured
 * window give what every process on the machine used for it: the contender, its load generator
 * and its database alike, so contenders are compared by the same count.
 */
function machineBusyMs(): number {
  return cpus().reduce((sum, { times }) => sum + times.user + times.nice + times.sys + times.irq, 0);
}

/** Linux counts a process's CPU time in ticks of 1/100 s (USER_HZ, fixed by the kernel's ABI). */
const MS_PER_TICK = 10;

/**
 * CPU time so far, in ms, of the processes named `comm` (the database's: `postgres`), with that of
 * their children already ended: a database connection closed during the window takes its time into
 * the server's count of ended children instead of out of the sum.
 */
function processesCpuMs(comm: string): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    } catch {
      continue; // gone since the listing
    }
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    if (name !== comm) continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]); // utime, stime, cutime, cstime
  }
  return ticks * MS_PER_TICK;
}

/** Where a measured window's CPU went, in ms: the machine in all, and the parts that are not the contender's. */
export interface CpuSplit {
  readonly machineMs: number;
  readonly loadGeneratorMs: number;
  readonly databaseMs: number;
}

/** Starts counting; the returned function gives the split since then, this process's CPU as the load generator's. */
export function startCpuCount(): () => CpuSplit {
  const machine = machineBusyMs();
  const own = process.cpuUsage();
  const database = processesCpuMs('postgres');
  return () => {
    const used = process.cpuUsage(own);
    return {
      machineMs: machineBusyMs() - machine,
      loadGeneratorMs: (used.user + used.system) / 1000,
      databaseMs: processesCpuMs('postgres') - database,
    };
  };
}
