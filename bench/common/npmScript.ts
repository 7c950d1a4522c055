import type { ProcessSupervisor } from './processSupervisor';

/**
 * Runs `npm run --silent <args>` to its end and returns the last line it printed on stdout (the repository's
 * scripts print their answer there: a slug…). A script that fails, prints nothing or outlasts `timeoutMs` throws
 * with its last output.
 */
export async function npmScriptLastLine(spec: { supervisor: ProcessSupervisor; root: string; env: NodeJS.ProcessEnv; args: string[]; timeoutMs: number }): Promise<string> {
  const proc = spec.supervisor.spawn({ name: spec.args[0] as string, command: 'npm', args: ['run', '--silent', ...spec.args], cwd: spec.root, env: spec.env });
  const lines: string[] = [];
  proc.onLine((line, stream) => {
    if (stream === 'stdout' && line.trim()) lines.push(line.trim());
  });
  const timer = setTimeout(() => void proc.stop(), spec.timeoutMs);
  const code = await proc.exited;
  clearTimeout(timer);
  const last = lines.at(-1);
  if (code !== 0 || !last) throw new Error(`npm run ${spec.args.join(' ')} failed (exit ${code}):\n${proc.tail()}`);
  return last;
}
