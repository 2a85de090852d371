import { createRouter, createWebHistory, type RouteLocationNormalized, type RouteLocationRaw, type RouteRecordRaw } from 'vue-router'
import { ASSOCIATION_ROLES, UNIT_ROLES, homeFor, useSessionStore } from '@/stores/session'
import type { Account, Role } from '@/api/types'
import { i18n } from '@/locales'
import { focusMainHeading } from '@/utils/a11y'
import { CHANGE_PASSWORD_PATH } from './paths'
// The screens people arrive on first (the login, the public lookup, a scanned certificate's
// QR code) are part of the entry: a lazy route would fetch its chunk only after the entry ran,
// one more round trip before anything is painted (Lighthouse performance ≥ 90, #17). Every
// other screen is loaded when it is opened.
import LoginView from '@/views/LoginView.vue'
import LookupView from '@/views/public/LookupView.vue'
import VerifyView from '@/views/public/VerifyView.vue'

declare module 'vue-router' {
  interface RouteMeta {
    /** Message key of the page title. */
    title?: string
    /** Roles allowed; absent means public. */
    roles?: readonly Role[]
    /** Any logged-in account (whatever its role). */
    loggedIn?: boolean
  }
}

export { CHANGE_PASSWORD_PATH }

/** Pages an account that must change its password may still see: the page itself and the login (logout). */
const ALLOWED_WHILE_CHANGE_REQUIRED = [CHANGE_PASSWORD_PATH, '/login']

const routes: RouteRecordRaw[] = [
  { path: '/', redirect: () => homeFor(useSessionStore().account) },
  { path: '/login', component: LoginView, meta: { title: 'login.title' } },
  // Any logged-in account; the guard sends those who must change their password here.
  {
    path: CHANGE_PASSWORD_PATH,
    component: () => import('@/views/ChangePasswordView.vue'),
    meta: { title: 'passwordChange.title', loggedIn: true },
  },
  { path: '/register', component: () => import('@/views/RegisterView.vue'), meta: { title: 'register.title' } },
  {
    path: '/recover-password',
    component: () => import('@/views/RecoverPasswordView.vue'),
    meta: { title: 'recover.title' },
  },
  { path: '/appeal', component: () => import('@/views/appeal/AppealView.vue'), meta: { title: 'appeal.title' } },
  // Public: the practitioner registers a mobile number (§4, F20) and confirms an application (F14).
  {
    path: '/practitioner/mobile',
    component: () => import('@/views/practitioner/PractitionerMobileView.vue'),
    meta: { title: 'mobile.title' },
  },
  { path: '/confirm', component: () => import('@/views/practitioner/ConfirmApplicationView.vue'), meta: { title: 'confirm.title' } },
  // Public (F19): the published practitioners, and the QR code's verification of a printed form.
  { path: '/lookup', component: LookupView, meta: { title: 'lookup.title' } },
  // 名册核验 (#18 item 5): a roster file verified row by row.
  { path: '/lookup/roster', component: () => import('@/views/public/RosterView.vue'), meta: { title: 'roster.title' } },
  { path: '/verify', component: VerifyView, meta: { title: 'verify.title' } },
  { path: '/home', component: () => import('@/views/HomeView.vue'), meta: { title: 'home.title', roles: UNIT_ROLES } },
  { path: '/unit', component: () => import('@/views/unit/UnitInfoView.vue'), meta: { title: 'unit.title', roles: UNIT_ROLES } },
  // Open to unit staff too: the API refuses them, and the page says who may manage accounts.
  {
    path: '/unit/accounts',
    component: () => import('@/views/unit/UnitAccountsView.vue'),
    meta: { title: 'accounts.title', roles: UNIT_ROLES },
  },
  {
    path: '/unit/branches',
    component: () => import('@/views/unit/UnitBranchesView.vue'),
    meta: { title: 'branches.title', roles: UNIT_ROLES },
  },
  {
    path: '/unit/qualifications',
    component: () => import('@/views/unit/UnitQualificationsView.vue'),
    meta: { title: 'qualifications.title', roles: UNIT_ROLES },
  },
  {
    path: '/unit/change-request',
    component: () => import('@/views/unit/UnitChangeRequestView.vue'),
    meta: { title: 'change.title', roles: UNIT_ROLES },
  },
  // 执业公示申请 (§3.3): both unit roles.
  {
    path: '/publicity/apply',
    component: () => import('@/views/publicity/PublicityApplyView.vue'),
    meta: { title: 'publicity.apply.title', roles: UNIT_ROLES },
  },
  {
    path: '/publicity/applications',
    component: () => import('@/views/publicity/ApplicationListView.vue'),
    meta: { title: 'publicity.list.title', roles: UNIT_ROLES },
  },
  {
    path: '/publicity/applications/:id',
    component: () => import('@/views/publicity/ApplicationDetailView.vue'),
    props: true,
    meta: { title: 'publicity.list.title', roles: UNIT_ROLES },
  },
  {
    path: '/publicity/appends',
    component: () => import('@/views/publicity/AppendView.vue'),
    meta: { title: 'publicity.appends.title', roles: UNIT_ROLES },
  },
  {
    path: '/publicity/renewals',
    component: () => import('@/views/publicity/RenewalListView.vue'),
    meta: { title: 'publicity.renewals.title', roles: UNIT_ROLES },
  },
  {
    path: '/publicity/certificates',
    component: () => import('@/views/publicity/CertificatesView.vue'),
    meta: { title: 'publicity.certificates.title', roles: UNIT_ROLES },
  },
  {
    path: '/publicity/practitioners',
    component: () => import('@/views/publicity/PractitionersView.vue'),
    meta: { title: 'publicity.practitioners.title', roles: UNIT_ROLES },
  },
  {
    path: '/review/applications',
    component: () => import('@/views/review/ApplicationReviewListView.vue'),
    meta: { title: 'publicityReview.listTitle', roles: ASSOCIATION_ROLES },
  },
  {
    path: '/review/applications/:id',
    component: () => import('@/views/review/ApplicationReviewDetailView.vue'),
    props: true,
    meta: { title: 'publicityReview.listTitle', roles: ASSOCIATION_ROLES },
  },
  {
    path: '/admin/clauses',
    component: () => import('@/views/admin/ClausesView.vue'),
    meta: { title: 'clauses.adminTitle', roles: ['association_admin'] },
  },
  {
    path: '/admin/practitioners-import',
    component: () => import('@/views/admin/PractitionerImportView.vue'),
    meta: { title: 'practitionerImport.title', roles: ['association_admin'] },
  },
  {
    path: '/review/change-requests',
    component: () => import('@/views/review/ChangeReviewListView.vue'),
    meta: { title: 'changeReview.listTitle', roles: ASSOCIATION_ROLES },
  },
  {
    path: '/review/change-requests/:id',
    component: () => import('@/views/review/ChangeReviewDetailView.vue'),
    props: true,
    meta: { title: 'changeReview.detailTitle', roles: ASSOCIATION_ROLES },
  },
  {
    path: '/review/appeals',
    component: () => import('@/views/review/AppealReviewListView.vue'),
    meta: { title: 'appealReview.listTitle', roles: ASSOCIATION_ROLES },
  },
  {
    path: '/review/appeals/:id',
    component: () => import('@/views/review/AppealReviewDetailView.vue'),
    props: true,
    meta: { title: 'appealReview.detailTitle', roles: ASSOCIATION_ROLES },
  },
  {
    path: '/admin/legacy-import',
    component: () => import('@/views/admin/LegacyImportView.vue'),
    meta: { title: 'legacyImport.title', roles: ['association_admin'] },
  },
  {
    path: '/admin/calendar',
    component: () => import('@/views/admin/CalendarView.vue'),
    meta: { title: 'calendar.title', roles: ['association_admin'] },
  },
  // 通知公告管理 (F6, #19): the notices on every unit's home.
  {
    path: '/admin/notices',
    component: () => import('@/views/admin/NoticesView.vue'),
    meta: { title: 'notices.admin.title', roles: ['association_admin'] },
  },
  {
    path: '/review/registrations',
    component: () => import('@/views/review/RegistrationReviewListView.vue'),
    meta: { title: 'review.listTitle', roles: ASSOCIATION_ROLES },
  },
  {
    path: '/review/registrations/:id',
    component: () => import('@/views/review/RegistrationReviewDetailView.vue'),
    props: true,
    meta: { title: 'review.detailTitle', roles: ASSOCIATION_ROLES },
  },
  { path: '/:pathMatch(.*)*', component: () => import('@/views/NotFoundView.vue'), meta: { title: 'notFound.title' } },
]

export const router = createRouter({
  history: createWebHistory(),
  routes,
})

/** Where a navigation to `to` goes for `account`: `true` to let it pass, or the page to go to instead. */
export function guardRoute(to: RouteLocationNormalized, account: Account | null): true | RouteLocationRaw {
  // While a new password is required, only 设置新密码 and the login page (logout) are open.
  if (account?.password_change_required && !ALLOWED_WHILE_CHANGE_REQUIRED.includes(to.path)) return { path: CHANGE_PASSWORD_PATH }
  const roles = to.meta.roles
  if (!roles && !to.meta.loggedIn) return true
  if (!account) return { path: '/login', query: { redirect: to.fullPath } }
  if (roles && !roles.includes(account.role)) return homeFor(account)
  return true
}

router.beforeEach((to) => guardRoute(to, useSessionStore().account))

router.afterEach((to, from, failure) => {
  const { t } = i18n.global
  document.title = to.meta.title ? `${t(to.meta.title)} - ${t('app.title')}` : t('app.title')
  // A new page (not a new query of the same one, not the first load): focus its heading.
  if (!failure && from.matched.length > 0 && to.path !== from.path) void focusMainHeading()
})
