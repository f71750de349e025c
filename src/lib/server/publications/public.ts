// What the public sees of publications, without signing in: the list's frozen rows (number,
// project, organization, amount, mode), the period and, once final, the final list and its
// hash. Built only from the publication tables, which hold nothing about experts, scores,
// ballots or declined applications, so nothing of those can leak through these views.
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { calls, publicationRows, publications } from '$db/schema';
import type { DbOrTx } from '../db';

export interface PublicRow {
	id: string;
	position: number;
	label: string;
	title: string;
	organization: string;
	amount: string | null;
	fundingMode: string | null;
	outcome: string;
}

export interface PublicPublication {
	id: string;
	kind: string;
	title: string;
	notice: string;
	callTitle: string;
	callTitleEn: string;
	periodLength: number;
	periodUnit: string;
	startsAt: string;
	endsAt: string;
	status: 'open' | 'final';
	/** In the objection period right now. */
	accepting: boolean;
	finalizedAt: string | null;
	sha256: string | null;
	rows: PublicRow[];
}

async function load(db: DbOrTx, where: ReturnType<typeof eq> | undefined, now: Date): Promise<PublicPublication[]> {
	const pubs = await db
		.select({
			id: publications.id,
			kind: publications.kind,
			title: publications.title,
			notice: publications.notice,
			callTitle: calls.title,
			callTitleEn: calls.titleEn,
			periodLength: publications.periodLength,
			periodUnit: publications.periodUnit,
			startsAt: publications.startsAt,
			endsAt: publications.endsAt,
			status: publications.status,
			finalizedAt: publications.finalizedAt,
			sha256: publications.sha256,
			finalList: publications.finalList
		})
		.from(publications)
		.innerJoin(calls, eq(calls.id, publications.callId))
		.where(where)
		.orderBy(desc(publications.publishedAt));
	const ids = pubs.map((p) => p.id);
	const rows = ids.length ? await db.select().from(publicationRows).where(inArray(publicationRows.publicationId, ids)).orderBy(asc(publicationRows.position)) : [];
	return pubs.map((p) => {
		let mine = rows.filter((r) => r.publicationId === p.id);
		// A final list shows what was finalized: items an upheld objection took off are not on it.
		if (p.status === 'final' && p.finalList) {
			const kept = new Set(p.finalList.map((r) => Number(r.position)));
			mine = mine.filter((r) => kept.has(r.position));
		}
		return {
			id: p.id,
			kind: p.kind,
			title: p.title,
			notice: p.notice,
			callTitle: p.callTitle,
			callTitleEn: p.callTitleEn,
			periodLength: p.periodLength,
			periodUnit: p.periodUnit,
			startsAt: p.startsAt.toISOString(),
			endsAt: p.endsAt.toISOString(),
			status: p.status,
			accepting: p.status === 'open' && now >= p.startsAt && now < p.endsAt,
			finalizedAt: p.finalizedAt?.toISOString() ?? null,
			sha256: p.sha256,
			rows: mine.map((r) => ({ id: r.id, position: r.position, label: r.label, title: r.title, organization: r.organization, amount: r.amount, fundingMode: r.fundingMode, outcome: r.outcome }))
		};
	});
}

export function publicPublications(db: DbOrTx, now = new Date()): Promise<PublicPublication[]> {
	return load(db, undefined, now);
}

export async function publicPublication(db: DbOrTx, id: string, now = new Date()): Promise<PublicPublication | null> {
	return (await load(db, and(eq(publications.id, id)) as ReturnType<typeof eq>, now))[0] ?? null;
}
