// CPU time per thread of this process, from /proc/self/task (Linux): the main thread, the threads started while
// sampling (the verify workers), and the threads that were already running (V8's platform threads — concurrent
// marking, parallel scavenges, background compilation — and libuv's pool). process.cpuUsage() only gives their sum,
// which hides where an import's CPU goes. A thread's counters vanish when it exits, so they are sampled until stop().

import { existsSync, readdirSync, readFileSync } from 'node:fs';

export interface ThreadCpu {
  mainMs: number;
  /** Threads that appeared after the sampler started. */
  newThreadsMs: number;
  /** Other threads that were already running when it started. */
  runtimeThreadsMs: number;
}

const TICK_MS = 1000 / 100; // USER_HZ: /proc reports utime and stime in clock ticks of 10 ms

function readThreads(): Map<number, number> {
  const ms = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from the 3rd (state) on
      ms.set(Number(tid), (Number(fields[11]) + Number(fields[12])) * TICK_MS); // utime, stime
    } catch {
      // the thread exited between listing and reading; its last sample stands
    }
  }
  return ms;
}

/** Null where /proc/self/task is not available. */
export function startThreadCpuSampler(intervalMs = 100): { stop(): ThreadCpu } | null {
  if (!existsSync('/proc/self/task')) return null;
  const before = readThreads();
  const latest = new Map(before);
  const sample = () => {
    for (const [tid, ms] of readThreads()) latest.set(tid, ms);
  };
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      const result: ThreadCpu = { mainMs: 0, newThreadsMs: 0, runtimeThreadsMs: 0 };
      for (const [tid, ms] of latest) {
        const used = ms - (before.get(tid) ?? 0);
        if (tid === process.pid) result.mainMs += used;
        else if (before.has(tid)) result.runtimeThreadsMs += used;
        else result.newThreadsMs += used;
      }
      return result;
    },
  };
}

/** `main 350 µs, verify workers 520 µs, V8/runtime threads 90 µs` per item. */
export function describeThreadCpu(cpu: ThreadCpu | undefined, items: number, newThreadsLabel = 'verify workers'): string {
  if (cpu === undefined) return 'CPU per thread: not available here';
  const per = (ms: number) => `${((ms * 1000) / items).toFixed(0)} µs`;
  return `CPU per declaration by thread: main ${per(cpu.mainMs)}, ${newThreadsLabel} ${per(cpu.newThreadsMs)}, V8/runtime threads ${per(cpu.runtimeThreadsMs)}`;
}
