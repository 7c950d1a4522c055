import fs from 'node:fs';

export interface TreeProcess {
  pid: number;
  command: string;
  rssKiB: number;
  /** Proportional set size: shared pages divided among the processes sharing them, so a sum does not count them twice. */
  pssKiB: number;
}

function read(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined; // the process ended meanwhile
  }
}

function parentOf(pid: number): number | undefined {
  const stat = read(`/proc/${pid}/stat`);
  // The command name (field 2) may hold spaces and parentheses: the parent pid follows the last ')'.
  const after = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
  return after ? Number(after[1]) : undefined;
}

function kib(text: string | undefined, key: string): number {
  return Number(new RegExp(`^${key}:\\s+(\\d+) kB$`, 'm').exec(text ?? '')?.[1] ?? 0);
}

/** The process and all its descendants, from /proc (Linux). */
export function processTree(root: number): TreeProcess[] {
  const pids = fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
  const children = new Map<number, number[]>();
  for (const pid of pids) {
    const parent = parentOf(pid);
    if (parent !== undefined) children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const tree: TreeProcess[] = [];
  const visit = (pid: number) => {
    const command = read(`/proc/${pid}/cmdline`)?.split('\0').filter(Boolean).join(' ');
    if (command === undefined) return;
    tree.push({ pid, command, rssKiB: kib(read(`/proc/${pid}/status`), 'VmRSS'), pssKiB: kib(read(`/proc/${pid}/smaps_rollup`), 'Pss') });
    for (const child of children.get(pid) ?? []) visit(child);
  };
  visit(root);
  return tree;
}
