// The shapes of document input: the JSON API and the pages' forms.
import { z } from '../validation';
import { DOCUMENT_KINDS } from './index';
import { TEMPLATES } from './templates';

const title = z.string().trim().min(1).max(200);

export const createSchema = z.object({
	title,
	kind: z.enum(DOCUMENT_KINDS),
	owner: z.object({ kind: z.enum(['division', 'program']), id: z.uuid() }),
	template: z.enum(TEMPLATES).default('blank')
});

/** The create form sends the owner as one value, `division:<id>` or `program:<id>`. */
export const createFormSchema = z.object({
	title,
	kind: z.enum(DOCUMENT_KINDS),
	owner: z.string().regex(/^(division|program):[0-9a-f-]{36}$/i),
	template: z.enum(TEMPLATES).default('blank')
});

export const listSchema = z.object({
	q: z.string().trim().max(100).optional(),
	kind: z.enum(DOCUMENT_KINDS).or(z.literal('')).optional(),
	divisionId: z.uuid().or(z.literal('')).optional()
});

const body = z.string().trim().min(1).max(4000);

export const threadSchema = z.object({
	anchorStart: z.string().min(1).max(2000),
	anchorEnd: z.string().min(1).max(2000),
	quote: z.string().max(2000).default('').transform((q) => (q.length > 500 ? q.slice(0, 500) + '…' : q)),
	body
});

export const commentActionSchema = z.discriminatedUnion('action', [
	z.object({ action: z.literal('reply'), body }),
	z.object({ action: z.literal('resolve') }),
	z.object({ action: z.literal('reopen') })
]);

export const versionSchema = z.object({ name: z.string().trim().min(1).max(100) });

export const reopenSchema = z.object({ reason: z.string().trim().min(2).max(500) });

export const shareSchema = z.object({ userId: z.uuid(), access: z.enum(['view', 'comment', 'edit', 'none']) });

export const exportSchema = z.object({ format: z.enum(['md', 'docx']), version: z.uuid().optional() });
