import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { CHANGE_PASSWORD_PATH, router } from './router'
import { i18n, restoreLocale } from './locales'
import { configureAuth } from './api/client'
import { useSessionStore } from './stores/session'
import { wireFieldErrors } from './utils/a11y'
import 'element-plus/theme-chalk/base.css'
import './theme.css'
import './styles.css'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia).use(i18n).use(router)

const session = useSessionStore(pinia)
configureAuth({
  session: () => session.session,
  refreshed: (next) => session.set(next),
  expired: () => {
    session.set(null)
    void router.push({ path: '/login', query: { redirect: router.currentRoute.value.fullPath } })
  },
  // The stored session may predate the admin's reset: mark it, and the router keeps the user on 设置新密码.
  passwordChangeRequired: () => {
    const current = session.session
    if (current && !current.account.password_change_required) {
      session.set({ ...current, account: { ...current.account, password_change_required: true } })
    }
    if (router.currentRoute.value.path !== CHANGE_PASSWORD_PATH) void router.push(CHANGE_PASSWORD_PATH)
  },
})

// A user who chose English before sees it from the first paint that needs it.
void restoreLocale().finally(() => app.mount('#app'))
// Field errors are tied to their inputs everywhere, dialogs (teleported to body) included.
wireFieldErrors(document.body)
