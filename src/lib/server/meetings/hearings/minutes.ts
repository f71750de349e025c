// The hearings' part of the minutes (会议纪要), drafted with them at the close: for each hearing,
// who attended for the applicant (checked in by whom, when, how), when the presentation and the
// questions began and ended, and the questions the experts submitted. Chinese: it is the record.
import { inArray } from 'drizzle-orm';
import { users } from '$db/schema';
import type { DbOrTx } from '../../db';
import { h, p, table, ul } from '../../documents/templates';
import { hearingsOfMeeting, questionsOf, representativesOf } from './queries';

type Block = ReturnType<typeof p>;

const ID_ZH: Record<string, string> = { idCard: '居民身份证', passport: '护照', hkMacauPass: '港澳居民来往内地通行证', other: '其他证件' };
const beijing = (d: Date | null) =>
	d ? d.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }) : '—';

/** The minutes' hearing section, or nothing when the meeting had no hearing. */
export async function hearingMinutesBlocks(db: DbOrTx, meetingId: string, closedAt: Date): Promise<Block[]> {
	const all = await hearingsOfMeeting(db, meetingId);
	if (all.length === 0) return [];
	const ids = all.map((x) => x.hearing.itemId);
	const [reps, questions] = await Promise.all([representativesOf(db, ids), questionsOf(db, ids)]);
	const checkers = [...new Set(reps.map((r) => r.checkedInBy).filter((x): x is string => !!x))];
	const people = checkers.length ? await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, checkers)) : [];
	const name = (id: string | null) => people.find((u) => u.id === id)?.name ?? '—';
	const out: Block[] = [h(2, '答辩记录')];
	for (const { hearing: hr, position, number, title } of all) {
		// A hearing still running when the meeting closed ends with it.
		const end = hr.endedAt ?? (hr.presentationStartedAt || hr.questionsStartedAt ? closedAt : null);
		const presentationEnd = hr.presentationStartedAt ? (hr.questionsStartedAt ?? end) : null;
		const attended = reps.filter((r) => r.itemId === hr.itemId && r.checkedInAt);
		const asked = questions.filter((q) => q.itemId === hr.itemId);
		out.push(
			h(3, `${position}. ${number} ${title}`),
			ul(
				`答辩安排：${beijing(hr.scheduledAt)}；陈述不超过 ${hr.presentationMinutes} 分钟，提问 ${hr.questionMinutes} 分钟；每项目最多 ${hr.maxRepresentatives} 人参加`,
				`陈述：${hr.presentationStartedAt ? `${beijing(hr.presentationStartedAt)} 至 ${beijing(presentationEnd)}` : '未进行'}`,
				`提问：${hr.questionsStartedAt ? `${beijing(hr.questionsStartedAt)} 至 ${beijing(end)}` : '未进行'}`,
				`答辩结束：${beijing(end)}`
			),
			attended.length
				? table(
						['申报单位出席人员', '职务', '签到时间', '身份核验', '核验人'],
						...attended.map((r) => [
							r.name,
							r.position || '—',
							beijing(r.checkedInAt),
							r.checkMethod === 'document' ? `${ID_ZH[r.idType ?? ''] ?? r.idType}（末四位 ${r.idLast4}）` : '当面确认',
							name(r.checkedInBy)
						])
					)
				: p('申报单位出席人员：无（未签到）'),
			p(`专家提问（会前提交，共 ${asked.length} 个）：`),
			asked.length ? ul(...asked.map((q) => `${q.body}（${q.authorName}）`)) : p('—')
		);
	}
	return out;
}
