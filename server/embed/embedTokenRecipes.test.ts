import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { verifyEmbedToken } from '../../lib/domain/embedToken';

/**
 * docs/embed.md shows hosts how to make a token: with `npm run embed-token`, and without our code
 * with openssl, on a Node server, in Python. Each, run as printed, must make a token the server takes.
 */
const DOC = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'embed.md'), 'utf8');
const SECRET = 'docs-secret-docs-secret-docs-secret-docs';
const CLAIMS = { slug: 'council-bridge-vote', title: 'Council approves the new bridge', url: 'https://news.example.com/2026/11/council-bridge-vote' };

function block(language: string, containing: string): string {
  const found = [...DOC.matchAll(new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\`$`, 'gm'))].map((m) => m[1]!).find((code) => code.includes(containing));
  assert.ok(found, `docs/embed.md has a ${language} block with ${containing}`);
  return found;
}

function assertOpens(token: string, title = CLAIMS.title): void {
  assert.deepEqual(verifyEmbedToken({ token: token.trim(), secret: SECRET, slug: CLAIMS.slug, nowMs: Date.now() }), { ok: true, claims: { ...CLAIMS, title } });
}

function run(command: string, args: string[], input?: string, env: NodeJS.ProcessEnv = process.env): string {
  const result = spawnSync(command, args, { input, encoding: 'utf8', env });
  assert.equal(result.error, undefined, `${command} must be installed to check the recipe: ${String(result.error)}`);
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

test('the openssl recipe makes a token the server takes', () => {
  const script = block('sh', 'openssl dgst').replace("secret='…'", `secret='${SECRET}'`);
  assertOpens(run('bash', ['-c', script]));
});

test('the Node snippet makes a token the server takes', async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-doc-')), 'embedToken.mjs');
  fs.writeFileSync(file, block('js', 'createHmac'));
  const { embedToken } = (await import(pathToFileURL(file).href)) as { embedToken: (claims: typeof CLAIMS, secret: string) => string };
  assertOpens(embedToken(CLAIMS, SECRET));
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
});

test('the Python snippet makes a token the server takes, a title outside ASCII included', () => {
  const call = `\nprint(embed_token(${JSON.stringify(CLAIMS.slug)}, "Grüße: the council's bridge", ${JSON.stringify(CLAIMS.url)}, ${JSON.stringify(SECRET)}))\n`;
  assertOpens(run('python3', ['-'], block('python', 'def embed_token') + call), "Grüße: the council's bridge");
});

test('npm run embed-token makes a token the server takes; bad arguments or no EMBED_SECRET say what is wrong', () => {
  const script = path.join(__dirname, '..', '..', 'scripts', 'embedToken.ts');
  const env = { ...process.env, EMBED_SECRET: SECRET };
  const args = ['--import', 'tsx', script, '--slug', CLAIMS.slug, '--title', CLAIMS.title, '--url', `${CLAIMS.url}#comments`];
  assertOpens(run(process.execPath, args, undefined, env).trim().split('\n').at(-1)!);

  const bad = spawnSync(process.execPath, ['--import', 'tsx', script, '--slug', 'Not A Slug', '--url', 'ftp://x', '--expires', '2001-01-01T00:00:00Z'], { encoding: 'utf8', env });
  assert.equal(bad.status, 2);
  for (const field of ['--slug', '--title: is required', '--url: must be an absolute http or https address', '--expires: must be in the future']) assert.match(bad.stderr, new RegExp(field));
  const unset = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, EMBED_SECRET: '' } });
  assert.equal(unset.status, 2);
  assert.match(unset.stderr, /EMBED_SECRET: not set/);
});
