// Diagnostic: runs one load scenario against Panelroom started with --cpu-prof and prints
// where the server spent its CPU. Not part of the benchmark's figures.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPostgresDatabase } from '../../tests/helpers/db';
import { freePort } from '../../tests/helpers/server';
import { connect, login, allSynced, root, until } from './lib';
import { addTextParagraph, appendMarker, FRAGMENT, lastParagraphText } from './content';

const [docs, perRoom, rate] = (process.argv[2] ?? '1,50,4').split(',').map(Number);
const created = await createPostgresDatabase('pr_prof');
const port = await freePort();
const profDir = fs.mkdtempSync(path.join(os.tmpdir(), 'prof-'));
const child = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${profDir}`, 'server.js'], {
	cwd: root,
	env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: created.url, PANELROOM_DEMO: '1', PANELROOM_QUIET: '1', LOG_LEVEL: 'warn' },
	stdio: 'inherit'
});
const url = `http://127.0.0.1:${port}`;
for (;;) {
	try {
		if ((await fetch(url + '/healthz')).ok) break;
	} catch {
		/* */
	}
	await new Promise((r) => setTimeout(r, 200));
}
const cookie = await login(url, 'planner');
const list = (await (await fetch(`${url}/api/documents`, { headers: { cookie } })).json()) as { documents: { owner: { kind: string; id: string } }[] };
const divisionId = list.documents.find((d) => d.owner.kind === 'division')!.owner.id;
const ids: string[] = [];
for (let i = 0; i < docs; i++) {
	const res = await fetch(`${url}/api/documents`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ title: 'p', kind: 'notes', owner: { kind: 'division', id: divisionId } }) });
	ids.push(((await res.json()) as { id: string }).id);
}
process.setMaxListeners(0);
const clients = ids.flatMap((id) => Array.from({ length: perRoom }, () => connect(url, id, cookie)));
await allSynced(clients);
// The editor's shape, as run.ts writes it (content.ts): one text paragraph per room, typed into,
// and a marker paragraph per edit.
for (let r = 0; r < docs; r++) clients[r * perRoom].doc.transact(() => addTextParagraph(clients[r * perRoom].doc));
const length = (i: number) => clients[Math.floor(i / perRoom) * perRoom].doc.getXmlFragment(FRAGMENT).length;
await until(() => clients.every((c, i) => c.doc.getXmlFragment(FRAGMENT).length === length(i)), 60_000, 'the text paragraph');
const texts = clients.map((c) => lastParagraphText(c.doc)!);
const timers = clients.map((c, i) => setInterval(() => c.doc.transact(() => { const t = texts[i]; if (t.length > 3000) t.delete(0, 50); t.insert(Math.floor(Math.random() * t.length), 'abc'); appendMarker(c.doc, 'x'); }), 1000 / rate));
await new Promise((r) => setTimeout(r, 10_000));
for (const t of timers) clearInterval(t);
for (const c of clients) c.destroy();
await new Promise((r) => { child.once('exit', r); child.kill('SIGTERM'); });
await created.drop();
const file = fs.readdirSync(profDir).map((f) => path.join(profDir, f))[0];
const prof = JSON.parse(fs.readFileSync(file, 'utf8')) as { nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[]; samples: number[]; timeDeltas: number[] };
const self = new Map<number, number>();
prof.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0)));
const byFn = new Map<string, number>();
for (const n of prof.nodes) {
	const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/node_modules/').pop()?.split('/').slice(0, 2).join('/') ?? ''}:${n.callFrame.lineNumber}`;
	byFn.set(key, (byFn.get(key) ?? 0) + (self.get(n.id) ?? 0));
}
const total = [...byFn.values()].reduce((a, b) => a + b, 0);
for (const [k, v] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(((v / total) * 100).toFixed(1).padStart(5) + '%', (v / 1000).toFixed(0).padStart(6) + 'ms', k);
