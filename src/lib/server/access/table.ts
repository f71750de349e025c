// Who may reach what: one declarative table of Panelroom's access policy, by role, over every
// page, form action, endpoint, Socket.IO event and document kind. The guards live where they
// act (auth/guards.ts, each domain's access module, the meeting room, the collaboration
// server); this table is what they must add up to. tests/integration/access-matrix.test.ts
// reads it and, against the real server with the demo data, exercises every cell: each deny
// must be refused on its channel (and change nothing), each allow must answer.
//
// Targets name demo objects in braces, resolved by the suite from the demo database:
//   {user}      expert1's user account          {expert}   expert1's expert record
//   {call}      the 2026 Innovation Fund call   {meeting}  the demo panel meeting
//   {draft}     applicant1's draft application  {foreign}  IF2026-0002, another firm's, on the agenda
//   {review}    expert1's review assignment     {plan}     the center's annual plan (Planning Division)
//   {guideline} the call's guideline (a program document)
//   {notes}     the meeting notes of agenda item 2, IF2026-0004, from which expert6 is recused
//   {item2}     that agenda item              {planVersion} the plan's first version
//   {attachment} a PDF attached to {foreign}  {run}      an assignment run of {call}
//   {hearing}   the demo hearing (agenda item of IF2026-0002, applicant2's)
//   {publication} the call's published list (公示), open  {objection} its pending objection
//   {objectionFile} the evidence attached to {objection}

/** The people the table speaks about, each played by a demo account. */
export const ACTORS = {
	anonymous: null,
	/** An applicant enterprise (owns {draft}, not {foreign}). */
	applicant: 'applicant1',
	/** An expert in the pool who is not on the meeting's panel. */
	outsider: 'expert7',
	/** An expert member of the panel. */
	member: 'expert1',
	/** A panel member recused from agenda item 2. */
	recused: 'expert6',
	/** The panel's chair (an expert). */
	chair: 'chair',
	/** Fund Intake staff, the meeting's secretary and organizer. */
	secretary: 'intake',
	/** A division head elsewhere in the center (Planning Division). */
	planner: 'planner',
	admin: 'admin'
} as const;

export type Actor = keyof typeof ACTORS;
export const ALL_ACTORS = Object.keys(ACTORS) as Actor[];

export type Channel = 'page' | 'action' | 'endpoint' | 'socket' | 'document';

export interface Rule {
	channel: Channel;
	/**
	 * page: a path (GET). action: `path?/name` (POST, as the enhanced form sends it).
	 * endpoint: `METHOD path`. socket: a client event, optionally `event@{item2}`.
	 * document: a document placeholder; its channels are the editor page, print, the JSON
	 * API, the export and the /collab WebSocket.
	 */
	target: string;
	allow: readonly Actor[];
	/** Why, where it is not obvious. */
	why?: string;
}

const signedIn: Actor[] = ALL_ACTORS.filter((a) => a !== 'anonymous');
const internal: Actor[] = ['secretary', 'planner', 'admin'];
/** Staff of the call's managing division (Fund Intake) and admins: the planner is internal but elsewhere. */
const callStaff: Actor[] = ['secretary', 'admin'];
const experts: Actor[] = ['outsider', 'member', 'recused', 'chair'];
const panel: Actor[] = ['member', 'recused', 'chair', 'secretary'];

const page = (target: string, allow: readonly Actor[], why?: string): Rule => ({ channel: 'page', target, allow, why });
const action = (target: string, allow: readonly Actor[], why?: string): Rule => ({ channel: 'action', target, allow, why });
const endpoint = (target: string, allow: readonly Actor[], why?: string): Rule => ({ channel: 'endpoint', target, allow, why });
const socket = (target: string, allow: readonly Actor[], why?: string): Rule => ({ channel: 'socket', target, allow, why });
const document = (target: string, allow: readonly Actor[], why?: string): Rule => ({ channel: 'document', target, allow, why });

export const ACCESS_TABLE: readonly Rule[] = [
	// ---- pages -------------------------------------------------------------------------
	page('/', signedIn),
	page('/account', signedIn),
	page('/documents', signedIn),
	page('/admin/users', ['admin']),
	page('/admin/users/new', ['admin']),
	page('/admin/users/{user}', ['admin']),
	page('/admin/audit', ['admin']),
	page('/applications', ['applicant', ...internal], 'an applicant sees only its own'),
	page('/applications/new', ['applicant']),
	page('/opinions/{item2}', ['member', 'chair', 'secretary', 'admin'], 'the panel opinion of item 2: its non-recused members and the call’s staff; never the recused, applicants or other divisions'),
	page('/dossier/verify', internal),
	page('/applications/import', callStaff),
	page('/applications/{draft}', ['applicant'], 'a draft is the enterprise’s own until submitted'),
	page('/applications/{foreign}', callStaff),
	page('/calls', internal),
	page('/calls/new', internal),
	page('/calls/{call}', callStaff),
	page('/calls/{call}/edit', callStaff),
	page('/calls/{call}/assignments', callStaff),
	page('/calls/{call}/dashboard', callStaff),
	page('/experts', internal),
	page('/experts/new', internal),
	page('/experts/import', internal),
	page('/experts/{expert}', internal),
	page('/meetings', [...experts, ...internal]),
	page('/meetings/new', callStaff),
	page('/meetings/{meeting}', [...panel, 'admin']),
	page('/meetings/{meeting}/edit', ['secretary', 'admin'], 'the organizer’s division and admins'),
	page('/meetings/{meeting}/room', [...panel, 'admin'], 'admins watch as listed guests'),
	page('/reviews', experts),
	page('/reviews/profile', experts),
	page('/notifications', signedIn, 'each person’s own inbox'),
	page('/account/notifications', signedIn),
	page('/admin/mail', ['admin']),
	page('/calls/{call}/extensions', callStaff),
	page('/reviews/{review}', ['member'], 'only the assigned expert'),
	page('/meetings/{meeting}/hearings', ['member', 'recused', 'chair', 'secretary', 'admin'], 'organizers and the secretary check in; experts question the hearings they are not recused from'),
	page('/hearings', ['applicant'], 'an applicant’s own hearings'),
	page('/hearings/{hearing}', [], 'only the item’s own applicant (applicant2, not an actor here): applicant1 is another firm'),
	page('/documents/{plan}/versions/{planVersion}', ['planner', 'admin']),
	page('/public/publications', ALL_ACTORS, 'the public notices: no sign-in'),
	page('/public/publications/{publication}', ALL_ACTORS),
	page('/public/objections', ALL_ACTORS, 'an objector follows their objection by receipt code'),
	page('/calls/{call}/publication', callStaff, 'the objectors’ identities: the call’s division and admins only'),

	// ---- form actions (every deny is sent; allows are exercised by the domain suites) ----
	action('/admin/users/{user}?/deactivate', ['admin']),
	action('/admin/users/{user}?/resetPassword', ['admin']),
	action('/admin/users/new?/save', ['admin']),
	action('/admin/audit?/verify', ['admin']),
	action('/applications/{draft}?/submit', ['applicant']),
	action('/applications/{draft}?/withdraw', ['applicant']),
	action('/applications/{foreign}?/accept', callStaff),
	action('/applications/{foreign}?/reject', callStaff),
	action('/applications?/bulkAccept', internal),
	action('/applications/import?/preview', callStaff),
	action('/applications/new', ['applicant']),
	action('/calls/new?/save', internal),
	action('/calls/{call}/edit?/save', callStaff),
	action('/calls/{call}/assignments?/draw', callStaff),
	action('/calls/{call}/assignments?/add', callStaff),
	action('/experts/new?/save', internal),
	action('/experts/{expert}?/save', internal),
	action('/experts/{expert}?/conflict', internal),
	action('/experts/import?/preview', internal),
	action('/meetings/new', callStaff),
	action('/meetings/{meeting}/edit?/details', ['secretary', 'admin']),
	action('/meetings/{meeting}/edit?/members', ['secretary', 'admin']),
	action('/meetings/{meeting}/edit?/delete', ['secretary', 'admin']),
	action('/reviews/{review}?/decline', ['member']),
	action('/reviews/profile?/save', experts),
	action('/account?/password', signedIn),
	action('/notifications?/readAll', signedIn, 'marks only the person’s own'),
	action('/account/notifications', signedIn),
	action('/admin/mail?/retry', ['admin']),
	action('/calls/{call}/dashboard?/remind', callStaff),
	action('/calls/{call}/extensions?/extend', callStaff, 'review extensions: the call’s division only'),
	action('/calls/{call}/publication?/preview', callStaff),
	action('/calls/{call}/publication?/publish', callStaff),
	action('/calls/{call}/publication?/acknowledge', callStaff),
	action('/calls/{call}/publication?/note', callStaff),
	action('/calls/{call}/publication?/decide', callStaff),
	action('/calls/{call}/publication?/finalize', callStaff),

	// ---- endpoints ----------------------------------------------------------------------
	endpoint('GET /api/me', signedIn),
	endpoint('GET /api/documents', signedIn),
	endpoint('GET /api/calls', signedIn, 'each sees the calls of their own programs and the open ones'),
	endpoint('GET /api/calls/{call}/results', callStaff, 'scores: the call’s staff only; experts and applicants 403, other staff 404'),
	endpoint('PUT /api/applications/{draft}', ['applicant']),
	endpoint('PUT /api/applications/{foreign}', [], 'nobody edits a submitted application of another firm'),
	endpoint('GET /applications/export?format=csv', ['applicant', ...internal], 'each sees only its own rows'),
	endpoint('GET /applications/import/template', internal),
	endpoint('GET /calls/export?format=csv', internal),
	endpoint('GET /calls/{call}/assignments/export?format=csv', callStaff),
	endpoint('GET /calls/{call}/dashboard/export?format=csv', callStaff),
	endpoint('GET /experts/export?format=csv', internal),
	endpoint('GET /experts/import/template', internal),
	endpoint('GET /reviews/export?format=csv', experts),
	endpoint('GET /admin/audit/export?format=csv', ['admin']),
	endpoint('GET /applications/{foreign}/attachments/{attachment}', [...callStaff, 'member', 'chair'], 'and the experts assigned to review it (expert1 and the chair)'),
	endpoint('GET /calls/{call}/assignments/runs/{run}', callStaff),
	endpoint('GET /applications/{foreign}/dossier', [], 'no dossier before a decision (404 to all); a decided one goes to the owning division and admins only: opinions-http.test.ts'),
	endpoint('GET /api/documents/{plan}/comments', ['planner', 'admin']),
	endpoint('POST /api/documents/{plan}/comments', ['planner', 'admin']),
	endpoint('GET /api/documents/{plan}/shares', ['planner', 'admin']),
	endpoint('POST /api/documents/{plan}/shares', ['planner', 'admin']),
	endpoint('GET /api/documents/{plan}/versions', ['planner', 'admin']),
	endpoint('POST /api/documents/{plan}/versions', ['planner', 'admin']),
	endpoint('POST /api/documents/{plan}/versions/{planVersion}/restore', ['planner', 'admin']),
	endpoint('POST /api/documents/{plan}/lock', ['planner', 'admin'], 'the division’s head or deputy'),
	endpoint('POST /api/documents/{plan}/reopen', ['admin']),
	endpoint('GET /api/publications', ALL_ACTORS, 'the published lists are public'),
	endpoint('GET /api/publications/{publication}/objections/token', ALL_ACTORS, 'a script’s form token'),
	endpoint('POST /api/publications/{publication}/objections', ALL_ACTORS, 'anyone may object, under a real name, in the period'),
	endpoint('GET /calls/{call}/publication/files/{objectionFile}', callStaff),

	// ---- the meeting room (Socket.IO), with the meeting started on item 2 ---------------
	socket('meeting:join', [...panel, 'admin']),
	socket('hearing:watch', [...panel, 'admin'], 'the hearings of the meeting, without those one is recused from'),
	socket('meeting:start', ['chair', 'secretary']),
	socket('meeting:goto@{item2}', ['chair', 'secretary']),
	socket('score:submit@{item2}', ['member', 'chair'], 'the recused and non-voting never score'),
	socket('round:reveal@{item2}', ['chair']),
	socket('round:new@{item2}', ['chair']),
	socket('ballot:open@{item2}', ['chair']),
	socket('summary:set@{item2}', ['chair', 'secretary']),
	socket('decision:lock@{item2}', ['chair']),
	socket('decision:reopen@{item2}', ['admin']),
	socket('meeting:close', ['chair', 'secretary'], 'last: a closed room refuses everything'),

	// ---- documents, on every channel ----------------------------------------------------
	document('{plan}', ['planner', 'admin'], 'a division document: its members (and shares)'),
	document('{guideline}', ['applicant', 'member', 'recused', 'chair', 'secretary', 'admin'], 'the program’s divisions (Fund Intake leads the Innovation Fund) edit; the call is open, so applicants and the call’s experts read it'),
	document('{notes}', ['member', 'chair', 'secretary', 'admin'], 'the panel, never the recused')
];
