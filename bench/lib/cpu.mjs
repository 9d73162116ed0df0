// CPU time of the browser this process launched, from Linux's /proc: unlike wall time it does not
// count waiting for a core, so it stays comparable on a machine whose cores are shared.

import { readdirSync, readFileSync } from 'node:fs';

const read = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return ''; // the process or thread has exited
  }
};

/** The parent pid, from /proc/PID/stat (after the parenthesised command name). */
function parentOf(pid) {
  const stat = read(`/proc/${pid}/stat`);
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/** Chromium processes descended from this one: [{ pid, type }] ('browser', 'renderer', …). */
export function browserProcesses() {
  const pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number);
  const children = new Map();
  for (const pid of pids) {
    const parent = parentOf(pid);
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(pid);
  }
  const found = [];
  const queue = [...(children.get(process.pid) ?? [])];
  while (queue.length) {
    const pid = queue.shift();
    queue.push(...(children.get(pid) ?? []));
    // Chromium rewrites its command line into one space-separated string.
    const command = read(`/proc/${pid}/cmdline`).replaceAll('\0', ' ');
    if (!/^\S*chrom/.test(command)) continue;
    found.push({ pid, type: command.match(/ --type=(\S+)/)?.[1] ?? 'browser' });
  }
  return found;
}

/** A thread's CPU time in ms (the first field of schedstat is nanoseconds on a CPU). */
const threadMs = (pid, tid) => Number(read(`/proc/${pid}/task/${tid}/schedstat`).split(' ')[0] || 0) / 1e6;

function processMs(pid) {
  let tids = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return 0;
  }
  return tids.reduce((sum, tid) => sum + threadMs(pid, tid), 0);
}

/** CPU ms so far: every process of the browser, and the renderers' main threads. */
export function cpuTime(processes) {
  let all = 0;
  let main = 0;
  for (const { pid, type } of processes) {
    all += processMs(pid);
    if (type === 'renderer') main += threadMs(pid, pid);
  }
  return { all, main };
}
