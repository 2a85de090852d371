import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { router } from './router'
import { i18n } from './locales'
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
})

app.mount('#app')
// Field errors are tied to their inputs everywhere, dialogs (teleported to body) included.
wireFieldErrors(document.body)
