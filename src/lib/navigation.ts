// Navigation types shared by the server (which decides) and the shell (which draws).
export type NavKey =
	| 'home'
	| 'applications'
	| 'calls'
	| 'my_applications'
	| 'my_hearings'
	| 'reviews'
	| 'meetings'
	| 'documents'
	| 'experts'
	| 'admin_users'
	| 'admin_audit'
	| 'admin_mail';

export interface NavItem {
	key: NavKey;
	href: string;
	group: 'main' | 'admin';
}

export interface Me {
	id: string;
	username: string;
	name: string;
	color: string;
	isAdmin: boolean;
	isExpert: boolean;
	isApplicant: boolean;
	memberships: { name: string; nameEn: string; role: 'head' | 'deputy' | 'staff' }[];
}
