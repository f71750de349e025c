// Small factories for document tests: a division, a document owned by it, updates made by a
// throwaway Yjs client.
import * as Y from 'yjs';
import { divisions, documents } from '../../db/schema';
import type { DbOrTx } from '../../src/lib/server/db';

let n = 0;

export async function makeDivision(db: DbOrTx, name = '测试处'): Promise<string> {
	n++;
	const [d] = await db
		.insert(divisions)
		.values({ code: `test-${Date.now().toString(36)}-${n}`, name: `${name}${n}`, nameEn: `Test division ${n}` })
		.returning({ id: divisions.id });
	return d.id;
}

export async function makeDocument(db: DbOrTx, values: Partial<typeof documents.$inferInsert> = {}): Promise<string> {
	const divisionId = values.divisionId ?? (values.ownerKind && values.ownerKind !== 'division' ? null : await makeDivision(db));
	const [doc] = await db
		.insert(documents)
		.values({ title: '测试文档', kind: 'notes', ownerKind: 'division', divisionId, ...values })
		.returning({ id: documents.id });
	return doc.id;
}

/** A Yjs client that records each of its changes as an update. */
export class Writer {
	doc = new Y.Doc();
	updates: Uint8Array[] = [];
	constructor() {
		this.doc.on('update', (u: Uint8Array) => this.updates.push(u));
	}
	get text(): Y.Text {
		return this.doc.getText('t');
	}
	type(s: string, at = this.text.length): Uint8Array {
		this.text.insert(at, s);
		return this.updates[this.updates.length - 1];
	}
}
