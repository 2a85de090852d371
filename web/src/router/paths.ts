// Paths other modules navigate to, kept apart from the router so they import no views.

/** 设置新密码 (ASVS 2.3): where an account that must replace its temporary or weak password is kept. */
export const CHANGE_PASSWORD_PATH = '/password/change'
