// The shapes of sign-in, registration and account input.
import { z } from '../validation';
import { PASSWORD_MAX, PASSWORD_MIN } from './password';
import { m } from '$lib/paraglide/messages';

export const username = z
	.string()
	.trim()
	.toLowerCase()
	.min(1)
	.max(40)
	.regex(/^[a-z0-9][a-z0-9._-]*$/);

export const password = z.string().min(PASSWORD_MIN).max(PASSWORD_MAX);

export const loginSchema = z.object({
	username: z.string().trim().toLowerCase().min(1).max(100),
	password: z.string().min(1).max(PASSWORD_MAX)
});

const phone = z
	.string()
	.trim()
	.min(1)
	.max(30)
	.regex(/^[0-9+\-() ]{5,30}$/);

export const registerSchema = z
	.object({
		username,
		password,
		passwordConfirm: z.string().max(PASSWORD_MAX),
		enterpriseName: z.string().trim().min(2).max(100),
		contactName: z.string().trim().min(1).max(50),
		contactPhone: phone,
		contactEmail: z.string().trim().max(200).pipe(z.email()).or(z.literal(''))
	})
	.refine((v) => v.password === v.passwordConfirm, { path: ['passwordConfirm'], error: () => m.v_password_mismatch() });

export const changePasswordSchema = z
	.object({
		currentPassword: z.string().min(1).max(PASSWORD_MAX),
		newPassword: password,
		newPasswordConfirm: z.string().max(PASSWORD_MAX)
	})
	.refine((v) => v.newPassword === v.newPasswordConfirm, { path: ['newPasswordConfirm'], error: () => m.v_password_mismatch() });

export { phone };
