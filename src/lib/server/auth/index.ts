// Authentication and authorization: sessions, passwords, sign-in throttling, role guards.
export * from './session';
export * from './password';
export * from './principal';
export * from './guards';
export * from './accounts';
