// The navigation each role sees. Pages guard themselves; this only decides what is offered.
import type { Principal } from './auth/principal';
import { roles } from './auth/principal';

import type { Me, NavItem } from '$lib/navigation';

export type { Me, NavItem, NavKey } from '$lib/navigation';

/** Features register their navigation entries here as they land. */
const entries: { item: NavItem; visible: (p: Principal) => boolean }[] = [
	{ item: { key: 'home', href: '/', group: 'main' }, visible: () => true },
	{ item: { key: 'my_applications', href: '/applications', group: 'main' }, visible: (p) => roles.isApplicant(p) && !roles.isInternal(p) },
	{ item: { key: 'my_hearings', href: '/hearings', group: 'main' }, visible: (p) => roles.isApplicant(p) && !roles.isInternal(p) },
	{ item: { key: 'calls', href: '/calls', group: 'main' }, visible: roles.isInternal },
	{ item: { key: 'applications', href: '/applications', group: 'main' }, visible: roles.isInternal },
	{ item: { key: 'reviews', href: '/reviews', group: 'main' }, visible: roles.isExpert },
	{ item: { key: 'meetings', href: '/meetings', group: 'main' }, visible: (p) => roles.isInternal(p) || roles.isExpert(p) },
	{ item: { key: 'experts', href: '/experts', group: 'main' }, visible: roles.isInternal },
	// Experts see the documents shared with them (and, later, their meetings' notes).
	{ item: { key: 'documents', href: '/documents', group: 'main' }, visible: (p) => roles.isInternal(p) || roles.isExpert(p) },
	{ item: { key: 'admin_users', href: '/admin/users', group: 'admin' }, visible: (p) => p.isAdmin },
	{ item: { key: 'admin_audit', href: '/admin/audit', group: 'admin' }, visible: (p) => p.isAdmin },
	{ item: { key: 'admin_mail', href: '/admin/mail', group: 'admin' }, visible: (p) => p.isAdmin }
];

export function navFor(p: Principal): NavItem[] {
	return entries.filter((e) => e.visible(p)).map((e) => e.item);
}

/** What the shell shows about the signed-in user. */
export function meSummary(p: Principal): Me {
	return {
		id: p.user.id,
		username: p.user.username,
		name: p.user.name,
		color: p.user.color,
		isAdmin: p.isAdmin,
		isExpert: roles.isExpert(p),
		isApplicant: roles.isApplicant(p),
		memberships: p.memberships.map((m) => ({ name: m.name, nameEn: m.nameEn, role: m.role }))
	};
}

